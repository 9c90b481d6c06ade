"""Submitting a basket as a procurement order, in named steps.

Lock order (see ``orders``): the basket row first (one submission per basket), then stock
records (Oscar's guarded allocation, in stock-record order; Oscar's purchase counters follow
it), then the filing row, last. A submission writes every row that nobody else waits for
(order, lines, procurement details, ledger entries, basket) before it allocates stock, and
takes the filing lock only to check and move the balance, so that concurrent submissions
against one filing or one product hold those rows for a few statements each.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.apps.shipping.methods import Free
from oscar.core.loading import get_class, get_model
from phonenumber_field.phonenumber import PhoneNumber

from core.phones import MAINLAND_MOBILE, normalise_mobile
from orders.exceptions import InsufficientStockError
from orders.models import OrderStatus, SalesChannel
from orders.services import basket_lock_for_submission, order_number_next
from orders.signals import order_sales_changed
from regions.addresses import country_cn
from suppliers.strategy import Selector

from ..access import unit_require_purchaser
from ..exceptions import (
    BasketChangedError,
    FilingNotApprovedError,
    OrderItemsInvalidError,
    ProductNotFoundError,
)
from ..models import (
    BudgetUnit,
    CountingEvent,
    Filing,
    FilingStatus,
    ProcurementOrder,
    QuotaEntry,
    QuotaEntryKind,
)
from ..review import basket_fingerprint
from .ledger import ZERO, LineMove, ledger_entry_apply, ledger_entry_write, spending_cap_check
from .locks import filing_lock
from .orders import line_amount
from .organisations import order_terms

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
OrderCreator = get_class("order.utils", "OrderCreator")


@dataclass
class DeliveryDetails:
    """What the purchaser typed at checkout: where and to whom, and whom to invoice."""

    canteen: str
    delivery_address: str
    contact_name: str
    contact_phone: str
    invoice_title: str
    tax_number: str
    note: str = ""


@dataclass
class Submission:
    """One checked and priced submission: what its order, procurement row and ledger
    entries are written from."""

    user: object
    unit: BudgetUnit
    filing: Filing | None
    basket: object
    details: DeliveryDetails
    at: datetime.datetime
    levels: int
    counting: str
    channel: str = SalesChannel.PROCUREMENT
    entries: list[QuotaEntry] = field(default_factory=list)

    @property
    def status(self) -> str:
        """Waiting for approval when the unit's rules ask for it (待审批), else approved."""
        return OrderStatus.PENDING_APPROVAL if self.levels else OrderStatus.APPROVED

    @property
    def counts_now(self) -> bool:
        """Approved at once and counted on placing: the whole amount counts as completed."""
        return not self.levels and self.counting == CountingEvent.PLACED

    def write_unlocked_rows(self, order, lines) -> None:
        """The procurement row, the ledger entries and the basket: nothing anyone else waits
        for. The entries move no balance until the filing is locked (``balance_move``)."""
        self._procurement_row_write(order)
        self._ledger_entries_write(order, lines)
        self.basket.submit()

    def balance_move(self) -> Filing:
        """Last lock, and the check that counts: a refusal here rolls everything back."""
        locked = filing_lock(filing_id=self.filing.pk if self.filing else None)
        for entry in self.entries:
            ledger_entry_apply(filing=locked, entry=entry)
        return locked

    def _procurement_row_write(self, order) -> None:
        d = self.details
        ProcurementOrder.objects.create(
            order=order,
            unit=self.unit,
            filing=self.filing,
            purchaser=self.user,
            canteen=d.canteen,
            delivery_address=d.delivery_address,
            contact_name=d.contact_name,
            contact_phone=d.contact_phone,
            invoice_title=d.invoice_title,
            tax_number=d.tax_number,
            note=d.note,
            counting_event=self.counting,
            levels_required=self.levels,
            submitted_at=self.at,
            approved_at=None if self.levels else self.at,
        )

    def _ledger_entries_write(self, order, lines) -> None:
        amounts = [(line, line_amount(line, line.quantity)) for line in lines]
        commit = [LineMove(line, line.quantity, committed_delta=a) for line, a in amounts]
        moves = {QuotaEntryKind.COMMIT: commit}
        if self.counts_now:
            moves[QuotaEntryKind.COMPLETE] = [
                LineMove(line, line.quantity, -a, a) for line, a in amounts
            ]
        for kind, kind_moves in moves.items():
            entry = ledger_entry_write(
                filing=self.filing,
                kind=kind,
                order=order,
                moves=kind_moves,
                by=self.user,
                at=self.at,
            )
            if entry is not None:
                self.entries.append(entry)


class _ProcurementOrderCreator(OrderCreator):
    """Oscar's order creator for one submission. Lines are written in the order's status
    (no second ``UPDATE``) and kept as they are created (no re-read). The submission's
    unlocked rows are written once all of Oscar's order rows are, before the first stock
    record is locked: what they hold waits for nobody, so that the rows every concurrent
    submission wants (stock records, Oscar's purchase counters, then the filing) are held
    only for the few statements before the commit."""

    def __init__(self, *, submission: Submission):
        self.submission = submission
        self.order = None
        self.lines = []
        self.unlocked_rows_written = False

    def create_order_model(self, *args, **kwargs):
        self.order = super().create_order_model(*args, **kwargs)
        return self.order

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        fields = {**(extra_line_fields or {}), "status": self.submission.status}
        line = super().create_line_models(order, basket_line, fields)
        self.lines.append(line)
        return line

    def update_stock_records(self, line):
        self.write_unlocked_rows()
        super().update_stock_records(line)

    def write_unlocked_rows(self) -> None:
        if not self.unlocked_rows_written:
            self.unlocked_rows_written = True
            self.submission.write_unlocked_rows(self.order, self.lines)
            # Oscar's purchase counters (``order_placed``, after the allocation) read the
            # order's lines three times: once here instead, before the hot rows.
            prefetch_related_objects([self.order], "lines")


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


def _basket_total(lines) -> Decimal:
    # A line without a price (not purchasable) is refused by _basket_check.
    return sum(
        (line_amount(line, line.quantity) for line in lines if line.unit_price_incl_tax),
        ZERO,
    )


def _filing_for_order(*, unit: BudgetUnit, filing: Filing, at: datetime.datetime) -> Filing:
    """The filing's year and balance now, in one read without a lock: the year cannot
    change and the balance is checked again under the lock, where it counts. Refuses a
    filing that is not approved, not the unit's (or, for a member of a shared canteen, its
    host's: ``BudgetUnit.filing_unit_id``), or of another year than the order's."""
    if filing.unit_id != unit.filing_unit_id or filing.status != FilingStatus.APPROVED:
        raise FilingNotApprovedError(_("所选填报未通过审核或不属于本单位，不能下单。"))
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
    return fresh


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


def _order_place(submission: Submission):
    """Oscar's order, lines and stock allocation, under the basket's row lock (taken first:
    a basket placed already raises ``BasketAlreadySubmittedError``), with the submission's
    unlocked rows written before the allocation and its balance moved last, under the filing
    lock. One transaction; on a refusal the basket is reopened in memory too (the page shows
    it)."""
    basket, d = submission.basket, submission.details
    basket_state = basket.status, basket.date_submitted
    shipping = Free()
    try:
        with transaction.atomic():
            basket_lock_for_submission(basket=basket)
            address = _address(
                canteen=d.canteen,
                delivery_address=d.delivery_address,
                contact_name=d.contact_name,
                contact_phone=d.contact_phone,
            )
            address.save()
            creator = _ProcurementOrderCreator(submission=submission)
            try:
                order = creator.place_order(
                    user=submission.user,
                    basket=basket,
                    order_number=order_number_next(),
                    shipping_address=address,
                    shipping_method=shipping,
                    shipping_charge=shipping.calculate(basket),
                    total=_total(basket, shipping),
                    status=submission.status,
                    channel=submission.channel,
                    date_placed=submission.at,
                )
            except InsufficientStockError as exc:
                raise OrderItemsInvalidError(str(exc)) from exc
            creator.write_unlocked_rows()
            locked = submission.balance_move()
    except BaseException:
        basket.status, basket.date_submitted = basket_state  # rolled back in the database
        raise
    return order, locked


def _total(basket, shipping):
    OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
    return OrderTotalCalculator().calculate(basket, shipping.calculate(basket))


def procurement_order_submit(
    *,
    user,
    unit: BudgetUnit,
    filing: Filing | None,
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
    of another year is refused, so that a purchase can never be charged to a closed year. A
    member of a shared canteen orders against its host's filing (the order records the
    member as its buyer, the ledger entry is the host's).

    Refusals (nothing is written, the basket stays open): ``UnitMembershipRequiredError``
    (not a purchaser of the unit), ``FilingNotApprovedError`` (not approved, another unit's,
    or another year's), ``OrderItemsInvalidError`` (empty basket, products not purchasable,
    stock short), ``FilingSpendingCapError`` (past the policy year's spending cap, where it
    sets one; the reserved amount is a floor, never a limit), ``BasketChangedError``
    (``fingerprint`` given and the basket's lines, quantities or prices are no longer the
    ones it was taken from, see ``procurement.review``), and
    ``orders.exceptions.BasketAlreadySubmittedError`` (the basket was placed already, by an
    earlier or a concurrent submission: it names that order).
    Submissions of one basket queue on the basket's row lock: exactly one places an order.

    An organisation ("八进" buyer, ``unit.kind == "organisation"``) passes ``filing=None``:
    its order goes to channel ``union`` or ``organisation`` and counts toward the filing
    ``organisations.order_terms`` names (a union's parent unit's, where the policy year
    says so) or toward none; approval, acceptance and transfer are the same. Refused with
    ``PolicyYearMissingError`` in a year without policy."""
    unit_require_purchaser(user=user, unit=unit)
    at = at or timezone.now()
    if unit.is_organisation:
        if filing is not None:
            raise FilingNotApprovedError(_("“八进”单位不使用预留份额填报下单。"))
        channel, filing, policy = order_terms(unit=unit, at=at)
        counting = policy.counting_event
        fresh = _filing_for_order(unit=filing.unit, filing=filing, at=at) if filing else None
    else:
        fresh = _filing_for_order(unit=unit, filing=filing, at=at)
        channel, counting = SalesChannel.PROCUREMENT, filing.policy_year.counting_event
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
    total = _basket_total(lines)
    # Cheap early refusal past the year's spending cap, if any, before anything heavier.
    spending_cap_check(filing=fresh, amount=total)
    _basket_check(lines)
    submission = Submission(
        user=user,
        unit=unit,
        filing=filing,
        basket=basket,
        details=DeliveryDetails(
            canteen=canteen,
            delivery_address=delivery_address,
            contact_name=contact_name,
            contact_phone=contact_phone,
            invoice_title=invoice_title,
            tax_number=tax_number,
            note=note,
        ),
        at=at,
        levels=_levels_required(unit, total),
        counting=counting,
        channel=channel,
    )
    order, locked = _order_place(submission)
    if filing is not None:
        filing.committed, filing.completed = locked.committed, locked.completed
    if submission.counts_now:
        order_sales_changed.send(sender=Order, order=order)
    return order


def basket_of_items(*, user, items: list[tuple[int, int]]):
    """A new basket of ``user`` holding ``items`` (``(product id, quantity)`` pairs) at the
    shop's prices, written inside the caller's transaction. Refuses unknown products with
    ``ProductNotFoundError`` and products without a price with ``OrderItemsInvalidError``."""
    products = Product.objects.in_bulk([product_id for product_id, _quantity in items])
    missing = [product_id for product_id, _quantity in items if product_id not in products]
    if missing:
        raise ProductNotFoundError(
            _("没有找到商品：%(ids)s") % {"ids": ", ".join(map(str, missing))}
        )
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    unpriced = []
    for product_id, quantity in items:
        try:
            basket.add_product(products[product_id], quantity)
        except ValueError:  # Oscar's (English) refusal of a product without a price
            unpriced.append(products[product_id].get_title())
    if unpriced:
        raise OrderItemsInvalidError(
            _("以下商品没有售价，不能采购：%(items)s。") % {"items": "、".join(unpriced)}
        )
    return basket


def procurement_order_preview(*, user, items: list[tuple[int, int]]) -> list:
    """The basket lines ``items`` would be ordered as, priced exactly as a submission prices
    them (one basket, ``basket_lines``); nothing is kept (the basket is rolled back). Refuses
    as ``basket_of_items``."""
    with transaction.atomic():
        lines = basket_lines(basket_of_items(user=user, items=items))
        transaction.set_rollback(True)
    return lines


def procurement_order_submit_items(
    *,
    user,
    unit: BudgetUnit,
    filing: Filing | None,
    items: list[tuple[int, int]],
    fingerprint: str | None = None,
    **details,
):
    """``procurement_order_submit`` for ``items`` (``(product id, quantity)`` pairs) instead of
    a basket (the integration API): a basket of its own is made for them in the same
    transaction, so that a refusal leaves no basket behind. ``details`` are the checkout
    fields ``procurement_order_submit`` takes. Refuses as ``basket_of_items`` and as
    ``procurement_order_submit``."""
    with transaction.atomic():
        basket = basket_of_items(user=user, items=items)
        return procurement_order_submit(
            user=user,
            unit=unit,
            filing=filing,
            basket=basket,
            fingerprint=fingerprint,
            **details,
        )
