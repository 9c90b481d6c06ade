"""Procurement orders after submission (``submission``): approval, rejection and
cancellation, and the line amounts and balances the other order services read.

Lock order: the basket row (a submission, first of all: one submission per basket), the Oscar
order row (approval, rejection, cancellation), then stock records
(Oscar's guarded allocation, in stock-record order; Oscar's purchase counters follow it), then
the filing row, last.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.states import StateMachine
from orders.models import OrderStatus
from orders.services import order_status_move
from orders.signals import order_sales_changed

from ..access import unit_require_role
from ..exceptions import (
    ApproverSelfApprovalError,
    ProcurementOrderStateError,
    ProcurementPermissionError,
)
from ..models import (
    ApprovalDecision,
    CountingEvent,
    MemberRole,
    OrderApproval,
    QuotaEntryKind,
)
from .ledger import (
    ZERO,
    LineMove,
    ledger_append,
    money,
)
from .locks import filing_lock, procurement_order_lock

Order = get_model("order", "Order")

#: The order status machine (``orders.models.OrderStatus.TRANSITIONS``), refusing with the
#: procurement domain's error: the unit's own moves (approve, reject, cancel) check with it.
PROCUREMENT_ORDER_MOVES = StateMachine(
    field="status", transitions=OrderStatus.TRANSITIONS, error=ProcurementOrderStateError
)


def line_amount(line, quantity: int) -> Decimal:
    """What ``quantity`` units of an order line cost at the price frozen at submission."""
    return money(line.unit_price_incl_tax * quantity)


def order_line_balances(order) -> dict[int, list[Decimal]]:
    """{line id: [committed, completed]} of an order, summed from its ledger lines."""
    from ..models import QuotaEntryLine

    sums: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for row in QuotaEntryLine.objects.filter(entry__order=order).values(
        "line_id", "committed_delta", "completed_delta"
    ):
        sums[row["line_id"]][0] += row["committed_delta"]
        sums[row["line_id"]][1] += row["completed_delta"]
    return sums


def _complete_all(*, procurement, filing, order, at, by) -> None:
    """Counting event "placed": the order's whole committed amount counts as completed."""
    balances = order_line_balances(order)
    moves = [
        LineMove(
            line=line,
            quantity=line.quantity,
            committed_delta=-balances[line.pk][0],
            completed_delta=balances[line.pk][0],
        )
        for line in order.lines.all()
    ]
    ledger_append(
        filing=filing,
        kind=QuotaEntryKind.COMPLETE,
        order=order,
        moves=moves,
        by=by,
        at=at,
    )


def procurement_order_approve(
    *, order, user, comment: str = "", at: datetime.datetime | None = None
):
    """Record the next approval level's consent; the last level approves the order (suppliers
    see it from then on). An approver of the unit only; never the order's purchaser, and
    never two levels of one order by the same person."""
    at = at or timezone.now()
    counted = False
    with transaction.atomic():
        order, procurement = procurement_order_lock(order)
        _approver_check(procurement=procurement, user=user)
        PROCUREMENT_ORDER_MOVES.check(
            order,
            OrderStatus.APPROVED,
            only_from=(OrderStatus.PENDING_APPROVAL,),
            refusal=_("订单当前状态为“%(status)s”，不能审批。"),
        )
        if procurement.approvals.filter(approver=user).exists():
            raise ProcurementPermissionError(_("您已审批过该订单的上一级，不能重复审批。"))
        level = procurement.approvals.count() + 1
        OrderApproval.record(
            procurement=procurement,
            level=level,
            who=user,
            outcome=ApprovalDecision.APPROVED,
            reason=comment,
            at=at,
        )
        if level >= procurement.levels_required:
            order_status_move(order=order, status=OrderStatus.APPROVED, note=comment)
            procurement.approved_at = at
            procurement.save(update_fields=["approved_at"])
            if procurement.counting_event == CountingEvent.PLACED:
                filing = filing_lock(filing_id=procurement.filing_id)
                _complete_all(procurement=procurement, filing=filing, order=order, at=at, by=user)
                counted = True
    if counted:
        order_sales_changed.send(sender=Order, order=order)
    return order


def _approver_check(*, procurement, user) -> None:
    if procurement.purchaser_id == user.pk:
        raise ApproverSelfApprovalError()
    unit_require_role(
        user=user,
        unit=procurement.unit,
        roles=(MemberRole.APPROVER,),
        error=ProcurementPermissionError,
    )


def _release_outstanding(*, order, procurement, at, by, reason) -> bool:
    """Release everything still committed or counted on the order; True if counted
    amounts went back (sales changed)."""
    # Stock records before the filing, as a submission takes them: the other way round, a
    # rejection and a submission of the same product on the same filing could deadlock.
    for line in order.lines.select_related("stockrecord").order_by("stockrecord_id", "pk"):
        if line.num_allocated and not line.allocation_cancelled:
            line.cancel_allocation(line.num_allocated)
    balances = order_line_balances(order)
    filing = filing_lock(filing_id=procurement.filing_id)
    moves = [
        LineMove(
            line=line,
            quantity=line.quantity,
            committed_delta=-balances[line.pk][0],
            completed_delta=-balances[line.pk][1],
        )
        for line in order.lines.all()
    ]
    ledger_append(
        filing=filing,
        kind=QuotaEntryKind.RELEASE,
        order=order,
        moves=moves,
        reason=reason,
        by=by,
        at=at,
    )
    return any(m.completed_delta for m in moves)


def procurement_order_reject(*, order, user, reason: str, at: datetime.datetime | None = None):
    """An approver turns the order down (已驳回): its commitment is released and its stock
    allocation cancelled."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ProcurementOrderStateError(_("驳回时必须填写原因。"))
    with transaction.atomic():
        order, procurement = procurement_order_lock(order)
        _approver_check(procurement=procurement, user=user)
        PROCUREMENT_ORDER_MOVES.check(
            order,
            OrderStatus.REJECTED,
            only_from=(OrderStatus.PENDING_APPROVAL,),
            refusal=_("订单当前状态为“%(status)s”，不能驳回。"),
        )
        OrderApproval.record(
            procurement=procurement,
            level=procurement.approvals.count() + 1,
            who=user,
            outcome=ApprovalDecision.REJECTED,
            reason=reason,
            at=at,
        )
        order_status_move(order=order, status=OrderStatus.REJECTED, note=reason)
        counted = _release_outstanding(
            order=order, procurement=procurement, at=at, by=user, reason=reason
        )
    if counted:
        order_sales_changed.send(sender=Order, order=order)
    return order


def procurement_order_cancel(*, order, user, reason: str, at: datetime.datetime | None = None):
    """The unit withdraws an order before anything of it was shipped (待审批 or 已审批):
    its commitment (and a count made at placing) is released, its stock freed."""
    at = at or timezone.now()
    reason = (reason or "").strip() or _("采购单位取消订单")
    with transaction.atomic():
        order, procurement = procurement_order_lock(order)
        unit_require_role(
            user=user,
            unit=procurement.unit,
            roles=(MemberRole.PURCHASER, MemberRole.APPROVER, MemberRole.ADMIN),
            error=ProcurementPermissionError,
        )
        refusal = _("订单已发货或已结束，不能取消。")
        PROCUREMENT_ORDER_MOVES.check(
            order,
            OrderStatus.CANCELLED,
            only_from=(OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED),
            refusal=refusal,
        )
        if order.shipping_events.exists():
            raise ProcurementOrderStateError(refusal)
        order_status_move(order=order, status=OrderStatus.CANCELLED, note=reason)
        counted = _release_outstanding(
            order=order, procurement=procurement, at=at, by=user, reason=reason
        )
    if counted:
        order_sales_changed.send(sender=Order, order=order)
    return order
