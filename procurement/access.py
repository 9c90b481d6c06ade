"""Who may do what: unit membership roles, bureau scope, supplier staff. The services call
these before writing; views and the API only turn the refusals into messages."""

from regions.models import Region

from .exceptions import (
    FilingNotFoundError,
    ProcurementPermissionError,
    UnitMembershipRequiredError,
)
from .models import SUPERVISOR_REVIEW_ROLES, BudgetUnit, MemberRole, ReviewRole


def unit_roles(*, user, unit: BudgetUnit) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(unit.memberships.filter(user=user).values_list("role", flat=True))


def unit_require_role(*, user, unit: BudgetUnit, roles: tuple[str, ...], error=None) -> None:
    if not unit_roles(user=user, unit=unit) & set(roles):
        raise (error or UnitMembershipRequiredError)()


def unit_require_purchaser(*, user, unit: BudgetUnit) -> None:
    unit_require_role(user=user, unit=unit, roles=(MemberRole.PURCHASER, MemberRole.ADMIN))


def unit_require_member(*, user, unit: BudgetUnit) -> None:
    unit_require_role(
        user=user,
        unit=unit,
        roles=tuple(MemberRole.values),
        error=ProcurementPermissionError,
    )


def bureau_region(user) -> Region | None:
    """The region subtree a bureau user oversees; None for users who are not bureau staff.
    Superusers oversee the whole tree (the root region)."""
    if not user.is_authenticated:
        return None
    staff = getattr(user, "bureau_staff", None)
    if staff is not None:
        return staff.region
    if user.is_superuser:
        return Region.get_first_root_node()
    return None


def bureau_is_city(user) -> bool:
    """City-level staff (or superusers) set the policy years."""
    if user.is_superuser:
        return True
    staff = getattr(user, "bureau_staff", None)
    return staff is not None and staff.level == "city"


def bureau_require_scope(*, user, region: Region) -> None:
    scope = bureau_region(user)
    if scope is None or not scope.contains(region):
        raise ProcurementPermissionError()


def supplier_require_staff(*, user, partner) -> None:
    if not user.is_authenticated or not partner.users.filter(pk=user.pk).exists():
        raise ProcurementPermissionError()


def unit_may_manage_members(*, user, unit: BudgetUnit) -> bool:
    """Bureau staff whose region contains the unit, and the unit's own admins (of an
    approved unit), add and remove its members; nobody does once its registration is
    withdrawn or rejected."""
    if unit.registration_closed:
        return False
    scope = bureau_region(user)
    if scope is not None and scope.contains(unit.region):
        return True
    return unit.is_active and MemberRole.ADMIN in unit_roles(user=user, unit=unit)


def supervisor_may_review(*, user, supervisor: BudgetUnit) -> bool:
    """Whether ``user`` pre-reviews the filings of ``supervisor``'s subordinate units: a
    主管审核人 or 单位管理员 of the supervising unit, while it is active."""
    return supervisor.is_active and bool(
        unit_roles(user=user, unit=supervisor) & set(SUPERVISOR_REVIEW_ROLES)
    )


def supervisor_require_reviewer(*, user, unit: BudgetUnit) -> BudgetUnit:
    """The supervising unit of ``unit`` whose reviewer ``user`` is; a unit that is not
    subordinate to a unit the user reviews for is not found (404), as if it did not exist."""
    supervisor = unit.supervisor
    if supervisor is None or not supervisor_may_review(user=user, supervisor=supervisor):
        raise FilingNotFoundError()
    return supervisor


def unit_832_import_units(*, user) -> set[int]:
    """The active units whose 832 statistics ``user`` imports from the unit portal: those
    where they are purchaser or unit admin, and the subordinate units of those they review
    for as a supervising unit (主管审核人 or 单位管理员)."""
    from .models import BudgetUnitMember

    if not user.is_authenticated:
        return set()
    memberships = BudgetUnitMember.objects.filter(user=user, unit__is_active=True)
    own = set(
        memberships.filter(role__in=(MemberRole.PURCHASER, MemberRole.ADMIN)).values_list(
            "unit_id", flat=True
        )
    )
    supervising = memberships.filter(role__in=SUPERVISOR_REVIEW_ROLES).values("unit_id")
    subordinates = BudgetUnit.objects.filter(supervisor__in=supervising, is_active=True)
    return own | set(subordinates.values_list("pk", flat=True))


def filing_needs_pre_review(*, unit: BudgetUnit, policy_year) -> bool:
    """A filing goes to the supervising unit first where the policy year asks for it and the
    unit has a supervising unit here that is active and has someone to review it."""
    if not policy_year.supervisor_review_required or unit.supervisor_id is None:
        return False
    supervisor = unit.supervisor
    return (
        supervisor.is_active
        and supervisor.memberships.filter(role__in=SUPERVISOR_REVIEW_ROLES).exists()
    )


def bureau_review_role(user) -> tuple[str, str]:
    """(review role, office name) of a bureau user's decision on a filing: 财政局审核 or
    乡村振兴局审核 by the staff's office kind, with their office's own name; a superuser
    without a bureau decides as 审核部门."""
    from django.utils.translation import gettext as _

    staff = getattr(user, "bureau_staff", None)
    if staff is None:
        return ReviewRole.BUREAU, _("审核部门")
    return ReviewRole(staff.office_kind), staff.office_name


def review_office_name(*, region) -> str:
    """The name of the bureau that reviews a unit of ``region`` (its registration and
    filings, after any pre-review by its supervising unit): the office of the deepest region
    containing it that has staff, e.g. 濉溪县乡村振兴局, or both offices where finance and
    rural-revitalisation staff share the region ("淮北市乡村振兴局或淮北市财政局"); an office
    without a name is called by its region and kind (淮北市财政局); "审核部门" before any
    has staff. Used in place of the vague "主管部门", which readers take for the unit's own
    supervising unit (主管单位)."""
    from django.utils.translation import gettext as _

    from regions.models import BureauOffice, BureauStaff

    if region is None:
        return _("审核部门")
    paths = [region.path[:n] for n in range(Region.steplen, len(region.path) + 1, Region.steplen)]
    staff = list(
        BureauStaff.objects.filter(region__path__in=paths)
        .select_related("region")
        .order_by("-region__depth", "pk")
    )
    if not staff:
        return _("审核部门")
    deepest = [s for s in staff if s.region_id == staff[0].region_id]
    kinds = list(BureauOffice.values)
    names = []
    for member in sorted(deepest, key=lambda s: kinds.index(s.office_kind)):
        if member.office_name not in names:
            names.append(member.office_name)
    return _("或").join(names)
