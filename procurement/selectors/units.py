"""Budget units: who belongs to which, registrations, members and the unit audit trail."""

from collections import defaultdict

from django.db.models import Count, Q

from ..models import (
    CLOSED_REGISTRATION,
    BudgetUnit,
    BudgetUnitMember,
    MemberRole,
    RegistrationStatus,
    UnitDecision,
)


def user_units(*, user) -> list[BudgetUnit]:
    if not user.is_authenticated:
        return []
    ids = BudgetUnitMember.objects.filter(user=user, unit__is_active=True).values("unit_id")
    return list(BudgetUnit.objects.filter(pk__in=ids).select_related("region").order_by("name"))


def user_is_unit_purchaser(*, user) -> bool:
    """Whether the user may check a basket out for some active unit (purchaser or admin)."""
    if not user.is_authenticated:
        return False
    return BudgetUnitMember.objects.filter(
        user=user,
        unit__is_active=True,
        role__in=(MemberRole.PURCHASER, MemberRole.ADMIN),
    ).exists()


def user_units_and_roles(*, user) -> tuple[list[BudgetUnit], dict[int, set[str]]]:
    """``user_units`` and ``user_roles_by_unit`` in one query (every unit page asks both)."""
    if not user.is_authenticated:
        return [], {}
    units, roles = {}, defaultdict(set)
    memberships = (
        BudgetUnitMember.objects.filter(user=user)
        .select_related("unit__region")
        .order_by("unit__name", "unit_id")
    )
    for membership in memberships:
        roles[membership.unit_id].add(membership.role)
        if membership.unit.is_active:
            units.setdefault(membership.unit_id, membership.unit)
    return list(units.values()), roles


def user_roles_by_unit(*, user) -> dict[int, set[str]]:
    roles = defaultdict(set)
    for unit_id, role in BudgetUnitMember.objects.filter(user=user).values_list("unit_id", "role"):
        roles[unit_id].add(role)
    return roles


def supervising_units(*, region) -> list[str]:
    return list(
        BudgetUnit.objects.filter(region__path__startswith=region.path)
        .exclude(supervising_unit="")
        .values_list("supervising_unit", flat=True)
        .distinct()
        .order_by("supervising_unit")
    )


def pending_unit_registrations(*, region) -> list[BudgetUnit]:
    return list(
        BudgetUnit.objects.filter(
            region__path__startswith=region.path,
            registration_status=RegistrationStatus.PENDING,
        )
        .select_related("region", "registered_by")
        .order_by("pk")
    )


def bureau_units(*, region, query: str = "", status: str = ""):
    """The units in the bureau's region with member counts, as a queryset for the page's
    paginator: those with registration ``status``, or else every unit whose registration is
    not withdrawn or rejected."""
    units = BudgetUnit.objects.filter(region__path__startswith=region.path)
    if status:
        units = units.filter(registration_status=status)
    else:
        units = units.exclude(registration_status__in=CLOSED_REGISTRATION)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(credit_code__iexact=query.upper()))
    return (
        units.select_related("region", "registered_by")
        .annotate(member_count=Count("memberships__user", distinct=True))
        .order_by("registration_status", "region__path", "name", "pk")
    )


def unit_members(*, unit) -> list[BudgetUnitMember]:
    return list(unit.memberships.select_related("user").order_by("user__email", "role"))


def unit_decisions(*, unit, limit: int | None = None) -> list[UnitDecision]:
    """A unit's audit trail, newest first (the newest ``limit`` entries when given)."""
    decisions = unit.decisions.select_related("actor").order_by("-created_at", "-pk")
    return list(decisions[:limit] if limit else decisions)


def user_unit_registration(*, user) -> BudgetUnit | None:
    """The unit ``user`` registered last, when it is waiting for review, was returned, or was
    rejected (and they have not registered another since); None otherwise. One query."""
    if not user.is_authenticated:
        return None
    latest = (
        BudgetUnit.objects.filter(registered_by=user)
        .select_related("region")
        .order_by("-pk")
        .first()
    )
    shown = (RegistrationStatus.PENDING, RegistrationStatus.RETURNED, RegistrationStatus.REJECTED)
    return latest if latest is not None and latest.registration_status in shown else None


def unit_memberships():
    """Every budget-unit membership (``user_id``, ``unit``, ``role``), as a queryset to
    filter or nest."""
    return BudgetUnitMember.objects.all()
