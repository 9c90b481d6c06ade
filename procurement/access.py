"""Who may do what: unit membership roles, bureau scope, supplier staff. The services call
these before writing; views and the API only turn the refusals into messages."""

from regions.models import Region

from .exceptions import ProcurementPermissionError, UnitMembershipRequiredError
from .models import BudgetUnit, MemberRole


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


def review_office_name(*, region) -> str:
    """The name of the bureau that reviews a unit of ``region`` (its registration and
    filings): the bureau of the deepest region containing it that has staff, e.g.
    濉溪县乡村振兴局; "审核部门" when no bureau has staff there yet. Used in place of the vague
    "主管部门", which readers take for the unit's own supervising unit (主管单位)."""
    from django.utils.translation import gettext as _

    from regions.models import BureauStaff

    if region is None:
        return _("审核部门")
    paths = [region.path[:n] for n in range(Region.steplen, len(region.path) + 1, Region.steplen)]
    staff = (
        BureauStaff.objects.filter(region__path__in=paths)
        .order_by("-region__depth", "pk")
        .values_list("bureau_name", flat=True)
        .first()
    )
    return staff or _("审核部门")
