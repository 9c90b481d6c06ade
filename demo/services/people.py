"""演示账号 and 预算单位."""

from django.contrib.auth.hashers import make_password
from oscar.core.loading import get_model

from accounts.models import User
from procurement.models import BudgetUnit, BudgetUnitMember
from regions.models import BureauStaff, Region

from .. import data
from .base import Tally, credit_code, sync

Partner = get_model("partner", "Partner")

# A fixed salt makes the demo password's hash reproducible, so a rerun compares strings instead
# of hashing once per user. The password is public anyway: `make demo` prints it.
_DEMO_SALT = "huinongDemoAccountsSalt2025"

# Credit code registration-type prefixes (GB 32100): 11 机关, 12 事业单位, 91 企业.
_UNIT_CODE_PREFIX = {
    "agency": "11",
    "school": "12",
    "hospital": "12",
    "institution": "12",
    "state_firm": "91",
}


def seed_users(
    *, suppliers: dict[str, Partner], regions: dict[str, Region], tally: Tally
) -> dict[str, User]:
    """The demo accounts with their roles: supplier staff and bureau staff."""
    password = make_password(data.DEMO_PASSWORD, salt=_DEMO_SALT)
    existing = {u.email: u for u in User.objects.filter(email__in=[e for e, *_ in data.USERS])}
    users: dict[str, User] = {}
    for email, last_name, first_name in data.USERS:
        superuser = email in data.SUPERUSERS
        values = {
            "last_name": last_name,
            "first_name": first_name,
            "password": password,
            "is_active": True,
            "is_staff": superuser,
            "is_superuser": superuser,
        }
        user = existing.get(email)
        if user is None:
            user = User.objects.create(email=email, **values)
            tally.created += 1
        else:
            sync(user, values, tally)
        users[email] = user

    for key, emails in data.SUPPLIER_STAFF.items():
        partner = suppliers[key]
        missing = set(emails) - set(partner.users.values_list("email", flat=True))
        if missing:
            partner.users.add(*(users[e] for e in sorted(missing)))
            tally.updated += len(missing)

    staff = {s.user_id: s for s in BureauStaff.objects.filter(user__in=users.values())}
    for email, region_code, level, bureau_name, office_kind in data.BUREAU_STAFF:
        user = users[email]
        values = {
            "region": regions[region_code],
            "level": level,
            "bureau_name": bureau_name,
            "office_kind": office_kind,
        }
        if user.pk in staff:
            sync(staff[user.pk], values, tally)
        else:
            BureauStaff.objects.create(user=user, **values)
            tally.created += 1
    return users


def seed_budget_units(
    *, regions: dict[str, Region], users: dict[str, User], tally: Tally
) -> dict[str, BudgetUnit]:
    """Budget units at city level and in every county, with their purchaser and approver."""
    existing = {u.credit_code: u for u in BudgetUnit.objects.all()}
    units: dict[str, BudgetUnit] = {}
    for entry in data.BUDGET_UNITS:
        region = regions[entry["region"]]
        code = credit_code(_UNIT_CODE_PREFIX[entry["type"]], entry["region"][:6], entry["name"])
        values = {
            "name": entry["name"],
            "region": region,
            "unit_type": entry["type"],
            "supervising_unit": entry["supervising"],
            "canteen_status": entry["canteen"],
            "address": entry["address"],
            "is_active": True,
        }
        unit = existing.get(code)
        if unit is None:
            unit = BudgetUnit.objects.create(credit_code=code, **values)
            tally.created += 1
        else:
            sync(unit, values, tally)
        units[entry["name"]] = unit

    # The supervising unit, where it is a demo unit too (淮北市教育局 for its schools).
    for entry in data.BUDGET_UNITS:
        unit, supervisor = units[entry["name"]], units.get(entry["supervising"])
        if unit.supervisor_id != (supervisor.pk if supervisor else None):
            unit.supervisor = supervisor
            unit.save(update_fields=["supervisor"])
            tally.updated += 1

    for unit_name, email, role in data.UNIT_MEMBERS:
        _, created = BudgetUnitMember.objects.get_or_create(
            unit=units[unit_name], user=users[email], role=role
        )
        tally.created += created
    return units
