"""Staff personal purchases (职工个人消费): a consumer links their account to their
organisation (a budget unit or a "八进" organisation) with its invite code, or asks and the
organisation's admin approves; either side may end the link. A linked member's consumer order
is attributed to the organisation when it is paid (``staff_purchase_attribute``, called in
the payment's transaction through ``orders.hooks``): one ``StaffPurchase`` row, and the order
moves to channel ``staff`` so that its sales facts count there, never in a reserved share."""

import datetime
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import ZERO
from orders.models import SalesChannel

from ..access import unit_may_manage_members
from ..exceptions import ProcurementPermissionError, StaffLinkError
from ..models import (
    LIVE_STAFF_LINK,
    BudgetUnit,
    StaffInvite,
    StaffLink,
    StaffLinkStatus,
    StaffPurchase,
    UnitAction,
    UnitDecision,
)
from .organisations import organisation_types

#: Invite codes avoid letters and digits that read alike (0/O, 1/I/L).
INVITE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def unit_org_type(unit: BudgetUnit, *, year: int | None = None) -> str:
    """The "八进" type an organisation counts under: its own ``org_type``, or for a budget
    unit the type of the year that lists its unit type (``budget_unit_types``), else its unit
    type itself."""
    if unit.org_type:
        return unit.org_type
    for org_type in organisation_types(year=year):
        if unit.unit_type in org_type.budget_unit_type_codes:
            return org_type.code
    return unit.unit_type


def staff_invite_rotate(*, unit: BudgetUnit, user) -> StaffInvite:
    """A new invite code for the unit's staff (the old one stops working). The unit's admins
    or bureau staff of its region only."""
    if not unit.is_active or not unit_may_manage_members(user=user, unit=unit):
        raise ProcurementPermissionError()
    with transaction.atomic():
        StaffInvite.objects.filter(unit=unit).delete()
        code = "".join(secrets.choice(INVITE_ALPHABET) for _n in range(8))
        return StaffInvite.objects.create(unit=unit, code=code, created_by=user)


def _link_create(*, user, unit: BudgetUnit, status: str, by_invite: bool, at) -> StaffLink:
    org_type = unit_org_type(unit)
    live = (
        StaffLink.objects.filter(user=user, org_type=org_type, status__in=LIVE_STAFF_LINK)
        .select_related("unit")
        .first()
    )
    if live is not None:
        raise StaffLinkError(
            _("您的账号已关联（或正在申请关联）“%(unit)s”，同一类型的单位只能关联一个；请先解除。")
            % {"unit": live.unit.name}
        )
    try:
        with transaction.atomic():
            link = StaffLink.objects.create(
                unit=unit,
                user=user,
                org_type=org_type,
                status=status,
                by_invite=by_invite,
                created_at=at,
                decided_at=at if status == StaffLinkStatus.ACTIVE else None,
            )
    except IntegrityError as exc:  # a concurrent link of the same type won the race
        raise StaffLinkError(_("您的账号已关联同一类型的单位。")) from exc
    return link


def staff_link_by_code(*, user, code: str, at: datetime.datetime | None = None) -> StaffLink:
    """Link ``user`` to the organisation whose invite code is ``code`` (active at once).
    Raises ``StaffLinkError`` for an unknown code, an inactive organisation, or a live link
    of the account to an organisation of the same type; nothing is written then."""
    at = at or timezone.now()
    code = (code or "").strip().upper()
    invite = StaffInvite.objects.select_related("unit").filter(code=code).first() if code else None
    if invite is None or not invite.unit.is_active:
        raise StaffLinkError(_("邀请码无效，请向单位管理员索取最新的邀请码。"))
    link = _link_create(
        user=user, unit=invite.unit, status=StaffLinkStatus.ACTIVE, by_invite=True, at=at
    )
    UnitDecision.record(unit=invite.unit, who=user, outcome=UnitAction.STAFF_LINKED, at=at)
    return link


def staff_link_request(*, user, unit: BudgetUnit, at: datetime.datetime | None = None) -> StaffLink:
    """Ask to be linked to ``unit``; its admin approves (``staff_link_approve``) or refuses.
    Refused as ``staff_link_by_code``."""
    if not unit.is_active:
        raise StaffLinkError(_("该单位尚未通过审核，不能关联。"))
    return _link_create(
        user=user,
        unit=unit,
        status=StaffLinkStatus.PENDING,
        by_invite=False,
        at=at or timezone.now(),
    )


def _locked_link(link: StaffLink) -> StaffLink:
    return StaffLink.objects.select_for_update().select_related("unit").get(pk=link.pk)


def staff_link_decide(
    *, link: StaffLink, user, approve: bool, at: datetime.datetime | None = None
) -> StaffLink:
    """The organisation's admin (or bureau staff of its region) approves or refuses a
    request waiting. Raises ``ProcurementPermissionError`` for anyone else and
    ``StaffLinkError`` for a link that is not waiting."""
    at = at or timezone.now()
    with transaction.atomic():
        link = _locked_link(link)
        if not unit_may_manage_members(user=user, unit=link.unit):
            raise ProcurementPermissionError()
        if link.status != StaffLinkStatus.PENDING:
            raise StaffLinkError(_("该关联申请已处理。"))
        link.status = StaffLinkStatus.ACTIVE if approve else StaffLinkStatus.REFUSED
        link.decided_at = at
        link.save(update_fields=["status", "decided_at"])
        if approve:
            UnitDecision.record(unit=link.unit, who=user, outcome=UnitAction.STAFF_LINKED, at=at)
    return link


def staff_link_revoke(*, link: StaffLink, user, at: datetime.datetime | None = None) -> StaffLink:
    """End a link, by the linked account or by the organisation's admin (or bureau staff
    of its region). Orders paid while it was active stay counted for the organisation."""
    at = at or timezone.now()
    with transaction.atomic():
        link = _locked_link(link)
        if link.user_id != user.pk and not unit_may_manage_members(user=user, unit=link.unit):
            raise ProcurementPermissionError()
        if link.status not in LIVE_STAFF_LINK:
            raise StaffLinkError(_("该关联已解除。"))
        link.status = StaffLinkStatus.REVOKED
        link.ended_at, link.ended_by = at, user
        link.save(update_fields=["status", "ended_at", "ended_by"])
        UnitDecision.record(unit=link.unit, who=user, outcome=UnitAction.STAFF_UNLINKED, at=at)
    return link


def staff_purchase_attribute(*, order) -> StaffPurchase | None:
    """Attribute a consumer order being paid to its buyer's organisation: the oldest active
    link of the account (one organisation per order, so nothing counts twice). Writes the
    ``StaffPurchase`` row (the lines' amount, shipping excluded) and moves the order to
    channel ``staff``; nothing for an order of another channel, an anonymous buyer or an
    account without an active link. Idempotent."""
    if order.channel != SalesChannel.CONSUMER or not order.user_id:
        return None
    link = (
        StaffLink.objects.filter(user_id=order.user_id, status=StaffLinkStatus.ACTIVE)
        .order_by("decided_at", "pk")
        .first()
    )
    if link is None or StaffPurchase.objects.filter(order=order).exists():
        return None
    amount = sum((line.line_price_incl_tax for line in order.lines.all()), ZERO)
    purchase = StaffPurchase.objects.create(
        order=order, link=link, unit_id=link.unit_id, amount=amount, paid_at=timezone.now()
    )
    type(order).objects.filter(pk=order.pk).update(channel=SalesChannel.STAFF)
    order.channel = SalesChannel.STAFF
    return purchase
