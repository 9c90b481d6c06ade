"""Refunds (退款) of accepted procurement goods: goods returned or found faulty after
acceptance. The supplier records the refund for line quantities with a reason; no
confirmation by the unit is needed (see the README: a refund only ever lowers the
supplier's claim and the unit's completion).

Each refund is one ledger entry of kind ``refund`` that releases its amount from
``completed`` when the order's counting event had counted it, else from ``committed``
(counting at payment, before the supplier confirmed receipt). The supplier's settlement
records the refunded sum, so the unit transfers (or the supplier invoices) only what is due.

Lock order as everywhere: the Oscar order row, the settlement row, the filing row last.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import ZERO
from orders.models import OrderStatus
from orders.services import order_status_move
from orders.signals import order_sales_changed

from ..access import review_office_name, supplier_require_staff
from ..exceptions import ProcurementOrderStateError, RefundError
from ..models import (
    AcceptanceLine,
    CountingEvent,
    ProcurementRefund,
    ProcurementRefundLine,
    QuotaEntryKind,
    Settlement,
)
from ..selectors import REFUNDABLE_STATUSES, order_refunded_quantities
from .fulfilment import order_follow_settlements
from .ledger import LineMove, ledger_append
from .locks import filing_lock, procurement_order_lock
from .orders import line_amount, order_line_balances

Order = get_model("order", "Order")


def refund_amount(line, *, already: int, quantity: int) -> Decimal:
    """What ``quantity`` more units of ``line`` refund when ``already`` were refunded: the
    difference of the cumulative amounts, so that refunds of a line in several steps add up
    to exactly what refunding them at once would (to the fen)."""
    return line_amount(line, already + quantity) - line_amount(line, already)


def refundable_lines(*, procurement, partner) -> list[dict]:
    """The partner's lines of the order with what was accepted, what was refunded and what
    may still be refunded (``{"line", "accepted", "refunded", "refundable"}``)."""
    accepted = dict(
        AcceptanceLine.objects.filter(acceptance__procurement=procurement)
        .values_list("line_id")
        .annotate(total=Sum("accepted"))
    )
    refunded = order_refunded_quantities(procurement=procurement)
    rows = []
    for line in procurement.order.lines.filter(partner=partner).order_by("pk"):
        done = refunded.get(line.pk, 0)
        rows.append(
            {
                "line": line,
                "accepted": accepted.get(line.pk, 0),
                "refunded": done,
                "refundable": accepted.get(line.pk, 0) - done,
            }
        )
    return rows


def _voucher_check(settlement, voucher: str) -> None:
    if settlement.transferred_at and not voucher:
        raise RefundError(_("单位已转账，请填写退款转账流水号。"))
    if settlement.invoiced_at and not voucher:
        raise RefundError(_("发票已开具，请填写红字发票号码。"))


def _quantities_check(rows: list[dict], quantities: dict[int, int]) -> list[tuple]:
    """[(row, quantity)] of the lines refunded, or ``RefundError``."""
    by_line = {row["line"].pk: row for row in rows}
    if set(quantities) - set(by_line):
        raise RefundError(_("退款的商品不是本供应商在该订单中的商品。"))
    if any(q < 0 for q in quantities.values()):
        raise RefundError(_("退货数量不能为负数。"))
    chosen = [(by_line[pk], q) for pk, q in sorted(quantities.items()) if q]
    if not chosen:
        raise RefundError(_("请至少填写一件退货数量。"))
    for row, quantity in chosen:
        if quantity > row["refundable"]:
            raise RefundError(
                _(
                    "“%(product)s”验收合格 %(accepted)s 件，已退 %(refunded)s 件，"
                    "最多还能退 %(left)s 件（填写了 %(quantity)s 件）。"
                )
                % {
                    "product": row["line"].title,
                    "accepted": row["accepted"],
                    "refunded": row["refunded"],
                    "left": row["refundable"],
                    "quantity": quantity,
                }
            )
    return chosen


def procurement_refund_record(
    *,
    order,
    partner,
    user,
    quantities: dict[int, int],
    reason: str,
    voucher: str = "",
    at: datetime.datetime | None = None,
) -> ProcurementRefund:
    """The supplier ``partner`` refunds accepted units of its lines of a procurement order
    (``quantities``: line id -> units). In one transaction: a ``ProcurementRefund`` with its
    lines, one ledger entry (kind ``refund``) releasing the amount from ``completed`` if the
    order's counting event had counted it, else from ``committed``, and the settlement's
    ``refunded`` sum (the unit then owes ``settlement.due``). When nothing of the order is
    left to pay the order is 已退款; otherwise it moves on as far as its remaining
    settlements allow. ``order_sales_changed`` is sent after commit when completion moved.

    Refusals (nothing written): ``ProcurementPermissionError`` (not staff of ``partner``),
    ``ProcurementOrderStateError`` (not shipped or not all accepted yet, or refunded in
    full already), ``RefundError`` (nothing of the partner accepted, no reason, no voucher
    once invoiced or transferred, lines of another supplier, negative quantities or more
    units than accepted less refunded)."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    voucher = (voucher or "").strip()
    with transaction.atomic():
        supplier_require_staff(user=user, partner=partner)
        order, procurement = procurement_order_lock(order)
        if order.status not in REFUNDABLE_STATUSES:
            raise ProcurementOrderStateError(
                _("订单当前状态为“%(status)s”，全部验收后才能登记退款。")
                % {"status": _(order.status)}
            )
        settlement = (
            Settlement.objects.select_for_update()
            .filter(procurement=procurement, partner=partner)
            .first()
        )
        if settlement is None:
            raise RefundError(_("该订单中没有本供应商验收合格的商品，无可退款。"))
        if not reason:
            raise RefundError(_("请填写退款原因。"))
        _voucher_check(settlement, voucher)
        chosen = _quantities_check(
            refundable_lines(procurement=procurement, partner=partner), quantities
        )
        counted = procurement.counting_event != CountingEvent.PAID or bool(settlement.received_at)
        balances = order_line_balances(order)
        moves, refund_lines = [], []
        for row, quantity in chosen:
            line = row["line"]
            amount = refund_amount(line, already=row["refunded"], quantity=quantity)
            # The ledger must hold what is released on this very line; anything else means
            # the ledger was changed behind the services' back (reconcile_quota says where).
            if balances[line.pk][1 if counted else 0] < amount:
                raise ProcurementOrderStateError(
                    _("订单 %(number)s 的台账与验收记录不一致，请联系%(office)s核对后再退款。")
                    % {
                        "number": order.number,
                        "office": review_office_name(region=procurement.unit.region),
                    }
                )
            moves.append(
                LineMove(
                    line=line,
                    quantity=quantity,
                    committed_delta=ZERO if counted else -amount,
                    completed_delta=-amount if counted else ZERO,
                )
            )
            refund_lines.append(ProcurementRefundLine(line=line, quantity=quantity, amount=amount))
        total = sum((r.amount for r in refund_lines), ZERO)
        filing = filing_lock(filing_id=procurement.filing_id)
        entry = ledger_append(
            filing=filing,
            kind=QuotaEntryKind.REFUND,
            order=order,
            moves=moves,
            reason=reason,
            by=user,
            at=at,
        )
        refund = ProcurementRefund.objects.create(
            procurement=procurement,
            settlement=settlement,
            partner=partner,
            amount=total,
            reason=reason,
            voucher=voucher,
            entry=entry,
            created_by=user,
            created_at=at,
        )
        for refund_line in refund_lines:
            refund_line.refund = refund
        ProcurementRefundLine.objects.bulk_create(refund_lines)
        settlement.refunded += total
        settlement.save(update_fields=["refunded"])
        _order_after_refund(order=order, procurement=procurement, reason=reason)
    if counted:
        order_sales_changed.send(sender=Order, order=order)
    return refund


def _order_after_refund(*, order, procurement, reason: str) -> None:
    settlements = list(procurement.settlements.all())
    if all(s.due == 0 for s in settlements):
        order_status_move(order=order, status=OrderStatus.REFUNDED, note=reason)
        return
    # A settlement with nothing left to pay no longer holds the order back.
    for stage_field, status in (
        ("invoiced_at", OrderStatus.INVOICED),
        ("transferred_at", OrderStatus.TRANSFERRED),
        ("received_at", OrderStatus.COMPLETED),
    ):
        order_follow_settlements(order, procurement, stage_field, status)
