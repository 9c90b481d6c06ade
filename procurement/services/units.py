"""Budget units: self-registration and its review by the bureau (approve, return, or reject
for good), its withdrawal by the registrant, units created by the bureau, and members. Every
step is a ``UnitDecision`` row (the unit's audit trail)."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.states import StateMachine
from regions.models import RegionLevel

from ..access import bureau_require_scope, review_office_name, unit_may_manage_members
from ..exceptions import (
    ProcurementPermissionError,
    UnitMemberError,
    UnitRegistrationError,
)
from ..models import (
    CLOSED_REGISTRATION,
    BudgetUnit,
    BudgetUnitMember,
    CanteenStatus,
    MemberRole,
    RegistrationStatus,
    UnitAction,
    UnitDecision,
)
from ..portal_cache import units_changed

User = get_user_model()

#: The fields a registrant (or bureau staff creating a unit) fills in.
UNIT_FIELDS = (
    "name",
    "credit_code",
    "region",
    "unit_type",
    "supervising_unit",
    "canteen_status",
    "address",
)


R = RegistrationStatus

#: Every move of a unit's registration: reviewed while pending; corrected and sent again, or
#: withdrawn, once returned. Approved, withdrawn and rejected are final.
REGISTRATION_MOVES = StateMachine(
    field="registration_status",
    transitions={
        R.PENDING: (R.APPROVED, R.RETURNED, R.REJECTED, R.WITHDRAWN),
        R.RETURNED: (R.PENDING, R.WITHDRAWN),
    },
    error=UnitRegistrationError,
)


def _record(*, unit, actor, action: str, detail: str = "", at=None) -> UnitDecision:
    return UnitDecision.record(unit=unit, who=actor, outcome=action, reason=detail, at=at)


def _fill(unit: BudgetUnit, fields: dict, allowed: tuple[str, ...] = UNIT_FIELDS) -> None:
    """Set the unit's own fields and validate them (Chinese field errors as a
    ``ValidationError``: the name or credit code of another unit whose registration is not
    withdrawn or rejected, a bad check digit, a region that is not a county or district)."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unexpected unit fields: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(unit, name, value)
    unit.credit_code = (unit.credit_code or "").upper()
    errors = {}
    if unit.region_id and unit.region.level != RegionLevel.COUNTY:
        errors["region"] = [_("请选择单位所在的县（区）。")]
    try:
        unit.full_clean(exclude=["registered_by"])
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)


def _save(unit: BudgetUnit) -> None:
    # full_clean checked the unique constraints; a concurrent registration of the same name
    # or code can still win the race, and the database's unique index then refuses this one.
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:
        raise UnitRegistrationError(
            _("该单位名称或统一社会信用代码刚刚已被注册，请核对后再提交。")
        ) from exc


def _registration_refusal(user) -> str | None:
    membership = (
        BudgetUnitMember.objects.filter(user=user).select_related("unit").order_by("pk").first()
    )
    if membership is None:
        return None
    unit = membership.unit
    if unit.registration_status == RegistrationStatus.PENDING:
        return _("您注册的单位“%(unit)s”正在等待%(office)s审核，请勿重复注册。") % {
            "unit": unit.name,
            "office": review_office_name(region=unit.region),
        }
    if unit.registration_status == RegistrationStatus.RETURNED:
        return _("您注册的单位“%(unit)s”已被退回，请按退回原因修改后重新提交。") % {
            "unit": unit.name
        }
    return _(
        "您已是预算单位“%(unit)s”的成员，不能再注册新单位；"
        "如需为其他单位采购，请该单位管理员添加您。"
    ) % {"unit": unit.name}


def unit_register(*, user, at: datetime.datetime | None = None, **fields) -> BudgetUnit:
    """A signed-in user registers their unit (``UNIT_FIELDS``). The unit stays inactive
    (待审核) until bureau staff of its region approve it; the registrant is its unit admin
    and purchaser from then on. Raises ``UnitRegistrationError`` for a user who already
    belongs to a unit or has a registration waiting or returned, and ``ValidationError``
    with Chinese field errors; nothing is written then."""
    at = at or timezone.now()
    with transaction.atomic():
        # One registration per user even when the form is sent twice at once.
        User.objects.select_for_update().filter(pk=user.pk).first()
        refusal = _registration_refusal(user)
        if refusal:
            raise UnitRegistrationError(refusal)
        unit = BudgetUnit(
            is_active=False,
            registration_status=RegistrationStatus.PENDING,
            registered_by=user,
            canteen_status=CanteenStatus.OWN,
        )
        _fill(unit, fields)
        _save(unit)
        BudgetUnitMember.objects.bulk_create(
            BudgetUnitMember(unit=unit, user=user, role=role)
            for role in (MemberRole.ADMIN, MemberRole.PURCHASER)
        )
        units_changed(unit_ids=[unit.pk])  # bulk_create sends no signal
        _record(unit=unit, actor=user, action=UnitAction.REGISTERED, at=at)
    return unit


def unit_registration_resubmit(
    *, unit: BudgetUnit, user, at: datetime.datetime | None = None, **fields
) -> BudgetUnit:
    """The registrant corrects a returned registration and sends it for review again."""
    at = at or timezone.now()
    with transaction.atomic():
        unit = BudgetUnit.objects.select_for_update().get(pk=unit.pk)
        if unit.registered_by_id != user.pk:
            raise ProcurementPermissionError()
        REGISTRATION_MOVES.check(unit, R.PENDING, refusal=_("只有被退回的注册可以修改后重新提交。"))
        _fill(unit, fields)
        unit.registration_status = RegistrationStatus.PENDING
        unit.return_reason = ""
        _save(unit)
        _record(unit=unit, actor=user, action=UnitAction.RESUBMITTED, at=at)
    return unit


def _pending_locked(unit: BudgetUnit, user, *, to: str) -> BudgetUnit:
    bureau_require_scope(user=user, region=unit.region)
    unit = (
        BudgetUnit.objects.select_for_update(of=("self",))
        .select_related("registered_by")
        .get(pk=unit.pk)
    )
    REGISTRATION_MOVES.check(
        unit, to, only_from=(R.PENDING,), refusal=_("该单位的注册当前为“%(status)s”，不能审核。")
    )
    return unit


def _registration_decide(*, unit: BudgetUnit, user, status: str, reason: str, at) -> None:
    """Move a locked registration to ``status`` (its ``UnitAction`` has the same value) and
    record it. Withdrawn or rejected, its name and credit code are free again and its members
    (the registrant) lose their roles, so that they may register another unit."""
    unit.return_reason = reason
    REGISTRATION_MOVES.move(unit, status, also=["return_reason", "reviewed_at"])
    if status in CLOSED_REGISTRATION:
        unit.memberships.all().delete()
    _record(unit=unit, actor=user, action=UnitAction(status), detail=reason, at=at)


def _notify_registrant(unit: BudgetUnit, subject: str, body: str) -> None:
    email = unit.registered_by.email if unit.registered_by else ""
    if email:
        transaction.on_commit(lambda: send_mail(subject, body, None, [email]))


def unit_registration_approve(
    *, unit: BudgetUnit, user, at: datetime.datetime | None = None
) -> BudgetUnit:
    """Bureau staff of the unit's region approve a registration waiting for review: the unit
    is active and its registrant can file and order. The registrant is mailed after commit."""
    at = at or timezone.now()
    with transaction.atomic():
        unit = _pending_locked(unit, user, to=R.APPROVED)
        unit.is_active = True
        unit.reviewed_at = at
        REGISTRATION_MOVES.move(unit, R.APPROVED, also=["is_active", "reviewed_at"])
        _record(unit=unit, actor=user, action=UnitAction.APPROVED, at=at)
        _notify_registrant(
            unit,
            _("【惠农集市】预算单位注册已通过：%(unit)s") % {"unit": unit.name},
            _("%(unit)s 的注册已通过审核。您现在可以填报预留份额并以单位名义采购。")
            % {"unit": unit.name},
        )
    return unit


def unit_registration_return(
    *, unit: BudgetUnit, user, reason: str, at: datetime.datetime | None = None
) -> BudgetUnit:
    """Bureau staff of the unit's region return a registration with a reason, which the
    registrant sees; they may correct it and submit it again."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise UnitRegistrationError(_("退回时必须填写原因。"))
    with transaction.atomic():
        unit = _pending_locked(unit, user, to=R.RETURNED)
        unit.reviewed_at = at
        _registration_decide(
            unit=unit, user=user, status=RegistrationStatus.RETURNED, reason=reason, at=at
        )
        _notify_registrant(
            unit,
            _("【惠农集市】预算单位注册被退回：%(unit)s") % {"unit": unit.name},
            _("%(unit)s 的注册被退回，原因：%(reason)s。请登录后修改并重新提交。")
            % {"unit": unit.name, "reason": reason},
        )
    return unit


def unit_registration_withdraw(
    *, unit: BudgetUnit, user, at: datetime.datetime | None = None
) -> BudgetUnit:
    """The registrant withdraws a registration waiting for review or returned (已撤回). Its
    name and credit code are free for anyone to register, the registrant included; the row
    and its audit trail stay. Raises ``ProcurementPermissionError`` for anyone but the
    registrant and ``UnitRegistrationError`` in any other state; nothing changes then."""
    at = at or timezone.now()
    with transaction.atomic():
        unit = BudgetUnit.objects.select_for_update().get(pk=unit.pk)
        if unit.registered_by_id != user.pk:
            raise ProcurementPermissionError()
        REGISTRATION_MOVES.check(
            unit, R.WITHDRAWN, refusal=_("该单位的注册当前为“%(status)s”，不能撤回。")
        )
        _registration_decide(
            unit=unit, user=user, status=RegistrationStatus.WITHDRAWN, reason="", at=at
        )
    return unit


def unit_registration_reject(
    *, unit: BudgetUnit, user, reason: str, at: datetime.datetime | None = None
) -> BudgetUnit:
    """Bureau staff of the unit's region refuse a registration waiting for review for good
    (不予通过, e.g. it uses another unit's details), with a reason the registrant sees and
    is mailed after commit. Its name and credit code are free for the real unit to register."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise UnitRegistrationError(_("不予通过时必须填写原因。"))
    with transaction.atomic():
        unit = _pending_locked(unit, user, to=R.REJECTED)
        unit.reviewed_at = at
        _registration_decide(
            unit=unit, user=user, status=RegistrationStatus.REJECTED, reason=reason, at=at
        )
        _notify_registrant(
            unit,
            _("【惠农集市】预算单位注册未通过审核：%(unit)s") % {"unit": unit.name},
            _("%(unit)s 的注册未通过审核，原因：%(reason)s。如有疑问，请联系%(office)s。")
            % {
                "unit": unit.name,
                "reason": reason,
                "office": review_office_name(region=unit.region),
            },
        )
    return unit


def unit_create(*, user, at: datetime.datetime | None = None, **fields) -> BudgetUnit:
    """Bureau staff create an approved, active unit in their region (``UNIT_FIELDS``);
    members are added afterwards. Raises ``ProcurementPermissionError`` outside the
    user's region and ``ValidationError`` with Chinese field errors."""
    at = at or timezone.now()
    region = fields.get("region")
    if region is None:
        raise ValidationError({"region": [_("请选择单位所在的县（区）。")]})
    bureau_require_scope(user=user, region=region)
    with transaction.atomic():
        unit = BudgetUnit(is_active=True, registration_status=RegistrationStatus.APPROVED)
        _fill(unit, fields)
        unit.reviewed_at = at
        _save(unit)
        _record(unit=unit, actor=user, action=UnitAction.CREATED, at=at)
    return unit


def unit_member_add(*, unit: BudgetUnit, user, email: str, role: str) -> BudgetUnitMember:
    """Add an existing user (by email) to the unit with ``role``. Bureau staff of the unit's
    region or the unit's admins only. Raises ``UnitMemberError`` for an unknown email, an
    unknown role or a role the user already has."""
    if not unit_may_manage_members(user=user, unit=unit):
        raise ProcurementPermissionError()
    if role not in MemberRole.values:
        raise UnitMemberError(_("请选择成员角色。"))
    email = (email or "").strip()
    member = User.objects.filter(email__iexact=email).order_by("pk").first() if email else None
    if member is None:
        raise UnitMemberError(
            _("没有找到邮箱为 %(email)s 的用户，请对方先在本站注册账号。") % {"email": email}
        )
    with transaction.atomic():
        if BudgetUnitMember.objects.filter(unit=unit, user=member, role=role).exists():
            raise UnitMemberError(
                _("%(email)s 已是本单位的%(role)s。")
                % {"email": member.email, "role": MemberRole(role).label}
            )
        membership = BudgetUnitMember.objects.create(unit=unit, user=member, role=role)
        _record(
            unit=unit,
            actor=user,
            action=UnitAction.MEMBER_ADDED,
            detail=f"{member.email} · {MemberRole(role).label}",
        )
    return membership


def unit_member_remove(*, membership: BudgetUnitMember, user) -> None:
    """Remove one role of a member. The unit's last admin stays (add another first)."""
    unit = membership.unit
    if not unit_may_manage_members(user=user, unit=unit):
        raise ProcurementPermissionError()
    with transaction.atomic():
        BudgetUnit.objects.select_for_update().filter(pk=unit.pk).first()
        if (
            membership.role == MemberRole.ADMIN
            and not unit.memberships.filter(role=MemberRole.ADMIN)
            .exclude(pk=membership.pk)
            .exists()
        ):
            raise UnitMemberError(_("不能移除本单位唯一的单位管理员，请先添加另一位管理员。"))
        if membership.role == MemberRole.APPROVER:
            levels = unit.approval_rules.count()
            left = (
                unit.memberships.filter(role=MemberRole.APPROVER)
                .exclude(pk=membership.pk)
                .values("user")
                .distinct()
                .count()
            )
            if left < levels:
                # Orders at or above the thresholds would wait for an approver forever.
                raise UnitMemberError(
                    _(
                        "本单位设有 %(levels)s 级审批，须至少 %(levels)s 位审批人；"
                        "请先修改审批规则或添加审批人，再移除该审批人。"
                    )
                    % {"levels": levels}
                )
        detail = f"{membership.user.email} · {membership.get_role_display()}"
        membership.delete()
        _record(unit=unit, actor=user, action=UnitAction.MEMBER_REMOVED, detail=detail)
