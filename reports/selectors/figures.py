"""Building blocks shared by the dashboard, the annual report, the API and the public page.
Each is one query (or one call to the procurement app), whatever the number of rows."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from oscar.core.loading import get_model

from regions.models import Region, RegionLevel

from ..models import EcommerceEntity, EntityMonthlyFigure, IndicatorRecord, SalesDailyRollup
from ..services.money import money

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ZERO = Decimal("0.00")


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


def rollup_rows(*, index: RegionIndex, date_from, date_to, channel="", group=("month",)):
    qs = SalesDailyRollup.objects.filter(region_key__in=index.ids, date__range=(date_from, date_to))
    if channel:
        qs = qs.filter(channel=channel)
    return [
        {**row, "amount": money(row["amount"])}
        for row in qs.values(*group)
        .annotate(amount=Sum("amount"), quantity=Sum("quantity"))
        .order_by(*group)
    ]


def procurement_totals(*, year: int, region: Region) -> dict | None:
    """The procurement app's completion totals, or None while it is not installed."""
    try:
        function = import_string(settings.REPORTS_PROCUREMENT_TOTALS)
    except ImportError:
        return None
    totals = function(year=year, region=region)
    reserved = Decimal(totals.get("reserved") or 0)
    completed = Decimal(totals.get("completed") or 0)
    return {
        "reserved": reserved,
        "committed": Decimal(totals.get("committed") or 0),
        "completed": completed,
        "unit_count": int(totals.get("unit_count") or 0),
        "rate": (completed * 100 / reserved).quantize(Decimal("0.1")) if reserved else None,
    }


def entity_figures_by_region_month(*, index: RegionIndex, date_from, date_to) -> list[dict]:
    """Reported online retail volume per (entity region, month) for months in the range."""
    rows = (
        EntityMonthlyFigure.objects.filter(
            entity__region_id__in=index.ids,
            month__gte=date_from.replace(day=1),
            month__lte=date_to,
        )
        .values("entity__region_id", "month")
        .annotate(amount=Sum("retail_amount"))
        .order_by()
    )
    return [
        {
            "county": index.county_of.get(r["entity__region_id"], index.root.pk),
            "month": r["month"],
            "amount": money(r["amount"]),
        }
        for r in rows
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
