"""Rollups: sums of sales facts per day x county x category x channel (dashboards) and per
month x county x supplier x product x channel (drill-down tables).

Kept current incrementally in the transaction that writes the facts (an upsert that adds to
the row, so concurrent syncs of different orders never lose an increment), rebuilt from the
facts nightly, and compared with the facts by ``rollups_differences``.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce

from core.money import money

from ..models import (
    EcommerceEntity,
    EntityMonthlyFigure,
    RetailMonthlyRollup,
    SalesDailyRollup,
    SalesFact,
    SalesMonthlyRollup,
    SalesProductRollup,
)

DAILY = SalesDailyRollup._meta.db_table
PRODUCT = SalesProductRollup._meta.db_table
MONTHLY = SalesMonthlyRollup._meta.db_table
RETAIL = RetailMonthlyRollup._meta.db_table
FACTS = SalesFact._meta.db_table

DAILY_KEYS = ("date", "month", "region_key", "category_key", "channel")
PRODUCT_KEYS = ("month", "region_key", "supplier_key", "product_key", "channel")


def _daily_key(fact):
    return (fact.date, fact.month, fact.region_id, fact.category_id or 0, fact.channel)


def _monthly_key(fact):
    return (fact.month, fact.region_id, fact.category_id or 0, fact.channel)


def _product_key(fact):
    return (fact.month, fact.region_id, fact.supplier_id or 0, fact.product_id or 0, fact.channel)


def _upsert(table: str, keys: tuple[str, ...], conflict: tuple[str, ...], sums: dict) -> None:
    columns = ", ".join((*keys, "amount", "quantity"))
    marks = ", ".join(["%s"] * (len(keys) + 2))
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({marks}) "  # noqa: S608
        f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET "
        f"amount = {table}.amount + excluded.amount, "
        f"quantity = {table}.quantity + excluded.quantity"
    )
    # Sorted, so that concurrent transactions take the row locks in the same order.
    params = [(*key, amount, quantity) for key, (amount, quantity) in sorted(sums.items())]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def rollups_apply(*, facts) -> None:
    """Add ``facts`` (just written, in the caller's transaction) to both rollups."""
    daily = defaultdict(lambda: [Decimal("0.00"), 0])
    monthly = defaultdict(lambda: [Decimal("0.00"), 0])
    product = defaultdict(lambda: [Decimal("0.00"), 0])
    for fact in facts:
        for sums, key in (
            (daily, _daily_key(fact)),
            (monthly, _monthly_key(fact)),
            (product, _product_key(fact)),
        ):
            sums[key][0] += fact.amount
            sums[key][1] += fact.quantity
    if daily:
        _upsert(DAILY, DAILY_KEYS, ("date", "region_key", "category_key", "channel"), daily)
        monthly_keys = ("month", "region_key", "category_key", "channel")
        _upsert(MONTHLY, monthly_keys, monthly_keys, monthly)
        _upsert(
            PRODUCT,
            PRODUCT_KEYS,
            ("month", "region_key", "supplier_key", "product_key", "channel"),
            product,
        )


@transaction.atomic
def rollups_rebuild() -> dict[str, int]:
    """Recompute both rollups from the facts. On PostgreSQL the rollup tables are locked for
    the duration, so an incremental update waits and lands after the rebuild."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {DAILY}, {MONTHLY}, {PRODUCT} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {DAILY}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {DAILY} "  # noqa: S608
            f"(date, month, region_key, category_key, channel, amount, quantity) "
            f"SELECT date, month, region_id, COALESCE(category_id, 0), channel, "
            f"SUM(amount), SUM(quantity) FROM {FACTS} "
            f"GROUP BY date, month, region_id, COALESCE(category_id, 0), channel"
        )
        daily = cursor.rowcount
        cursor.execute(f"DELETE FROM {MONTHLY}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {MONTHLY} "  # noqa: S608
            f"(month, region_key, category_key, channel, amount, quantity) "
            f"SELECT month, region_key, category_key, channel, SUM(amount), SUM(quantity) "
            f"FROM {DAILY} GROUP BY month, region_key, category_key, channel"
        )
        cursor.execute(f"DELETE FROM {PRODUCT}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {PRODUCT} (month, region_key, supplier_key, product_key, channel, "  # noqa: S608
            f"amount, quantity) "
            f"SELECT month, region_id, COALESCE(supplier_id, 0), COALESCE(product_id, 0), "
            f"channel, SUM(amount), SUM(quantity) FROM {FACTS} "
            f"GROUP BY month, region_id, COALESCE(supplier_id, 0), COALESCE(product_id, 0), channel"
        )
        product = cursor.rowcount
    retail_rollup_rebuild()
    return {"daily": daily, "product": product}


@transaction.atomic
def retail_rollup_rebuild() -> int:
    """Recompute the reported-retail rollup from the entity figures (after every import or
    form save, and nightly)."""
    figures = EntityMonthlyFigure._meta.db_table
    entities = EcommerceEntity._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {RETAIL} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {RETAIL}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {RETAIL} (month, region_key, amount) "  # noqa: S608
            f"SELECT f.month, e.region_id, SUM(f.retail_amount) FROM {figures} f "
            f"JOIN {entities} e ON e.id = f.entity_id GROUP BY f.month, e.region_id"
        )
        return cursor.rowcount


def _higher(facts: tuple, rollup: tuple) -> str:
    """Which side of a difference is higher: the amount decides, else the quantity."""
    if facts[0] != rollup[0]:
        return "rollup higher" if rollup[0] > facts[0] else "facts higher"
    return "rollup quantity higher" if rollup[1] > facts[1] else "facts quantity higher"


def retail_rollups_differences() -> list[str]:
    """Every month x region whose reported-retail rollup differs from the sum of its
    entities' figures (what the 网络零售额 headline reads), one line each, saying which side
    is higher."""
    want = {
        (r["month"], r["entity__region_id"]): money(r["a"])
        for r in EntityMonthlyFigure.objects.values("month", "entity__region_id")
        .annotate(a=Sum("retail_amount"))
        .order_by()
    }
    have = {
        (r.month, r.region_key): money(r.amount)
        for r in RetailMonthlyRollup.objects.all().iterator(chunk_size=5000)
    }
    problems = []
    for key in sorted(set(want) | set(have), key=str):
        figures, rollup = want.get(key, money(0)), have.get(key, money(0))
        if figures != rollup:
            side = "rollup higher" if rollup > figures else "entity figures higher"
            problems.append(
                f"retail rollup {key[0]:%Y-%m} region {key[1]}: entity figures amount={figures}, "
                f"rollup amount={rollup} ({side})"
            )
    return problems


def _nonzero(rows) -> dict:
    result = {}
    for key, (amount, quantity) in rows:
        amount = money(amount)
        if amount or quantity:
            result[key] = (amount, quantity)
    return result


def rollups_differences() -> list[str]:
    """Every rollup row that differs from the sum of its facts, described in one line each."""
    problems = []
    fact_daily = _nonzero(
        (
            (r["date"], r["region_id"], r["cat"], r["channel"]),
            (r["a"], r["q"]),
        )
        for r in SalesFact.objects.values("date", "region_id", "channel")
        .annotate(cat=Coalesce("category_id", 0))
        .values("date", "region_id", "cat", "channel")
        .annotate(a=Sum("amount"), q=Sum("quantity"))
        .order_by()
    )
    roll_daily = _nonzero(
        ((r.date, r.region_key, r.category_key, r.channel), (r.amount, r.quantity))
        for r in SalesDailyRollup.objects.all().iterator(chunk_size=5000)
    )
    for key in sorted(set(fact_daily) | set(roll_daily), key=str):
        want, have = fact_daily.get(key, (0, 0)), roll_daily.get(key, (0, 0))
        if want[0] != have[0] or want[1] != have[1]:
            problems.append(
                f"daily rollup {key}: facts amount={want[0]} qty={want[1]}, "
                f"rollup amount={have[0]} qty={have[1]} ({_higher(want, have)})"
            )
    fact_monthly = defaultdict(lambda: [Decimal("0.00"), 0])
    for (day, region, cat, channel), (amount, quantity) in fact_daily.items():
        entry = fact_monthly[(day.replace(day=1), region, cat, channel)]
        entry[0] += amount
        entry[1] += quantity
    fact_monthly = _nonzero((k, tuple(v)) for k, v in fact_monthly.items())
    roll_monthly = _nonzero(
        ((r.month, r.region_key, r.category_key, r.channel), (r.amount, r.quantity))
        for r in SalesMonthlyRollup.objects.all().iterator(chunk_size=5000)
    )
    for key in sorted(set(fact_monthly) | set(roll_monthly), key=str):
        want, have = fact_monthly.get(key, (0, 0)), roll_monthly.get(key, (0, 0))
        if want[0] != have[0] or want[1] != have[1]:
            problems.append(
                f"monthly rollup {key}: facts amount={want[0]} qty={want[1]}, "
                f"rollup amount={have[0]} qty={have[1]} ({_higher(want, have)})"
            )
    fact_product = _nonzero(
        (
            (r["month"], r["region_id"], r["sup"], r["prod"], r["channel"]),
            (r["a"], r["q"]),
        )
        for r in SalesFact.objects.annotate(
            sup=Coalesce("supplier_id", 0), prod=Coalesce("product_id", 0)
        )
        .values("month", "region_id", "sup", "prod", "channel")
        .annotate(a=Sum("amount"), q=Sum("quantity"))
        .order_by()
    )
    roll_product = _nonzero(
        (
            (r.month, r.region_key, r.supplier_key, r.product_key, r.channel),
            (r.amount, r.quantity),
        )
        for r in SalesProductRollup.objects.all().iterator(chunk_size=5000)
    )
    for key in sorted(set(fact_product) | set(roll_product), key=str):
        want, have = fact_product.get(key, (0, 0)), roll_product.get(key, (0, 0))
        if want[0] != have[0] or want[1] != have[1]:
            problems.append(
                f"product rollup {key}: facts amount={want[0]} qty={want[1]}, "
                f"rollup amount={have[0]} qty={have[1]} ({_higher(want, have)})"
            )
    return problems
