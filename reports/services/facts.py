"""Sales facts from orders: what each order line counts, on which date, in which channel.

Consumer orders count when paid (the date of the move to 已付款, Asia/Shanghai), at the lines'
prices after discounts; shipping fees are not sales of farm products and never count (the
bureau reports products only). An applied refund on the paying payment is negative sales on
its ``applied_at`` date: the refund's product share (refund x products / order total) is
spread over the lines in proportion to their amounts, to the fen, by largest remainder; the
cumulative share is computed, so a full refund always cancels the lines exactly. A refund of
one line (after-sales, ``Refund.line``) is taken from that line alone, in full; a line never
goes below zero whatever the mix.

Procurement-like orders (procurement, union, organisation, points supermarket) count what
``settings.REPORTS_PROCUREMENT_SALES_EVENTS`` says (the procurement app's counting events).
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from oscar.core.loading import get_model

from core.money import FEN, ZERO, money
from core.tasks import enqueue_on_commit
from orders.models import OrderStatus, SalesChannel
from payments.models import PaymentStatus, RefundStatus

from ..exceptions import SalesEventInvalidError
from ..models import FactSource, SalesFact, SalesOutbox
from ..signals import sales_facts_written
from .attribution import lines_attribute
from .rollups import rollups_apply

Order = get_model("order", "Order")

PROCUREMENT_CHANNELS = (
    SalesChannel.PROCUREMENT,
    SalesChannel.UNION,
    SalesChannel.ORGANISATION,
    SalesChannel.POINTS_SUPERMARKET,
)

# (line_id, date, channel) -> [quantity, amount]
Expected = dict[tuple[int, datetime.date, str], list]


def local_date(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def spread_fen(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split ``total`` over ``weights`` in proportion, to the fen, summing exactly to
    ``total`` (largest remainder; ties go to the earlier weight)."""
    if not weights:
        return []
    whole = sum(weights)
    if whole == 0:
        return [ZERO for _ in weights]
    total_fen = int((total / FEN).to_integral_value(ROUND_HALF_UP))
    raw = [Decimal(total_fen) * w / whole for w in weights]
    floors = [int(r) for r in raw]
    rest = total_fen - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:rest]:
        floors[i] += 1
    return [Decimal(f) * FEN for f in floors]


def _paid_at(order):
    changes = [c for c in order.status_changes.all() if c.new_status == OrderStatus.PAID]
    return min((c.date_created for c in changes), default=None)


def _paying_payment_id(order):
    paid = [
        p
        for p in order.stripe_payments.all()
        if p.status == PaymentStatus.SUCCEEDED and p.intent_id is not None
    ]
    paid.sort(key=lambda p: (p.created_at, p.pk))
    return paid[0].pk if paid else None


def _consumer_expected(order, lines) -> Expected:
    expected: Expected = defaultdict(lambda: [0, ZERO])
    paid_at = _paid_at(order)
    if paid_at is None:
        return expected
    lines = sorted(lines, key=lambda line: line.pk)
    amounts = [line.line_price_incl_tax for line in lines]
    products_total = sum(amounts, ZERO)
    day = local_date(paid_at)
    for line, amount in zip(lines, amounts, strict=True):
        entry = expected[(line.pk, day, order.channel)]
        entry[0] += line.quantity
        entry[1] += amount

    paying_id = _paying_payment_id(order)
    refunds = sorted(
        (
            r
            for r in order.refunds.all()
            if r.applied_at is not None
            and r.status == RefundStatus.SUCCEEDED
            and r.payment_id == paying_id
        ),
        key=lambda r: (r.applied_at, r.pk),
    )
    order_total = order.total_incl_tax or ZERO
    index = {line.pk: i for i, line in enumerate(lines)}
    refunded = ZERO  # order-wide refunds so far
    spread = [ZERO] * len(lines)  # their cumulative share per line
    own = [ZERO] * len(lines)  # refunds of one line (after-sales) so far
    taken = [ZERO] * len(lines)
    taken_qty = [0] * len(lines)
    for refund in refunds:
        if refund.line_id in index:
            i = index[refund.line_id]
            own[i] += refund.amount
        elif order_total > 0:
            refunded = min(refunded + refund.amount, order_total)
            share = min(
                (refunded * products_total / order_total).quantize(FEN, ROUND_HALF_UP),
                products_total,
            )
            spread = spread_fen(share, amounts)
        day = local_date(refund.applied_at)
        for i, line in enumerate(lines):
            target = min(own[i] + spread[i], amounts[i])
            delta = target - taken[i]
            qty = line.quantity if target == amounts[i] and amounts[i] > 0 else 0
            qty_delta = qty - taken_qty[i]
            if delta or qty_delta:
                entry = expected[(line.pk, day, order.channel)]
                entry[0] -= qty_delta
                entry[1] -= delta
            taken[i], taken_qty[i] = target, qty
    return expected


def procurement_events_function():
    return import_string(settings.REPORTS_PROCUREMENT_SALES_EVENTS)


def _procurement_expected(order, lines) -> Expected:
    expected: Expected = defaultdict(lambda: [0, ZERO])
    line_ids = {line.pk for line in lines}
    for event in procurement_events_function()(order=order):
        if event["line_id"] not in line_ids:
            raise SalesEventInvalidError(
                f"order {order.number}: sales event for line {event['line_id']} of another order"
            )
        entry = expected[(event["line_id"], event["date"], order.channel)]
        entry[0] += int(event["quantity"])
        entry[1] += Decimal(event["amount"]).quantize(FEN)
    return expected


def order_sales_expected(*, order) -> Expected:
    """What the order's lines should count, per (line, date, channel), from its current state.
    Uses prefetched ``lines``, ``status_changes``, ``stripe_payments`` and ``refunds`` when
    the caller has prefetched them."""
    lines = list(order.lines.all())
    if order.channel in PROCUREMENT_CHANNELS:
        expected = _procurement_expected(order, lines)
    else:
        expected = _consumer_expected(order, lines)
    return {k: v for k, v in expected.items() if v[0] or v[1]}


def order_sales_recorded(*, order_ids) -> dict[int, Expected]:
    """The facts recorded so far, summed per order and (line, date, channel)."""
    from django.db.models import Sum

    recorded: dict[int, Expected] = defaultdict(dict)
    rows = (
        SalesFact.objects.filter(order_id__in=order_ids)
        .values("order_id", "line_id", "date", "channel")
        .annotate(q=Sum("quantity"), a=Sum("amount"))
    )
    for row in rows:
        amount = money(row["a"])
        if row["q"] or amount:
            key = (row["line_id"], row["date"], row["channel"])
            recorded[row["order_id"]][key] = [row["q"], amount]
    return recorded


def order_sales_differences(*, order, recorded: Expected) -> dict:
    """(line, date, channel) -> [quantity, amount] still to add for the facts to match."""
    expected = order_sales_expected(order=order)
    diffs = {}
    for key in set(expected) | set(recorded):
        want = expected.get(key, [0, ZERO])
        have = recorded.get(key, [0, ZERO])
        dq, da = want[0] - have[0], want[1] - have[1]
        if dq or da:
            diffs[key] = [dq, da]
    return diffs


@transaction.atomic
def sales_facts_sync(*, order_id: int) -> list[SalesFact]:
    """Bring the order's facts in line with its current state by appending deltas, and apply
    them to the rollups in the same transaction. Idempotent: a second call adds nothing.
    The order row is locked, so concurrent syncs of one order cannot both add a delta."""
    order = Order.objects.select_for_update().filter(pk=order_id).first()
    if order is None:
        return []
    recorded = order_sales_recorded(order_ids=[order.pk]).get(order.pk, {})
    diffs = order_sales_differences(order=order, recorded=recorded)
    if not diffs:
        return []
    lines = {line.pk: line for line in order.lines.all()}
    attribution = lines_attribute(lines.values())
    facts = []
    for (line_id, day, channel), (quantity, amount) in sorted(diffs.items()):
        where = attribution[line_id]
        facts.append(
            SalesFact(
                date=day,
                month=month_of(day),
                channel=channel,
                source=FactSource.ORDER,
                order_id=order.pk,
                line_id=line_id,
                supplier_id=where.supplier_id,
                product_id=where.product_id,
                region_id=where.region_id,
                category_id=where.category_id,
                quantity=quantity,
                amount=amount,
            )
        )
    SalesFact.objects.bulk_create(facts)
    sales_facts_written.send(sender=SalesFact, facts=facts)  # bulk_create sends no post_save
    rollups_apply(facts=facts)
    return facts


def sales_outbox_add(*, order_id: int) -> None:
    """Record that the order's sales facts must be synced, and enqueue the sync after commit.
    The row outlives a broker that is down; ``sales_outbox_process`` takes it off."""
    from ..tasks import sales_facts_sync_task

    SalesOutbox.objects.create(order_id=order_id)
    enqueue_on_commit(sales_facts_sync_task, order_id)


@transaction.atomic
def sales_outbox_process(*, order_id: int) -> list[SalesFact]:
    """Sync the order's facts (``sales_facts_sync``) and take off the outbox rows that were
    there before: a change recorded while this runs keeps its row for the next run."""
    pending = list(SalesOutbox.objects.filter(order_id=order_id).values_list("pk", flat=True))
    facts = sales_facts_sync(order_id=order_id)
    SalesOutbox.objects.filter(pk__in=pending).delete()
    return facts


def sales_outbox_sweep(*, created_before: datetime.datetime) -> int:
    """Process the orders of the outbox rows written before ``created_before`` (whose task
    was lost, or failed); returns how many orders."""
    order_ids = (
        SalesOutbox.objects.filter(created_at__lt=created_before)
        .order_by("order_id")
        .values_list("order_id", flat=True)
        .distinct()
    )
    done = 0
    for order_id in list(order_ids):
        sales_outbox_process(order_id=order_id)
        done += 1
    return done


@transaction.atomic
def offline_sale_record(
    *,
    date: datetime.date,
    region,
    amount: Decimal,
    quantity: int = 0,
    category=None,
    supplier=None,
    product=None,
    note: str = "",
    created_by=None,
    organisation=None,
) -> SalesFact:
    """Record sales at an offline "八进" event (channel offline), for ``organisation`` (a
    ``procurement.BudgetUnit``) when known. A correction is another record with a negative
    amount; records are never edited."""
    from regions.models import Region

    from .attribution import region_county_ids

    county_id = region_county_ids({region.path}).get(region.path) or region.pk
    fact = SalesFact.objects.create(
        date=date,
        month=month_of(date),
        channel=SalesChannel.OFFLINE,
        source=FactSource.OFFLINE,
        region=Region.objects.get(pk=county_id),
        category=category,
        supplier=supplier,
        product=product,
        quantity=quantity,
        amount=Decimal(amount).quantize(FEN),
        note=note,
        created_by=created_by,
        organisation=organisation,
    )
    rollups_apply(facts=[fact])
    return fact


def orders_sales_differences(*, chunk: int = 500) -> list[str]:
    """Every order whose facts differ from what its current state counts, one line each.
    Orders are read in primary-key chunks with their lines, status changes, payments and
    refunds prefetched (a fixed number of queries per chunk)."""
    problems = []
    last = 0
    while True:
        orders = list(
            Order.objects.filter(pk__gt=last)
            .order_by("pk")
            .prefetch_related("lines", "status_changes", "stripe_payments", "refunds")[:chunk]
        )
        if not orders:
            break
        last = orders[-1].pk
        recorded = order_sales_recorded(order_ids=[o.pk for o in orders])
        for order in orders:
            diffs = order_sales_differences(order=order, recorded=recorded.get(order.pk, {}))
            for (line_id, day, channel), (quantity, amount) in sorted(diffs.items()):
                side = "order higher" if (amount or quantity) > 0 else "facts higher"
                problems.append(
                    f"order {order.number} line {line_id} {day} {channel}: "
                    f"facts short by amount={amount} qty={quantity} ({side})"
                )
    return problems
