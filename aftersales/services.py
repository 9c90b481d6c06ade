"""Writes of after-sales: a shopper's request, the supplier's answers, the refund, the deadline.

Lock order: the order (``orders.services.order_lock``) first, then the case
(``core.locks.row_lock``), then what the refund locks (the payment). Every service checks who
acts (the order's shopper, the line's supplier) before it reads a case's state, and every move
goes through ``AFTERSALES_MOVES`` and writes an ``AfterSalesEvent``. Notices and emails to the
other side leave after commit; Stripe is called after commit by the payments app.
"""

import datetime
import logging
from decimal import Decimal

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.locks import row_lock
from core.money import ZERO, money
from orders import carriers
from orders.services import order_lock
from payments.exceptions import PaymentError
from payments.models import RefundStatus
from payments.services import refund_for_line
from suppliers.access import supplier_for_user
from suppliers.exceptions import DocumentInvalidError
from suppliers.models import NoticeKind
from suppliers.services import notice_create
from suppliers.services.documents import IMAGE_TYPES, upload_check

from .exceptions import (
    AfterSalesAmountInvalidError,
    AfterSalesCaseOpenError,
    AfterSalesInputError,
    AfterSalesNotFoundError,
)
from .models import (
    AFTERSALES_MOVES,
    AWAITING_SUPPLIER,
    AfterSalesAction,
    AfterSalesCase,
    AfterSalesEvent,
    AfterSalesKind,
    AfterSalesPhoto,
    AfterSalesStatus,
    SupplierAfterSalesPolicy,
)
from .selectors import line_aftersales_state

logger = logging.getLogger(__name__)

Line = get_model("order", "Line")
Notification = get_model("communication", "Notification")


# ---------------------------------------------------------------------------
# Telling the other side
# ---------------------------------------------------------------------------
def _tell_shopper(case: AfterSalesCase, message: str) -> None:
    """A notification in the shopper's account and an email, both after commit."""
    subject = _("售后单 %(number)s：%(status)s") % {
        "number": case.number,
        "status": case.get_status_display(),
    }
    path = reverse("aftersales:case", kwargs={"pk": case.pk})
    body = message + "\n\n" + _("查看详情：%(url)s") % {"url": settings.SITE_URL.rstrip("/") + path}
    user = case.user

    def send():
        Notification.objects.create(recipient=user, subject=subject, body=body)
        if user.email:
            send_mail(_("【惠农集市】") + subject, body, None, [user.email])

    transaction.on_commit(send)


def _tell_supplier(case: AfterSalesCase, message: str) -> None:
    """A notice in the supplier's portal and an email to its users (after commit)."""
    notice_create(
        partner=case.partner,
        kind=NoticeKind.AFTERSALES,
        message=_("售后单 %(number)s（订单 %(order)s · %(title)s）：%(message)s")
        % {
            "number": case.number,
            "order": case.order.number,
            "title": case.line.title,
            "message": message,
        },
        email=True,
    )


def _move(case, to: str, *, action: str, actor=None, note: str = "", also=()) -> None:
    old = AFTERSALES_MOVES.move(case, to, also=("updated_at", *also))
    AfterSalesEvent.objects.create(
        case=case, action=action, from_status=old, to_status=to, actor=actor, note=note[:300]
    )


def _reply_due(now: datetime.datetime) -> datetime.datetime:
    return now + datetime.timedelta(days=settings.AFTERSALES_SUPPLIER_REPLY_DAYS)


# ---------------------------------------------------------------------------
# The shopper
# ---------------------------------------------------------------------------
def _photos_check(photos) -> list:
    photos = list(photos or [])
    if len(photos) > settings.AFTERSALES_MAX_PHOTOS:
        raise AfterSalesInputError(
            _("最多上传 %(n)s 张图片。") % {"n": settings.AFTERSALES_MAX_PHOTOS}
        )
    checked = []
    for photo in photos:
        try:
            checked.append(
                upload_check(
                    photo,
                    allowed=IMAGE_TYPES,
                    max_bytes=settings.SUPPLIERS_PRODUCT_IMAGE_MAX_BYTES,
                )
            )
        except DocumentInvalidError as exc:
            raise AfterSalesInputError(str(exc)) from exc
    return checked


def aftersales_request(
    *, user, line_id: int, kind: str, reason: str, amount: Decimal, photos=(), now=None
) -> AfterSalesCase:
    """Open a case on one line of the user's own paid consumer order. Guarantees: the line
    is inside its supplier's window, ``amount`` is more than zero and at most the line's paid
    amount not yet refunded, no other case of the line is open (also a database
    constraint), 商品破损 carries at least one photo and every photo is an image by its
    content (re-encoded). The supplier is told; it must answer by ``reply_due_at``.

    Raises ``AfterSalesNotFoundError`` (not the user's line), ``AfterSalesWindowClosedError``,
    ``AfterSalesLineNotEligibleError``, ``AfterSalesCaseOpenError``,
    ``AfterSalesAmountInvalidError``, ``AfterSalesInputError``; nothing is written then."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if kind not in AfterSalesKind.values:
        raise AfterSalesInputError(_("请选择售后类型。"))
    if not reason:
        raise AfterSalesInputError(_("请填写申请原因。"))
    checked = _photos_check(photos)
    if kind == AfterSalesKind.DAMAGED and not checked:
        raise AfterSalesInputError(_("商品破损请上传至少一张照片。"))
    line = Line.objects.filter(pk=line_id, order__user=user).select_related("order").first()
    if line is None or user is None or not user.is_authenticated:
        raise AfterSalesNotFoundError(_("没有找到该订单商品。"))
    amount = money(amount) if amount is not None else None
    with transaction.atomic():
        order = order_lock(line.order)
        line = Line.objects.select_related("partner").get(pk=line.pk)
        line.order = order
        state = line_aftersales_state(line=line, now=now)
        state.raise_unless_open()
        if amount is None or amount <= ZERO or amount > state.refundable:
            raise AfterSalesAmountInvalidError(
                _("退款金额须大于 0 且不超过该商品实付未退金额 ¥%(left)s。")
                % {"left": state.refundable}
            )
        try:
            with transaction.atomic():
                case = AfterSalesCase.objects.create(
                    order=order,
                    line=line,
                    partner=line.partner,
                    user=user,
                    kind=kind,
                    reason=reason[:200],
                    amount=amount,
                    reply_due_at=_reply_due(now),
                )
        except IntegrityError as exc:  # a concurrent request on the same line won
            raise AfterSalesCaseOpenError(_("该商品已有进行中的售后申请。")) from exc
        for photo in checked:
            AfterSalesPhoto.objects.create(
                case=case, file=photo.content, content_type=photo.content_type, size=photo.size
            )
        AfterSalesEvent.objects.create(
            case=case,
            action=AfterSalesAction.REQUEST,
            to_status=case.status,
            actor=user,
            note=reason,
        )
        _tell_supplier(
            case,
            _(
                "买家申请%(kind)s ¥%(amount)s，原因：%(reason)s。"
                "请在 %(due)s 前处理，逾期系统自动同意。"
            )
            % {
                "kind": case.get_kind_display(),
                "amount": case.amount,
                "reason": reason,
                "due": timezone.localtime(case.reply_due_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    logger.info("after-sales %s opened on line %s", case.number, line.pk)
    return case


def _shoppers_case(*, user, case_id: int):
    """(locked order, locked case) of the user's own case, or ``AfterSalesNotFoundError``."""
    case = AfterSalesCase.objects.filter(pk=case_id, user=user).select_related("order").first()
    if case is None or user is None:
        raise AfterSalesNotFoundError(_("没有找到该售后单。"))
    order = order_lock(case.order)
    case = row_lock(AfterSalesCase, pk=case.pk, related=("line", "partner", "user"))
    case.order = order
    return order, case


def aftersales_cancel(*, user, case_id: int) -> AfterSalesCase:
    """The shopper withdraws a case the supplier has not settled (待商家处理, 待买家退货)."""
    with transaction.atomic():
        _order, case = _shoppers_case(user=user, case_id=case_id)
        AFTERSALES_MOVES.check(
            case,
            AfterSalesStatus.CANCELLED,
            refusal=_("售后单当前状态为“%(status)s”，不能撤销。"),
        )
        case.reply_due_at = None
        _move(
            case,
            AfterSalesStatus.CANCELLED,
            action=AfterSalesAction.CANCEL,
            actor=user,
            also=("reply_due_at",),
        )
        _tell_supplier(case, _("买家已撤销售后申请。"))
    return case


def aftersales_return_ship(
    *, user, case_id: int, carrier: str, tracking_number: str, now=None
) -> AfterSalesCase:
    """The shopper sent the goods back (carrier and tracking number); the supplier must
    confirm receipt by ``reply_due_at``."""
    carrier = (carrier or "").strip()
    tracking_number = carriers.tracking_normalise(tracking_number)
    if carrier not in carriers.BY_NAME:
        raise AfterSalesInputError(_("请选择快递公司。"))
    if not tracking_number:
        raise AfterSalesInputError(_("请填写运单号。"))
    problem = carriers.tracking_error(carrier_name=carrier, tracking_number=tracking_number)
    if problem:
        raise AfterSalesInputError(problem)
    now = now or timezone.now()
    with transaction.atomic():
        _order, case = _shoppers_case(user=user, case_id=case_id)
        case.return_carrier, case.return_tracking = carrier, tracking_number
        case.reply_due_at = _reply_due(now)
        _move(
            case,
            AfterSalesStatus.RETURN_SHIPPED,
            action=AfterSalesAction.RETURN_SHIP,
            actor=user,
            note=f"{carrier} {tracking_number}",
            also=("return_carrier", "return_tracking", "reply_due_at"),
        )
        _tell_supplier(
            case,
            _("买家已寄回商品（%(carrier)s %(tracking)s），收到后请确认收货并退款。")
            % {"carrier": carrier, "tracking": tracking_number},
        )
    return case


# ---------------------------------------------------------------------------
# The supplier
# ---------------------------------------------------------------------------
def _suppliers_case(*, user, case_id: int):
    partner = supplier_for_user(user)
    case = (
        AfterSalesCase.objects.filter(pk=case_id, partner=partner).select_related("order").first()
        if partner is not None
        else None
    )
    if case is None:
        raise AfterSalesNotFoundError(_("没有找到该售后单。"))
    order = order_lock(case.order)
    case = row_lock(AfterSalesCase, pk=case.pk, related=("line", "partner", "user"))
    case.order = order
    return order, case


def _refund_start(*, order, case, actor, action: str, note: str) -> None:
    """Move the locked case to 退款中 and record its one refund (keyed by the case); the
    payments app sends it to Stripe after commit."""
    AFTERSALES_MOVES.check(case, AfterSalesStatus.REFUNDING)
    try:
        refund = refund_for_line(
            order=order,
            line=case.line,
            amount=case.amount,
            reason=_("售后 %(number)s：%(reason)s")
            % {"number": case.number, "reason": case.reason},
            key=case.idempotency_key,
            created_by=actor,
        )
    except PaymentError as exc:
        raise AfterSalesAmountInvalidError(str(exc)) from exc
    case.refund = refund
    case.reply_due_at = None
    _move(
        case,
        AfterSalesStatus.REFUNDING,
        action=action,
        actor=actor,
        note=note,
        also=("refund", "reply_due_at"),
    )


def aftersales_agree(*, user, case_id: int) -> AfterSalesCase:
    """The supplier agrees (待商家处理, or 买家已退货 after receiving the goods): the case's
    refund is recorded once and goes to Stripe once after commit; agreeing again is refused
    with nothing written."""
    with transaction.atomic():
        order, case = _suppliers_case(user=user, case_id=case_id)
        action = (
            AfterSalesAction.RETURN_RECEIVE
            if case.status == AfterSalesStatus.RETURN_SHIPPED
            else AfterSalesAction.AGREE
        )
        _refund_start(order=order, case=case, actor=user, action=action, note="")
        _tell_shopper(
            case,
            _("商家已同意退款 ¥%(amount)s，款项将原路退回您的银行卡。") % {"amount": case.amount},
        )
    return case


def aftersales_refuse(*, user, case_id: int, reason: str) -> AfterSalesCase:
    """The supplier refuses, with a reason the shopper reads."""
    reason = (reason or "").strip()
    if not reason:
        raise AfterSalesInputError(_("拒绝售后必须填写原因。"))
    with transaction.atomic():
        _order, case = _suppliers_case(user=user, case_id=case_id)
        case.refuse_reason, case.reply_due_at = reason[:200], None
        _move(
            case,
            AfterSalesStatus.REFUSED,
            action=AfterSalesAction.REFUSE,
            actor=user,
            note=reason,
            also=("refuse_reason", "reply_due_at"),
        )
        _tell_shopper(case, _("商家拒绝了售后申请，原因：%(reason)s") % {"reason": reason})
    return case


def aftersales_return_request(*, user, case_id: int, return_address: str) -> AfterSalesCase:
    """The supplier asks for the goods back, to ``return_address`` (its saved one by default);
    the shopper then enters the carrier and tracking number."""
    return_address = (return_address or "").strip()
    if not return_address:
        raise AfterSalesInputError(_("请填写退货地址。"))
    with transaction.atomic():
        _order, case = _suppliers_case(user=user, case_id=case_id)
        case.return_address, case.reply_due_at = return_address[:500], None
        _move(
            case,
            AfterSalesStatus.RETURN_REQUESTED,
            action=AfterSalesAction.RETURN_REQUEST,
            actor=user,
            note=return_address,
            also=("return_address", "reply_due_at"),
        )
        _tell_shopper(
            case,
            _("商家要求退货，请将商品寄回：%(address)s，并在售后单中填写快递公司和运单号。")
            % {"address": return_address},
        )
    return case


def aftersales_policy_save(*, user, window_days: int, return_address: str):
    """The supplier's own window (1-60 days) and return address."""
    partner = supplier_for_user(user)
    if partner is None:
        raise AfterSalesNotFoundError(_("没有找到供应商。"))
    if not 1 <= int(window_days) <= 60:
        raise AfterSalesInputError(_("售后期限须为 1 到 60 天。"))
    policy, _created = SupplierAfterSalesPolicy.objects.update_or_create(
        partner=partner,
        defaults={"window_days": int(window_days), "return_address": return_address.strip()},
    )
    return policy


# ---------------------------------------------------------------------------
# The system
# ---------------------------------------------------------------------------
def aftersales_auto_agree_due(*, now=None) -> int:
    """Agree every case whose supplier let ``reply_due_at`` pass (not answered, or a returned
    parcel not confirmed). Idempotent: a case already moved is skipped. Returns how many."""
    now = now or timezone.now()
    due = list(
        AfterSalesCase.objects.filter(
            status__in=AWAITING_SUPPLIER, reply_due_at__lte=now
        ).values_list("pk", flat=True)
    )
    done = 0
    for case_id in due:
        case = AfterSalesCase.objects.select_related("order").get(pk=case_id)
        try:
            with transaction.atomic():
                order = order_lock(case.order)
                case = row_lock(AfterSalesCase, pk=case_id, related=("line", "partner", "user"))
                if case.status not in AWAITING_SUPPLIER or case.reply_due_at is None:
                    continue
                if case.reply_due_at > now:
                    continue
                note = _("商家未在 %(days)s 天内处理，系统自动同意。") % {
                    "days": settings.AFTERSALES_SUPPLIER_REPLY_DAYS
                }
                _refund_start(
                    order=order,
                    case=case,
                    actor=None,
                    action=AfterSalesAction.AUTO_AGREE,
                    note=note,
                )
                _tell_shopper(case, note + _("款项将原路退回您的银行卡。"))
                _tell_supplier(case, note)
        except AfterSalesAmountInvalidError as exc:
            logger.error("after-sales %s cannot be auto-agreed: %s", case_id, exc)
            continue
        done += 1
    return done


def aftersales_refunds_settle(*, order) -> int:
    """Move the order's 退款中 cases whose refund Stripe has confirmed to 已退款 (called when
    the order's sales change, i.e. a refund was applied). Idempotent."""
    settled = 0
    ids = list(
        AfterSalesCase.objects.filter(
            order_id=order.pk,
            status=AfterSalesStatus.REFUNDING,
            refund__status=RefundStatus.SUCCEEDED,
        ).values_list("pk", flat=True)
    )
    for case_id in ids:
        with transaction.atomic():
            case = row_lock(AfterSalesCase, pk=case_id, related=("line", "partner", "user"))
            if case.status != AfterSalesStatus.REFUNDING:
                continue
            _move(case, AfterSalesStatus.REFUNDED, action=AfterSalesAction.REFUNDED)
            _tell_shopper(case, _("退款 ¥%(amount)s 已退回您的银行卡。") % {"amount": case.amount})
            _tell_supplier(case, _("退款 ¥%(amount)s 已完成。") % {"amount": case.amount})
            settled += 1
    return settled
