"""Demo figures for the reports: two years of paid consumer orders (with their sales facts),
offline "八进" sales, a few hundred rural e-commerce entities with monthly figures, and the
official online retail indicator, shaped so that the last full year's annual report reads like
the bureau's summary (hundreds of entities, ~200 new ones, ~16亿元 reported, growth YoY).

Bulk inserts keep it fast; facts are written exactly as ``reports.services.sales_facts_sync``
would write them (the line amount on the Shanghai payment date), so ``reconcile_sales`` agrees.
Idempotent: orders are keyed by their DEMO- numbers and entities by platform + shop.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from orders.models import OrderStatus, SalesChannel
from reports.models import (
    AnnualReportClosure,
    EcommerceEntity,
    EntityMonthlyFigure,
    FactSource,
    Indicator,
    IndicatorRecord,
    Platform,
    SalesFact,
)
from reports.services import annual_report_close, rollups_rebuild, sales_facts_sync, spread_fen
from reports.services.attribution import lines_attribute

from .base import Tally, credit_code

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderStatusChange = get_model("order", "OrderStatusChange")
StockRecord = get_model("partner", "StockRecord")

PREFIX = "DEMO-"
SHOP_WORDS = [
    "榴香",
    "皖北",
    "濉河",
    "相山",
    "烈山",
    "口子",
    "黄里",
    "段园",
    "百善",
    "临涣",
    "铁佛",
    "四铺",
]
GOODS = [
    "石榴",
    "葡萄",
    "大米",
    "面粉",
    "酥梨",
    "山芋",
    "土鸡蛋",
    "香油",
    "小米",
    "粉丝",
    "蜂蜜",
    "酒",
]
#: Reported online retail volume of the last two full years (元): 15.19亿 -> 15.98亿 (+5.2%).
RETAIL_TOTALS = (Decimal("1519000000.00"), Decimal("1598000000.00"))


def _months(year: int, until: datetime.date) -> list[datetime.date]:
    return [datetime.date(year, m, 1) for m in range(1, 13) if datetime.date(year, m, 1) <= until]


def seed_report_orders(*, users, today: datetime.date, tally: Tally) -> int:
    """Paid consumer orders from 1 January two years ago until yesterday, with their facts."""
    if Order.objects.filter(number__startswith=PREFIX).exists():
        return Order.objects.filter(number__startswith=PREFIX).count()
    rng = random.Random(20231231)
    stock = list(
        StockRecord.objects.filter(partner__certified_until__isnull=False)
        .select_related("product", "partner")
        .order_by("pk")
    )
    buyers = [u for email, u in sorted(users.items()) if email.startswith("consumer")]
    if not stock or not buyers:
        return 0
    start = datetime.date(today.year - 2, 1, 1)
    orders, lines_by_order = [], []
    day = start
    n = 0
    while day < today:
        # about 30% more orders a year, more before the Spring Festival and in autumn
        years = (day - start).days / 365
        season = 1.6 if day.month in (1, 9, 10, 11, 12) else 1.0
        expected = 1.2 * season * (1.3**years)
        count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        for _ in range(count):
            n += 1
            placed = timezone.make_aware(
                datetime.datetime.combine(
                    day, datetime.time(rng.randint(8, 22), rng.randint(0, 59))
                )
            )
            picks = rng.sample(stock, k=min(len(stock), rng.choice((1, 1, 2, 3))))
            lines = []
            for record in picks:
                quantity = rng.choice((1, 1, 1, 2, 3, 5))
                price = record.price or Decimal("39.90")
                lines.append((record, quantity, price * quantity))
            total = sum((amount for _, _, amount in lines), Decimal("0.00"))
            shipping = Decimal("0.00") if total >= 99 else Decimal("8.00")
            orders.append(
                Order(
                    number=f"{PREFIX}{day:%Y%m%d}-{n:05d}",
                    user=buyers[n % len(buyers)],
                    currency="CNY",
                    total_incl_tax=total + shipping,
                    total_excl_tax=total + shipping,
                    shipping_incl_tax=shipping,
                    shipping_excl_tax=shipping,
                    shipping_method="供应商配送",
                    shipping_code="supplier",
                    status=OrderStatus.COMPLETED,
                    channel=SalesChannel.CONSUMER,
                    date_placed=placed,
                )
            )
            lines_by_order.append(lines)
        day += datetime.timedelta(days=1)
    Order.objects.bulk_create(orders, batch_size=500)
    orders = list(Order.objects.filter(number__startswith=PREFIX).order_by("number"))
    new_lines, changes = [], []
    # DEMO numbers sort in creation order, so the orders read back match lines_by_order.
    for order, lines in zip(orders, lines_by_order, strict=True):
        for record, quantity, amount in lines:
            new_lines.append(
                Line(
                    order=order,
                    partner=record.partner,
                    partner_name=record.partner.name,
                    partner_sku=record.partner_sku,
                    stockrecord=record,
                    product=record.product,
                    title=record.product.get_title(),
                    upc=record.product.upc or "",
                    quantity=quantity,
                    line_price_incl_tax=amount,
                    line_price_excl_tax=amount,
                    line_price_before_discounts_incl_tax=amount,
                    line_price_before_discounts_excl_tax=amount,
                    unit_price_incl_tax=amount / quantity,
                    unit_price_excl_tax=amount / quantity,
                    status=OrderStatus.COMPLETED,
                    num_allocated=0,
                )
            )
        changes.append(
            OrderStatusChange(
                order=order, old_status=OrderStatus.PENDING, new_status=OrderStatus.PAID
            )
        )
    Line.objects.bulk_create(new_lines, batch_size=1000)
    OrderStatusChange.objects.bulk_create(changes, batch_size=1000)
    placed = {o.pk: o.date_placed for o in orders}
    changes = list(OrderStatusChange.objects.filter(order__number__startswith=PREFIX))
    for change in changes:
        change.date_created = placed[change.order_id]
    OrderStatusChange.objects.bulk_update(changes, ["date_created"], batch_size=1000)

    lines = list(Line.objects.filter(order__number__startswith=PREFIX))
    where = lines_attribute(lines)
    facts = []
    for line in lines:
        paid_on = timezone.localtime(placed[line.order_id]).date()
        w = where[line.pk]
        facts.append(
            SalesFact(
                date=paid_on,
                month=paid_on.replace(day=1),
                channel=SalesChannel.CONSUMER,
                source=FactSource.ORDER,
                order_id=line.order_id,
                line_id=line.pk,
                supplier_id=w.supplier_id,
                product_id=w.product_id,
                region_id=w.region_id,
                category_id=w.category_id,
                quantity=line.quantity,
                amount=line.line_price_incl_tax,
            )
        )
    SalesFact.objects.bulk_create(facts, batch_size=1000)
    tally.created += len(orders)
    return len(orders)


def seed_offline_sales(*, regions, today: datetime.date, tally: Tally) -> int:
    if SalesFact.objects.filter(source=FactSource.OFFLINE, note__startswith="演示").exists():
        return SalesFact.objects.filter(source=FactSource.OFFLINE).count()
    rng = random.Random(8)
    counties = [regions[c] for c in ("340602", "340603", "340604", "340621") if c in regions]
    places = ["进机关", "进学校", "进医院", "进企业", "进社区", "进商超", "进景区", "进工会"]
    facts = []
    for year in (today.year - 2, today.year - 1, today.year):
        for month in range(3, 12, 2):
            day = datetime.date(year, month, 15)
            if day >= today:
                continue
            region = rng.choice(counties)
            growth = Decimal("1.25") ** (year - today.year + 2)
            amount = (Decimal(rng.randint(15000, 30000)) * growth).quantize(Decimal("0.01"))
            facts.append(
                SalesFact(
                    date=day,
                    month=day.replace(day=1),
                    channel=SalesChannel.OFFLINE,
                    source=FactSource.OFFLINE,
                    region=region,
                    amount=amount,
                    quantity=0,
                    note=f"演示：{rng.choice(places)}消费帮扶展销",
                )
            )
    SalesFact.objects.bulk_create(facts)
    tally.created += len(facts)
    return len(facts)


def seed_entities(*, regions, today: datetime.date, tally: Tally) -> int:
    """About 420 entities (205 registered in the last full year) with monthly figures that
    sum to RETAIL_TOTALS in the last two full years, and this year's months so far."""
    if EcommerceEntity.objects.filter(shop_name__startswith="演示").exists():
        return EcommerceEntity.objects.count()
    rng = random.Random(205)
    last = today.year - 1
    towns = [r for r in regions.values() if r.level == "town"] or list(regions.values())
    platforms = [p for p in Platform.values if p != Platform.OTHER]
    entities = []
    plan = [(last - 3, 110), (last - 2, 105), (last - 1, 190), (last, 205), (today.year, 60)]
    n = 0
    for year, count in plan:
        for _ in range(count):
            n += 1
            registered = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            if registered > today:
                registered = today - datetime.timedelta(days=rng.randint(1, 30))
            region = rng.choice(towns)
            word, goods = rng.choice(SHOP_WORDS), rng.choice(GOODS)
            name = f"淮北{word}{goods}电子商务{'合作社' if n % 3 else '有限公司'}（{n:03d}）"
            entities.append(
                EcommerceEntity(
                    name=name,
                    credit_code=credit_code("92", region.code[:6], name) if n % 4 else "",
                    platform=platforms[n % len(platforms)],
                    shop_name=f"演示{word}{goods}{n:03d}号店",
                    region=region,
                    registered_on=registered,
                    active=rng.random() > 0.04,
                )
            )
    EcommerceEntity.objects.bulk_create(entities, batch_size=500)
    entities = list(EcommerceEntity.objects.filter(shop_name__startswith="演示").order_by("pk"))
    weights = {e.pk: Decimal(rng.randint(20, 400)) for e in entities}
    figures = []
    for year, total in zip((last - 1, last), RETAIL_TOTALS, strict=True):
        slots = [
            (e, month)
            for month in _months(year, today)
            for e in entities
            if e.registered_on.replace(day=1) <= month
        ]
        season = {
            m: Decimal("1.3") if m.month in (1, 11, 12) else Decimal("1")
            for m in {s[1] for s in slots}
        }
        amounts = spread_fen(total, [weights[e.pk] * season[m] for e, m in slots])
        figures += [
            EntityMonthlyFigure(entity=e, month=m, retail_amount=a, order_count=int(a / 85))
            for (e, m), a in zip(slots, amounts, strict=True)
        ]
    for month in _months(today.year, today.replace(day=1) - datetime.timedelta(days=1)):
        for e in entities:
            if e.registered_on.replace(day=1) <= month:
                amount = (weights[e.pk] * Decimal("1400") * Decimal("1.06")).quantize(
                    Decimal("0.01")
                )
                figures.append(
                    EntityMonthlyFigure(
                        entity=e, month=month, retail_amount=amount, order_count=int(amount / 85)
                    )
                )
    EntityMonthlyFigure.objects.bulk_create(figures, batch_size=2000)
    records = []
    counties = [r for r in regions.values() if r.level == "county"]
    for year, total in ((last - 1, Decimal("1650000000")), (last, Decimal("1742000000"))):
        per = spread_fen(total, [Decimal(1 + i) for i in range(len(counties) * 12)])
        for i, (county, m) in enumerate((c, m) for c in counties for m in range(1, 13)):
            records.append(
                IndicatorRecord(
                    indicator=Indicator.AG_ONLINE_RETAIL,
                    region=county,
                    month=datetime.date(year, m, 1),
                    value=per[i],
                    source="淮北市商务局（电子商务监测）",
                )
            )
    IndicatorRecord.objects.bulk_create(records, ignore_conflicts=True)
    tally.created += len(entities) + len(figures)
    return len(entities)


def seed_reports(*, regions, users, today: datetime.date, tally: Tally) -> int:
    """All of the above, then the rollups rebuilt from the facts. Returns the order count."""
    by_code = {r.code: r for r in regions.values()}
    orders = seed_report_orders(users=users, today=today, tally=tally)
    seed_offline_sales(regions=by_code, today=today, tally=tally)
    seed_entities(regions=by_code, today=today, tally=tally)
    tally.created += _placed_orders_facts()
    if tally.created:
        rollups_rebuild()
    seed_closed_year(regions=by_code, users=users, today=today, tally=tally)
    return orders


def _placed_orders_facts() -> int:
    """The sales facts of the orders the earlier steps placed through the services (budget
    units, unions, organisations). Their tasks write them once ``seed_demo``'s transaction
    commits, too late for last year's closing snapshot below, so they are written here as
    the task would; the task then finds nothing left to add. Returns how many orders got
    facts (none on a second run)."""
    pending = (
        Order.objects.exclude(channel=SalesChannel.CONSUMER)
        .filter(sales_facts__isnull=True)
        .values_list("pk", flat=True)
    )
    return sum(1 for order_id in list(pending) if sales_facts_sync(order_id=order_id))


def seed_closed_year(*, regions, users, today: datetime.date, tally: Tally) -> None:
    """Last year closed (关账) by the city's bureau, as it is once the year's figures are
    agreed, so the annual report of last year shows its snapshot. Once: a year closed or
    reopened by hand in the demo is left as it is."""
    year, city = today.year - 1, regions["340600"]
    if AnnualReportClosure.objects.filter(year=year, region=city).exists():
        return
    annual_report_close(year=year, region=city, user=users["city@example.com"], today=today)
    tally.created += 1
