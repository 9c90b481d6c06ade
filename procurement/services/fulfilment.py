"""After approval: shipments (made by suppliers), acceptance by the unit, and payment by bank
transfer against each supplier's invoice."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import ZERO, money, yuan
from orders import reference
from orders.models import ORDER_STATUS_MOVES, OrderStatus
from orders.services import order_lock, order_status_move
from orders.signals import order_sales_changed

from .. import hooks
from ..access import supplier_require_staff, unit_require_role
from ..exceptions import (
    AcceptanceQuantityError,
    ProcurementOrderStateError,
    ProcurementPermissionError,
    SettlementError,
)
from ..models import (
    Acceptance,
    AcceptanceLine,
    CountingEvent,
    MemberRole,
    QuotaEntryKind,
    Settlement,
)
from ..portal_cache import units_changed
from ..selectors import order_refunded_quantities
from .ledger import LineMove, ledger_append
from .locks import filing_lock, procurement_order_lock
from .orders import line_amount, order_line_balances

Order = get_model("order", "Order")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")

UNIT_ROLES = (MemberRole.PURCHASER, MemberRole.APPROVER, MemberRole.ADMIN)


def procurement_order_sync_shipping(*, order):
    """Called for every saved shipment line (payments' shipping sync hands procurement orders
    here): a line shipped in full consumes its stock allocation, and an approved order whose
    lines are all shipped becomes 已发货. Idempotent."""
    with transaction.atomic():
        order = order_lock(order)
        if order.status not in (OrderStatus.APPROVED, OrderStatus.SHIPPED):
            return order
        shipped = dict(
            ShippingEventQuantity.objects.filter(
                event__order=order, event__event_type__code=reference.SHIPPING_EVENT_SHIPPED[0]
            )
            .values_list("line_id")
            .annotate(total=Sum("quantity"))
        )
        lines = list(order.lines.select_related("stockrecord").order_by("stockrecord_id", "pk"))
        for line in lines:
            if shipped.get(line.pk, 0) >= line.quantity:
                if line.num_allocated and not line.allocation_cancelled:
                    line.consume_allocation(line.num_allocated)
                if line.status == OrderStatus.APPROVED:
                    line.status = OrderStatus.SHIPPED
                    line.save(update_fields=["status"])
        if order.status == OrderStatus.APPROVED and all(
            shipped.get(line.pk, 0) >= line.quantity for line in lines
        ):
            order_status_move(order=order, status=OrderStatus.SHIPPED)
    return order


def _accounted(procurement) -> dict[int, int]:
    rows = (
        AcceptanceLine.objects.filter(acceptance__procurement=procurement)
        .values("line_id")
        .annotate(total=Sum("shipped"))
    )
    return {row["line_id"]: row["total"] for row in rows}


def procurement_shipment_accept(
    *,
    shipping_event,
    user,
    quantities: dict[int, tuple[int, int, int]] | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
    options: dict | None = None,
) -> Acceptance:
    """The unit accepts (验收) one shipment, line by line: ``quantities`` maps a line id to
    (accepted, short, damaged), which must add up to the quantity shipped (a line left out
    is accepted in full). Accepted amounts count as completed when the year counts
    acceptance; short and damaged amounts are released (or un-counted when the year counts
    placing). When every line is accounted for the order is 已验收 and one settlement per
    supplier waits for its invoice.

    The callbacks registered in ``procurement.hooks`` run in the same transaction, after
    the acceptance lines are written, with ``options`` (a points supermarket's points prices
    for goods new on its shelf); their refusals roll the acceptance back.

    Refusals (nothing written): ``ProcurementPermissionError`` (not a member of the unit),
    ``ProcurementOrderStateError`` (not a shipment of an open order, or accepted already),
    ``AcceptanceQuantityError`` (negative numbers, more than shipped, not adding up)."""
    at = at or timezone.now()
    quantities = quantities or {}
    with transaction.atomic():
        order, procurement = procurement_order_lock(shipping_event.order)
        unit_require_role(
            user=user, unit=procurement.unit, roles=UNIT_ROLES, error=ProcurementPermissionError
        )
        event = ShippingEvent.objects.select_related("event_type").get(pk=shipping_event.pk)
        if event.event_type.code != reference.SHIPPING_EVENT_SHIPPED[0]:
            raise ProcurementOrderStateError(_("只能验收发货记录。"))
        if order.status not in (OrderStatus.APPROVED, OrderStatus.SHIPPED):
            raise ProcurementOrderStateError(
                _("订单当前状态为“%(status)s”，不能验收。") % {"status": _(order.status)}
            )
        if Acceptance.objects.filter(shipping_event=event).exists():
            raise ProcurementOrderStateError(_("该批发货已经验收过了。"))
        shipped_lines = list(
            ShippingEventQuantity.objects.filter(event=event).select_related("line")
        )
        unknown = set(quantities) - {q.line_id for q in shipped_lines}
        if unknown:
            raise AcceptanceQuantityError(_("验收的商品不在这批发货中。"))
        rows = []
        for shipped in shipped_lines:
            line = shipped.line
            accepted, short, damaged = quantities.get(line.pk, (shipped.quantity, 0, 0))
            if min(accepted, short, damaged) < 0:
                raise AcceptanceQuantityError(_("验收数量不能为负数。"))
            if accepted > shipped.quantity:
                raise AcceptanceQuantityError(
                    _(
                        "“%(product)s”本批发货 %(shipped)s 件，"
                        "验收合格数量不能超过发货数量（填写了 %(accepted)s 件）。"
                    )
                    % {"product": line.title, "shipped": shipped.quantity, "accepted": accepted}
                )
            if accepted + short + damaged != shipped.quantity:
                raise AcceptanceQuantityError(
                    _(
                        "“%(product)s”本批发货 %(shipped)s 件："
                        "合格、短少、破损数量之和应等于发货数量。"
                    )
                    % {"product": line.title, "shipped": shipped.quantity}
                )
            rows.append((line, shipped.quantity, accepted, short, damaged))

        acceptance = Acceptance.objects.create(
            procurement=procurement,
            shipping_event=event,
            accepted_by=user,
            accepted_at=at,
            note=note,
        )
        acceptance_lines = AcceptanceLine.objects.bulk_create(
            AcceptanceLine(
                acceptance=acceptance, line=line, shipped=s, accepted=a, short=sh, damaged=d
            )
            for line, s, a, sh, d in rows
        )
        for callback in hooks.acceptance_callbacks():
            callback(
                acceptance=acceptance,
                procurement=procurement,
                lines=acceptance_lines,
                user=user,
                options=options or {},
            )
        counting = procurement.counting_event
        complete_moves, release_moves = [], []
        for line, _s, accepted, short, damaged in rows:
            good, bad = line_amount(line, accepted), line_amount(line, short + damaged)
            if counting == CountingEvent.ACCEPTED and accepted:
                complete_moves.append(
                    LineMove(
                        line=line, quantity=accepted, committed_delta=-good, completed_delta=good
                    )
                )
            if bad:
                release = LineMove(line=line, quantity=short + damaged)
                if counting == CountingEvent.PLACED:
                    release.completed_delta = -bad
                else:
                    release.committed_delta = -bad
                release_moves.append(release)
        filing = filing_lock(filing_id=procurement.filing_id)
        ledger_append(
            filing=filing,
            kind=QuotaEntryKind.COMPLETE,
            order=order,
            moves=complete_moves,
            by=user,
            at=at,
        )
        ledger_append(
            filing=filing,
            kind=QuotaEntryKind.RELEASE,
            order=order,
            moves=release_moves,
            reason=_("验收短少或破损"),
            by=user,
            at=at,
        )
        accounted = _accounted(procurement)
        lines = list(order.lines.select_related("partner"))
        if all(accounted.get(line.pk, 0) >= line.quantity for line in lines):
            _close_acceptance(order=order, procurement=procurement, lines=lines)
    if complete_moves or any(m.completed_delta for m in release_moves):
        order_sales_changed.send(sender=Order, order=order)
    return acceptance


def _close_acceptance(*, order, procurement, lines) -> None:
    accepted = dict(
        AcceptanceLine.objects.filter(acceptance__procurement=procurement)
        .values_list("line_id")
        .annotate(total=Sum("accepted"))
    )
    due = defaultdict(lambda: ZERO)
    for line in lines:
        if accepted.get(line.pk):
            due[line.partner_id] += line_amount(line, accepted[line.pk])
    order_status_move(order=order, status=OrderStatus.ACCEPTED)
    Settlement.objects.bulk_create(
        Settlement(procurement=procurement, partner_id=partner_id, amount=amount)
        for partner_id, amount in due.items()
        if amount > 0
    )
    units_changed(procurement_ids=[procurement.pk])  # bulk_create sends no signal
    if not due:
        order_status_move(order=order, status=OrderStatus.COMPLETED, note=_("无合格商品，无需付款"))


def _settlement_locked(settlement):
    order, procurement = procurement_order_lock(settlement.procurement.order)
    settlement = (
        Settlement.objects.select_for_update().select_related("partner").get(pk=settlement.pk)
    )
    return order, procurement, settlement


def order_follow_settlements(order, procurement, stage_field: str, status: str) -> None:
    """Move the order to ``status`` once every settlement with something left to pay has
    reached ``stage_field`` (a settlement refunded in full holds nothing back)."""
    waiting = procurement.settlements.filter(**{f"{stage_field}__isnull": True}).exclude(
        amount=F("refunded")
    )
    if not waiting.exists():
        if ORDER_STATUS_MOVES.allows(order.status, status):
            order_status_move(order=order, status=status)


def settlement_invoice(
    *,
    settlement: Settlement,
    user,
    invoice_number: str,
    invoice_date: datetime.date,
    amount,
    at: datetime.datetime | None = None,
) -> Settlement:
    """The supplier records its invoice for the accepted amount (exactly that amount)."""
    at = at or timezone.now()
    with transaction.atomic():
        order, procurement, settlement = _settlement_locked(settlement)
        supplier_require_staff(user=user, partner=settlement.partner)
        if settlement.invoiced_at:
            raise SettlementError(_("发票已登记。"))
        if not settlement.due:
            raise SettlementError(_("该结算已全额退款，无需开票。"))
        if money(amount) != settlement.due:
            raise SettlementError(
                _("发票金额应等于验收合格金额减去退款后的 %(due)s。")
                % {"due": yuan(settlement.due)}
            )
        if not invoice_number.strip():
            raise SettlementError(_("请填写发票号码。"))
        settlement.invoice_number = invoice_number.strip()
        settlement.invoice_date = invoice_date
        settlement.invoiced_at = at
        settlement.invoiced_by = user
        settlement.save()
        order_follow_settlements(order, procurement, "invoiced_at", OrderStatus.INVOICED)
    return settlement


def settlement_transfer(
    *, settlement: Settlement, user, reference_no: str, at: datetime.datetime | None = None
) -> Settlement:
    """The unit records its bank transfer against the supplier's invoice."""
    at = at or timezone.now()
    with transaction.atomic():
        order, procurement, settlement = _settlement_locked(settlement)
        unit_require_role(
            user=user, unit=procurement.unit, roles=UNIT_ROLES, error=ProcurementPermissionError
        )
        if not settlement.invoiced_at:
            raise SettlementError(_("供应商尚未开具发票，不能登记转账。"))
        if settlement.transferred_at:
            raise SettlementError(_("转账已登记。"))
        if not settlement.due:
            raise SettlementError(_("该结算已全额退款，无需转账。"))
        if not reference_no.strip():
            raise SettlementError(_("请填写转账流水号。"))
        settlement.transfer_reference = reference_no.strip()
        settlement.transferred_at = at
        settlement.transferred_by = user
        settlement.save()
        order_follow_settlements(order, procurement, "transferred_at", OrderStatus.TRANSFERRED)
    return settlement


def settlement_confirm_receipt(
    *, settlement: Settlement, user, at: datetime.datetime | None = None
) -> Settlement:
    """The supplier confirms the money arrived. When the year counts payment, this
    supplier's accepted amount counts as completed now. All confirmed: 已完成."""
    at = at or timezone.now()
    with transaction.atomic():
        order, procurement, settlement = _settlement_locked(settlement)
        supplier_require_staff(user=user, partner=settlement.partner)
        if not settlement.transferred_at:
            raise SettlementError(_("采购单位尚未登记转账，不能确认收款。"))
        if settlement.received_at:
            raise SettlementError(_("已确认收款。"))
        settlement.received_at = at
        settlement.received_by = user
        settlement.save()
        counted = False
        if procurement.counting_event == CountingEvent.PAID:
            balances = order_line_balances(order)
            accepted = dict(
                AcceptanceLine.objects.filter(acceptance__procurement=procurement)
                .values_list("line_id")
                .annotate(total=Sum("accepted"))
            )
            # Units refunded before receipt were released from committed: they never count.
            refunded = order_refunded_quantities(procurement=procurement)
            moves = [
                LineMove(
                    line=line,
                    quantity=accepted.get(line.pk, 0) - refunded.get(line.pk, 0),
                    committed_delta=-balances[line.pk][0],
                    completed_delta=balances[line.pk][0],
                )
                for line in order.lines.filter(partner=settlement.partner)
            ]
            filing = filing_lock(filing_id=procurement.filing_id)
            counted = bool(
                ledger_append(
                    filing=filing,
                    kind=QuotaEntryKind.COMPLETE,
                    order=order,
                    moves=moves,
                    by=user,
                    at=at,
                )
            )
        order_follow_settlements(order, procurement, "received_at", OrderStatus.COMPLETED)
    if counted:
        order_sales_changed.send(sender=Order, order=order)
    return settlement
