"""The "八进" organisations beyond budget units: their types per policy year, registration
and creation (the budget units' machinery: review, withdrawal, members and approval rules are
the same services), unions' yearly targets set by the bureau, and what an organisation's
order counts toward (its channel, and the parent unit's filing where the policy year says
so)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import money, yuan
from orders.models import SalesChannel

from ..access import bureau_require_scope
from ..exceptions import (
    OrganisationError,
    PolicyYearMissingError,
    UnionTargetError,
    UnitRegistrationError,
)
from ..models import (
    CLOSED_REGISTRATION,
    POINTS_SUPERMARKET_TYPE,
    UNION_TYPE,
    BudgetUnit,
    BudgetUnitMember,
    CanteenStatus,
    Filing,
    FilingStatus,
    MemberRole,
    OrganisationType,
    PolicyYear,
    RegistrationStatus,
    UnionTarget,
    UnitAction,
    UnitDecision,
    UnitKind,
)
from ..portal_cache import portal_changed, units_changed
from .units import _fill, _save

User = get_user_model()

#: The fields a registrant (or bureau staff creating an organisation) fills in.
ORGANISATION_FIELDS = ("name", "credit_code", "region", "org_type", "parent", "address")

#: The enterprise type: the other parent a union may have besides a budget unit.
ENTERPRISE_TYPE = "enterprise"


def organisation_types(*, year: int | None = None) -> list[OrganisationType]:
    """The organisation types in force in ``year`` (this year by default): those of the
    latest policy year up to it that lists any; [] before the first."""
    year = year or timezone.localdate().year
    policy = (
        PolicyYear.objects.filter(year__lte=year, organisation_types__isnull=False)
        .order_by("-year")
        .first()
    )
    if policy is None:
        return []
    return list(policy.organisation_types.all())


def organisation_type_names(*, year: int | None = None) -> dict[str, str]:
    """{code: name} of the types in force in ``year``."""
    return {t.code: t.name for t in organisation_types(year=year)}


def _check(unit: BudgetUnit, fields: dict) -> None:
    """Fill an organisation's fields and validate them: its type must be one of this year's,
    a union needs a parent (an approved budget unit or enterprise), no other type has one.
    Raises ``ValidationError`` with Chinese field errors."""
    errors: dict[str, list[str]] = {}
    try:
        _fill(unit, fields, allowed=ORGANISATION_FIELDS)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    types = organisation_type_names()
    if unit.org_type not in types:
        errors["org_type"] = [_("请选择本年度的“八进”单位类型。")]
    parent = unit.parent
    if unit.org_type == UNION_TYPE:
        if parent is None:
            errors["parent"] = [_("工会须填写所属单位（预算单位或企业）。")]
        elif not parent.is_active or not (
            parent.kind == UnitKind.BUDGET_UNIT or parent.org_type == ENTERPRISE_TYPE
        ):
            errors["parent"] = [_("所属单位须为已通过审核的预算单位或企业。")]
    elif parent is not None:
        errors["parent"] = [_("只有工会填写所属单位。")]
    if errors:
        errors.pop("unit_type", None)  # an organisation has none; the model's own check
        raise ValidationError(errors)


def _organisation_new(**extra) -> BudgetUnit:
    return BudgetUnit(
        kind=UnitKind.ORGANISATION, unit_type="", canteen_status=CanteenStatus.NONE, **extra
    )


def _registration_refusal(*, user, org_type: str) -> str | None:
    """A registration of the user's waiting or returned (any kind), or a membership of an
    organisation of the same type: one account, one organisation of a type."""
    waiting = (
        BudgetUnitMember.objects.filter(
            user=user,
            unit__registration_status__in=(RegistrationStatus.PENDING, RegistrationStatus.RETURNED),
        )
        .select_related("unit")
        .first()
    )
    if waiting is not None:
        return _("您注册的单位“%(unit)s”尚未审核通过，请勿重复注册。") % {"unit": waiting.unit.name}
    same = (
        BudgetUnitMember.objects.filter(
            user=user, unit__kind=UnitKind.ORGANISATION, unit__org_type=org_type
        )
        .exclude(unit__registration_status__in=CLOSED_REGISTRATION)
        .select_related("unit")
        .first()
    )
    if same is not None:
        return _("您已是“%(unit)s”的成员，同一类型的单位只能加入一个。") % {"unit": same.unit.name}
    return None


def organisation_register(*, user, at: datetime.datetime | None = None, **fields) -> BudgetUnit:
    """A signed-in user registers their organisation (``ORGANISATION_FIELDS``). It waits
    inactive (待审核) for bureau staff of its region, who approve, return or reject it with
    the budget units' services (``unit_registration_approve`` ...); the registrant is its
    admin and purchaser. Raises ``UnitRegistrationError`` (a registration of theirs waiting,
    or already a member of an organisation of the type) and ``ValidationError`` with Chinese
    field errors; nothing is written then."""
    at = at or timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        refusal = _registration_refusal(user=user, org_type=fields.get("org_type", ""))
        if refusal:
            raise UnitRegistrationError(refusal)
        unit = _organisation_new(
            is_active=False, registration_status=RegistrationStatus.PENDING, registered_by=user
        )
        _check(unit, fields)
        _save(unit)
        BudgetUnitMember.objects.bulk_create(
            BudgetUnitMember(unit=unit, user=user, role=role)
            for role in (MemberRole.ADMIN, MemberRole.PURCHASER)
        )
        units_changed(unit_ids=[unit.pk])  # bulk_create sends no signal
        UnitDecision.record(unit=unit, who=user, outcome=UnitAction.REGISTERED, at=at)
    return unit


def organisation_create(*, user, at: datetime.datetime | None = None, **fields) -> BudgetUnit:
    """Bureau staff create an approved, active organisation in their region; members are
    added afterwards (``unit_member_add``). Raises ``ProcurementPermissionError`` outside the
    user's region and ``ValidationError`` with Chinese field errors."""
    at = at or timezone.now()
    region = fields.get("region")
    if region is None:
        raise ValidationError({"region": [_("请选择单位所在的县（区）。")]})
    bureau_require_scope(user=user, region=region)
    with transaction.atomic():
        unit = _organisation_new(
            is_active=True, registration_status=RegistrationStatus.APPROVED, reviewed_at=at
        )
        _check(unit, fields)
        _save(unit)
        UnitDecision.record(unit=unit, who=user, outcome=UnitAction.CREATED, at=at)
    return unit


def union_target_set(
    *, user, union: BudgetUnit, year: int, amount: Decimal, at: datetime.datetime | None = None
) -> UnionTarget:
    """Bureau staff of the union's region set (or change) its target for ``year``
    (工会消费帮扶任务), recorded on its audit trail. Raises ``ProcurementPermissionError``
    outside the region and ``UnionTargetError`` for an organisation that is not an approved
    union or an amount that is not positive; nothing is written then."""
    at = at or timezone.now()
    bureau_require_scope(user=user, region=union.region)
    if union.org_type != UNION_TYPE or not union.is_active:
        raise UnionTargetError(_("只能给已通过审核的工会下达消费帮扶任务。"))
    try:
        amount = money(amount)
    except (ArithmeticError, TypeError, ValueError) as exc:
        raise UnionTargetError(_("任务金额须为正数。")) from exc
    if amount <= 0:
        raise UnionTargetError(_("任务金额须为正数。"))
    if not (2000 <= int(year) <= 2100):
        raise UnionTargetError(_("年度无效。"))
    with transaction.atomic():
        BudgetUnit.objects.select_for_update().filter(pk=union.pk).first()
        target, _created = UnionTarget.objects.update_or_create(
            union=union, year=year, defaults={"amount": amount, "set_by": user, "set_at": at}
        )
        UnitDecision.record(
            unit=union,
            who=user,
            outcome=UnitAction.TARGET_SET,
            reason=_("%(year)s 年度任务 %(amount)s") % {"year": year, "amount": yuan(amount)},
            at=at,
        )
    return target


def order_terms(
    *, unit: BudgetUnit, at: datetime.datetime
) -> tuple[str, Filing | None, PolicyYear]:
    """(channel, filing, policy year) of an organisation's order placed at ``at``: a union
    orders in channel ``union``, a village points supermarket (``points_supermarket``, see
    docs/points.md) in ``points_supermarket`` and never toward a filing, others in
    ``organisation``; a union's order also counts
    toward its parent unit's approved filing of the year when the policy year says so
    (``union_counts_for_parent``), otherwise toward no filing. Raises
    ``PolicyYearMissingError`` when the year has no policy (its counting event is unknown)
    and ``OrganisationError`` for a unit that is not an organisation."""
    if unit.kind != UnitKind.ORGANISATION:
        raise OrganisationError(_("预算单位按预留份额填报下单。"))
    year = timezone.localtime(at).year
    policy = PolicyYear.objects.filter(year=year).first()
    if policy is None:
        raise PolicyYearMissingError(
            _("%(year)s 年度政策尚未发布，暂不能以单位名义下单。") % {"year": year}
        )
    if unit.org_type == POINTS_SUPERMARKET_TYPE:
        return SalesChannel.POINTS_SUPERMARKET, None, policy
    if unit.org_type != UNION_TYPE:
        return SalesChannel.ORGANISATION, None, policy
    filing = None
    if policy.union_counts_for_parent and unit.parent_id:
        filing = (
            Filing.objects.filter(
                unit_id=unit.parent_id, policy_year=policy, status=FilingStatus.APPROVED
            )
            .select_related("policy_year")
            .first()
        )
    return SalesChannel.UNION, filing, policy


#: The list a policy year starts from when it has none (editable per year in Django admin):
#: (code, name, channel, budget unit types counted under it).
DEFAULT_TYPES = (
    ("agency", "机关", "organisation", "agency,institution"),
    ("school", "学校", "organisation", "school"),
    ("hospital", "医院", "organisation", "hospital"),
    ("enterprise", "企业", "organisation", "state_firm"),
    ("community", "社区", "organisation", ""),
    ("barracks", "军营", "organisation", ""),
    ("supermarket", "商超", "organisation", ""),
    (UNION_TYPE, "工会", "union", ""),
)


def organisation_types_seed(*, policy_year: PolicyYear) -> list[OrganisationType]:
    """Give ``policy_year`` the types in force before it (or ``DEFAULT_TYPES`` when no
    earlier year has any), unless it has its own already. Idempotent."""
    if policy_year.organisation_types.exists():
        return list(policy_year.organisation_types.all())
    earlier = organisation_types(year=policy_year.year)
    rows = (
        [(t.code, t.name, t.channel, t.budget_unit_types) for t in earlier]
        if earlier
        else list(DEFAULT_TYPES)
    )
    portal_changed()  # bulk_create sends no signal
    return OrganisationType.objects.bulk_create(
        OrganisationType(
            policy_year=policy_year,
            code=code,
            name=name,
            channel=channel,
            budget_unit_types=unit_types,
            sort=n,
        )
        for n, (code, name, channel, unit_types) in enumerate(rows)
    )
