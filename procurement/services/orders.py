"""Procurement checkout, approval, rejection and cancellation.

Lock order: the basket row (a submission, first of all: one submission per basket), the Oscar
order row (approval, rejection, cancellation), then stock records
(Oscar's guarded allocation, in stock-record order; Oscar's purchase counters follow it), then
the filing row, last. A submission writes every row that nobody else waits for (order, lines,
procurement details, ledger entries, basket) before it allocates stock, and takes the filing
lock only to check and move the balance, so that concurrent submissions against one filing
or one product hold those rows for a few statements each.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model
from phonenumber_field.phonenumber import PhoneNumber

from orders.exceptions import InsufficientStockError
from orders.models import OrderStatus, SalesChannel
from orders.reference import country_cn
from orders.services import basket_lock_for_submission, order_number_next, order_status_move
from orders.signals import order_sales_changed
from payments.checkout.forms import MAINLAND_MOBILE, normalise_mobile

from ..access import unit_require_purchaser, unit_require_role
from ..exceptions import (
    ApproverSelfApprovalError,
    BasketChangedError,
    FilingNotApprovedError,
    OrderItemsInvalidError,
    ProcurementOrderStateError,
    ProcurementPermissionError,
)
from ..models import (
    ApprovalDecision,
    BudgetUnit,
    CountingEvent,
    Filing,
    FilingStatus,
    MemberRole,
    OrderApproval,
    ProcurementOrder,
    QuotaEntryKind,
)
from ..review import basket_fingerprint
from .ledger import (
    ZERO,
    LineMove,
    filing_lock,
    ledger_append,
    ledger_entry_apply,
    ledger_entry_write,
    money,
    spending_cap_check,
)

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")


class _ProcurementOrderCreator(OrderCreator):
    """Oscar's order creator for one submission. Lines are written in the order's status
    (no second ``UPDATE``) and kept as they are created (no re-read). ``before_allocation``
    (called with the order and its lines) runs once all of Oscar's order rows are written
    and before the first stock record is locked: what it writes waits for nobody, so that
    the rows every concurrent submission wants (stock records, Oscar's purchase counters,
    then the filing) are held only for the few statements before the commit. Its result is
    kept as ``written``."""

    def __init__(self, *, line_status: str, before_allocation):
        self.line_status = line_status
        self.before_allocation = before_allocation
        self.order = None
        self.lines = []
        self.written = None

    def create_order_model(self, *args, **kwargs):
        self.order = super().create_order_model(*args, **kwargs)
        return self.order

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        fields = {**(extra_line_fields or {}), "status": self.line_status}
        line = super().create_line_models(order, basket_line, fields)
        self.lines.append(line)
        return line

    def update_stock_records(self, line):
        self.write_before_allocation()
        super().update_stock_records(line)

    def write_before_allocation(self):
        if self.before_allocation is not None:
            before, self.before_allocation = self.before_allocation, None
            self.written = before(self.order, self.lines)
            # Oscar's purchase counters (``order_placed``, after the allocation) read the
            # order's lines three times: once here instead, before the hot rows.
            prefetch_related_objects([self.order], "lines")
        return self.written


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


def basket_lines(basket) -> list:
    """The basket's lines with everything that pricing, the purchasable check, the order
    creator and the stock allocation read (product and class, a variant's parent, stock
    record and supplier, the product's stock records for the strategy) in three queries
    (a fourth for variants) where Oscar's ``all_lines`` leaves six or more. Lines already
    loaded (the basket middleware applies offers to them) are kept as they are."""
    if basket._lines is None and basket.id is not None:
        basket._lines = (
            basket.lines.select_related("product__product_class", "stockrecord__partner")
            .prefetch_related(
                "attributes",
                "product__parent__product_class",
                Prefetch(
                    "product__stockrecords",
                    queryset=StockRecord.objects.select_related("partner"),
                ),
            )
            .order_by("pk")
        )
    lines = list(basket.all_lines())
    for line in lines:
        # The allocation asks the stock record for its product's class: the line's own.
        if line.stockrecord is not None and line.stockrecord.product_id == line.product_id:
            line.stockrecord.product = line.product
    return lines


def _basket_check(lines) -> None:
    ids = {line.product.parent_id or line.product_id for line in lines}
    purchasable = set(Product.objects.purchasable().filter(pk__in=ids).values_list("pk", flat=True))
    today = timezone.localdate()
    bad = [
        line.product.get_title()
        for line in lines
        if (line.product.parent_id or line.product_id) not in purchasable
        or line.stockrecord is None
        or not line.stockrecord.partner.is_certified_on(today)
    ]
    if bad:
        raise OrderItemsInvalidError(
            _("以下商品不是认定供应商的在售商品，不能采购：%(items)s。请从购物车中移除后再提交。")
            % {"items": "、".join(bad)}
        )


def _levels_required(unit: BudgetUnit, total: Decimal) -> int:
    return sum(1 for rule in unit.approval_rules.all() if total >= rule.min_amount)


def _address(*, canteen, delivery_address, contact_name, contact_phone) -> ShippingAddress:
    mobile = normalise_mobile(contact_phone)
    return ShippingAddress(
        first_name=contact_name,
        line1=delivery_address,
        line2=canteen,
        phone_number=PhoneNumber.from_string(mobile, region="CN")
        if MAINLAND_MOBILE.match(mobile)
        else "",
        notes=contact_phone,
        country=country_cn(),
    )


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


def procurement_order_submit(
    *,
    user,
    unit: BudgetUnit,
    filing: Filing,
    basket,
    canteen: str,
    delivery_address: str,
    contact_name: str,
    contact_phone: str,
    invoice_title: str,
    tax_number: str,
    note: str = "",
    at: datetime.datetime | None = None,
    fingerprint: str | None = None,
):
    """Place the basket as a procurement order of ``unit`` against ``filing``: the Oscar order
    (channel procurement, prices frozen on its lines, stock allocated), its procurement
    details, and a commit entry for its amount, all in one transaction. The order waits for
    approval when the unit's rules ask for it (待审批), else it is approved at once.

    An order counts toward the filing of its own year (the local date of ``at``): a filing
    of another year is refused, so that a purchase can never be charged to a closed year.

    Refusals (nothing is written, the basket stays open): ``UnitMembershipRequiredError``
    (not a purchaser of the unit), ``FilingNotApprovedError`` (not approved, another unit's,
    or another year's), ``OrderItemsInvalidError`` (empty basket, products not purchasable,
    stock short), ``FilingSpendingCapError`` (past the policy year's spending cap, where it
    sets one; the reserved amount is a floor, never a limit), ``BasketChangedError``
    (``fingerprint`` given and the basket's lines, quantities or prices are no longer the
    ones it was taken from, see ``procurement.review``), and
    ``orders.exceptions.BasketAlreadySubmittedError`` (the basket was placed already, by an
    earlier or a concurrent submission: it names that order).
    Submissions of one basket queue on the basket's row lock: exactly one places an order."""
    unit_require_purchaser(user=user, unit=unit)
    if filing.unit_id != unit.pk or filing.status != FilingStatus.APPROVED:
        raise FilingNotApprovedError(_("所选填报未通过审核或不属于本单位，不能下单。"))
    at = at or timezone.now()
    # The filing's year and balance now, in one read without a lock: the year cannot change
    # and the balance is checked again under the lock below, where it counts.
    fresh = (
        Filing.objects.select_related("policy_year")
        .only(
            "canteen_budget",
            "committed",
            "completed",
            "policy_year__year",
            "policy_year__cap_at_canteen_budget",
        )
        .get(pk=filing.pk)
    )
    order_year = timezone.localtime(at).year
    if fresh.policy_year.year != order_year:
        raise FilingNotApprovedError(
            _(
                "所选填报属于 %(filing_year)s 年度，本单在 %(order_year)s 年下单，"
                "只能计入 %(order_year)s 年度已通过审核的填报。"
            )
            % {"filing_year": fresh.policy_year.year, "order_year": order_year}
        )
    lines = basket_lines(basket)
    # What is ordered is ``lines`` (the order creator reads them, not the database again).
    if fingerprint is not None and fingerprint != basket_fingerprint(lines):
        raise BasketChangedError(
            _(
                "购物车在您核对之后有变动（商品、数量或价格），订单未提交。"
                "请核对下方最新的商品和金额后重新提交。"
            )
        )
    if not lines:
        raise OrderItemsInvalidError(_("购物车是空的，请先选购商品。"))
    # A line without a price (not purchasable) is refused by _basket_check below.
    total = sum(
        (line_amount(line, line.quantity) for line in lines if line.unit_price_incl_tax),
        ZERO,
    )
    # Cheap early refusal past the year's spending cap, if any, before anything heavier.
    spending_cap_check(filing=fresh, amount=total)
    _basket_check(lines)
    levels = _levels_required(unit, total)
    status = OrderStatus.PENDING_APPROVAL if levels else OrderStatus.APPROVED
    counting = filing.policy_year.counting_event
    shipping = Free()
    count_now = not levels and counting == CountingEvent.PLACED

    def write_before_allocation(order, order_lines) -> list:
        """The procurement row, the ledger entries and the basket: nothing anyone else waits
        for. The entries move no balance until the filing is locked below."""
        ProcurementOrder.objects.create(
            order=order,
            unit=unit,
            filing=filing,
            purchaser=user,
            canteen=canteen,
            delivery_address=delivery_address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            invoice_title=invoice_title,
            tax_number=tax_number,
            note=note,
            counting_event=counting,
            levels_required=levels,
            submitted_at=at,
            approved_at=None if levels else at,
        )
        amounts = [(line, line_amount(line, line.quantity)) for line in order_lines]
        entries = [
            ledger_entry_write(
                filing=filing,
                kind=QuotaEntryKind.COMMIT,
                order=order,
                moves=[LineMove(line, line.quantity, committed_delta=a) for line, a in amounts],
                by=user,
                at=at,
            )
        ]
        if count_now:  # counting event "placed": the whole amount counts as completed at once
            entries.append(
                ledger_entry_write(
                    filing=filing,
                    kind=QuotaEntryKind.COMPLETE,
                    order=order,
                    moves=[LineMove(line, line.quantity, -a, a) for line, a in amounts],
                    by=user,
                    at=at,
                )
            )
        basket.submit()
        return [entry for entry in entries if entry is not None]

    basket_state = basket.status, basket.date_submitted
    try:
        with transaction.atomic():
            basket_lock_for_submission(basket=basket)
            address = _address(
                canteen=canteen,
                delivery_address=delivery_address,
                contact_name=contact_name,
                contact_phone=contact_phone,
            )
            address.save()
            creator = _ProcurementOrderCreator(
                line_status=status, before_allocation=write_before_allocation
            )
            try:
                order = creator.place_order(
                    user=user,
                    basket=basket,
                    order_number=order_number_next(),
                    shipping_address=address,
                    shipping_method=shipping,
                    shipping_charge=shipping.calculate(basket),
                    total=_total(basket, shipping),
                    status=status,
                    channel=SalesChannel.PROCUREMENT,
                    date_placed=at,
                )
            except InsufficientStockError as exc:
                raise OrderItemsInvalidError(str(exc)) from exc
            entries = creator.write_before_allocation()
            # Last lock, and the check that counts: a refusal here rolls everything back.
            locked = filing_lock(filing_id=filing.pk)
            for entry in entries:
                ledger_entry_apply(filing=locked, entry=entry)
    except BaseException:
        basket.status, basket.date_submitted = basket_state  # rolled back in the database
        raise
    filing.committed, filing.completed = locked.committed, locked.completed
    if count_now:
        order_sales_changed.send(sender=Order, order=order)
    return order


def _total(basket, shipping):
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    return OrderTotalCalculator().calculate(basket, shipping.calculate(basket))


def _locked(order):
    order = Order.objects.select_for_update().get(pk=order.pk)
    try:
        procurement = ProcurementOrder.objects.select_related("unit", "filing").get(order=order)
    except ProcurementOrder.DoesNotExist as exc:
        raise ProcurementOrderStateError(_("这不是预算单位采购订单。")) from exc
    return order, procurement


def procurement_order_approve(
    *, order, user, comment: str = "", at: datetime.datetime | None = None
):
    """Record the next approval level's consent; the last level approves the order (suppliers
    see it from then on). An approver of the unit only; never the order's purchaser, and
    never two levels of one order by the same person."""
    at = at or timezone.now()
    counted = False
    with transaction.atomic():
        order, procurement = _locked(order)
        _approver_check(procurement=procurement, user=user)
        if order.status != OrderStatus.PENDING_APPROVAL:
            raise ProcurementOrderStateError(
                _("订单当前状态为“%(status)s”，不能审批。") % {"status": _(order.status)}
            )
        if procurement.approvals.filter(approver=user).exists():
            raise ProcurementPermissionError(_("您已审批过该订单的上一级，不能重复审批。"))
        level = procurement.approvals.count() + 1
        OrderApproval.objects.create(
            procurement=procurement,
            level=level,
            approver=user,
            decision=ApprovalDecision.APPROVED,
            comment=comment,
            decided_at=at,
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
        order, procurement = _locked(order)
        _approver_check(procurement=procurement, user=user)
        if order.status != OrderStatus.PENDING_APPROVAL:
            raise ProcurementOrderStateError(
                _("订单当前状态为“%(status)s”，不能驳回。") % {"status": _(order.status)}
            )
        OrderApproval.objects.create(
            procurement=procurement,
            level=procurement.approvals.count() + 1,
            approver=user,
            decision=ApprovalDecision.REJECTED,
            comment=reason,
            decided_at=at,
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
        order, procurement = _locked(order)
        unit_require_role(
            user=user,
            unit=procurement.unit,
            roles=(MemberRole.PURCHASER, MemberRole.APPROVER, MemberRole.ADMIN),
            error=ProcurementPermissionError,
        )
        if order.status not in (OrderStatus.PENDING_APPROVAL, OrderStatus.APPROVED) or (
            order.shipping_events.exists()
        ):
            raise ProcurementOrderStateError(_("订单已发货或已结束，不能取消。"))
        order_status_move(order=order, status=OrderStatus.CANCELLED, note=reason)
        counted = _release_outstanding(
            order=order, procurement=procurement, at=at, by=user, reason=reason
        )
    if counted:
        order_sales_changed.send(sender=Order, order=order)
    return order
