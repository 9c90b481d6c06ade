"""Building blocks shared by the dashboard, the annual report, the API and the public page.
Each is one query (or one call to the procurement app), whatever the number of rows."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, Count, Q, Sum, Value, When
from django.utils import timezone
from django.utils.module_loading import import_string
from oscar.core.loading import get_model

from core.money import ZERO, money
from regions.models import Region, RegionLevel

from ..models import (
    EcommerceEntity,
    IndicatorRecord,
    RetailMonthlyRollup,
    SalesDailyRollup,
    SalesMonthlyRollup,
)

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")


@dataclass
class RegionIndex:
    """The regions of a subtree, with each one's county (the level rollups are kept at)."""

    root: Region
    ids: list[int]
    names: dict[int, str]
    codes: dict[int, str]
    county_of: dict[int, int]
    counties: list[int]  # the county-level regions, or the root itself below county level


def region_index(region: Region) -> RegionIndex:
    rows = list(Region.objects.within(region).values_list("id", "path", "level", "name", "code"))
    by_path = {path: (pk, level) for pk, path, level, _, _ in rows}
    county_of, counties = {}, []
    for pk, path, level, _, _ in rows:
        county = pk
        for n in range(Region.steplen, len(path) + 1, Region.steplen):
            anc = by_path.get(path[:n])
            if anc and anc[1] == RegionLevel.COUNTY:
                county = anc[0]
                break
        county_of[pk] = county
        if level == RegionLevel.COUNTY:
            counties.append(pk)
    if not counties:
        counties = [region.pk]
    return RegionIndex(
        root=region,
        ids=[r[0] for r in rows],
        names={r[0]: r[3] for r in rows},
        codes={r[0]: r[4] for r in rows},
        county_of=county_of,
        counties=counties,
    )


def _month_end(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )


def split_range(date_from, date_to):
    """(first whole month, last whole month or None, [partial day ranges]) of a date range:
    whole months are read from the monthly rollup, the days at either edge from the daily."""
    first = date_from if date_from.day == 1 else _month_end(date_from) + datetime.timedelta(1)
    last_end = (
        date_to
        if date_to == _month_end(date_to)
        else date_to.replace(day=1) - datetime.timedelta(1)
    )
    if first > last_end:
        return None, None, [(date_from, date_to)]
    partial = []
    if date_from < first:
        partial.append((date_from, first - datetime.timedelta(1)))
    if last_end < date_to:
        partial.append((last_end + datetime.timedelta(1), date_to))
    return first, last_end.replace(day=1), partial


def rollup_rows_periods(*, index: RegionIndex, periods, channel="", group=("month",)):
    """Rollup sums per ``group`` for each (date_from, date_to) of ``periods`` (which must not
    overlap): two queries whatever the number of periods and rows — whole months from the
    monthly rollup, edge days from the daily rollup."""
    monthly_q, daily_q = Q(pk__in=[]), Q(pk__in=[])
    monthly_case, daily_case = [], []
    for i, (start, end) in enumerate(periods):
        first, last, partial = split_range(start, end)
        if first is not None:
            monthly_q |= Q(month__range=(first, last))
            monthly_case.append(When(month__range=(first, last), then=Value(i)))
        for a, b in partial:
            daily_q |= Q(date__range=(a, b))
            daily_case.append(When(date__range=(a, b), then=Value(i)))
    sums = [defaultdict(lambda: [ZERO, 0]) for _ in periods]
    for model, q, cases in (
        (SalesMonthlyRollup, monthly_q, monthly_case),
        (SalesDailyRollup, daily_q, daily_case),
    ):
        if not cases:
            continue
        qs = model.objects.filter(q, region_key__in=index.ids)
        if channel:
            qs = qs.filter(channel=channel)
        rows = (
            qs.annotate(period=Case(*cases, default=Value(-1)))
            .values("period", *group)
            .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
            .order_by()
        )
        for row in rows:
            entry = sums[row["period"]][tuple(row[g] for g in group)]
            entry[0] += money(row["amount"])
            entry[1] += row["quantity"] or 0
    return [
        [
            {**dict(zip(group, key, strict=True)), "amount": amount, "quantity": quantity}
            for key, (amount, quantity) in sorted(period.items(), key=lambda kv: str(kv[0]))
        ]
        for period in sums
    ]


def rollup_rows(*, index: RegionIndex, date_from, date_to, channel="", group=("month",)):
    return rollup_rows_periods(
        index=index, periods=[(date_from, date_to)], channel=channel, group=group
    )[0]


def rollup_rows_two_periods(*, index: RegionIndex, current, previous, channel="", group):
    """(current rows, previous rows); one pair of queries when the periods do not overlap."""
    if previous[1] < current[0]:
        return tuple(
            rollup_rows_periods(
                index=index, periods=[current, previous], channel=channel, group=group
            )
        )
    return (
        rollup_rows(
            index=index, date_from=current[0], date_to=current[1], channel=channel, group=group
        ),
        rollup_rows(
            index=index, date_from=previous[0], date_to=previous[1], channel=channel, group=group
        ),
    )


def procurement_totals(*, year: int, region: Region) -> dict | None:
    """The procurement app's completion totals, or None while it is not installed."""
    try:
        function = import_string(settings.REPORTS_PROCUREMENT_TOTALS)
    except ImportError:
        return None
    totals = function(year=year, region=region)
    reserved = money(totals.get("reserved"))
    completed = money(totals.get("completed"))
    return {
        "reserved": reserved,
        "committed": money(totals.get("committed")),
        "completed": completed,
        "unit_count": int(totals.get("unit_count") or 0),
        "rate": (completed * 100 / reserved).quantize(Decimal("0.1")) if reserved else None,
    }


def eight_entries(*, year: int, region: Region) -> dict | None:
    """The "八进" buyers' figures (``settings.REPORTS_EIGHT_ENTRIES``: per organisation type,
    union targets, staff purchases per organisation), or None without the procurement app."""
    try:
        function = import_string(settings.REPORTS_EIGHT_ENTRIES)
    except ImportError:
        return None
    report = function(year=year, region=region)
    for row in [*report["types"], report["total"]]:
        row["yoy"] = yoy(row["amount"], row["amount_last"])
    return report


def entity_figures_by_region_month(*, index: RegionIndex, date_from, date_to) -> list[dict]:
    """Reported online retail volume per (county, month) for months in the range, from the
    retail rollup (one small query)."""
    rows = RetailMonthlyRollup.objects.filter(
        region_key__in=index.ids, month__gte=date_from.replace(day=1), month__lte=date_to
    ).values_list("region_key", "month", "amount")
    return [
        {
            "county": index.county_of.get(region, index.root.pk),
            "month": month,
            "amount": money(amount),
        }
        for region, month, amount in rows
    ]


def entities_new_by_county(*, index: RegionIndex, year: int) -> dict[int, dict[int, int]]:
    """{year or year-1: {county id: entities registered that year}}."""
    rows = (
        EcommerceEntity.objects.filter(
            region_id__in=index.ids, registered_on__year__in=(year, year - 1)
        )
        .values("region_id", "registered_on__year")
        .annotate(n=Count("pk"))
        .order_by()
    )
    result = {year: {}, year - 1: {}}
    for r in rows:
        county = index.county_of.get(r["region_id"], index.root.pk)
        bucket = result[r["registered_on__year"]]
        bucket[county] = bucket.get(county, 0) + r["n"]
    return result


def entity_count_active(*, index: RegionIndex, on: datetime.date) -> int:
    return EcommerceEntity.objects.filter(
        region_id__in=index.ids, active=True, registered_on__lte=on
    ).count()


def supplier_stats(*, region: Region | None, on: datetime.date | None = None) -> dict:
    """Validly certified suppliers in ``region`` (None: everywhere) and households helped."""
    day = on or timezone.localdate()
    suppliers = Partner.objects.filter(certified_until__gte=day)
    if region is not None:
        suppliers = suppliers.filter(region__path__startswith=region.path)
    totals = suppliers.aggregate(count=Count("pk"), households=Sum("households_helped"))
    return {"count": totals["count"], "households": totals["households"] or 0}


def listed_product_count(*, region: Region | None) -> int:
    products = Product.objects.purchasable()
    if region is not None:
        products = products.filter(origin_region__path__startswith=region.path)
    return products.count()


def indicator_totals(*, index: RegionIndex, date_from, date_to) -> list[dict]:
    """Official indicators summed per indicator and source over months in the range."""
    rows = (
        IndicatorRecord.objects.filter(
            region_id__in=index.ids,
            month__gte=date_from.replace(day=1),
            month__lte=date_to,
        )
        .values("indicator", "source")
        .annotate(value=Sum("value"), months=Count("month", distinct=True))
        .order_by("indicator", "source")
    )
    from ..models import Indicator

    return [
        {
            "indicator": r["indicator"],
            "label": str(Indicator(r["indicator"]).label),
            "source": r["source"],
            "value": money(r["value"]),
            "months": r["months"],
        }
        for r in rows
    ]


def yoy(current: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    """Year-on-year change in percent (one decimal), None when there is nothing to compare."""
    if current is None or not previous:
        return None
    return ((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)).quantize(
        Decimal("0.1")
    )
