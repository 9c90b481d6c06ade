"""The annual statistics report (年度消费帮扶工作统计) for a year and a region."""

import datetime
from collections import defaultdict
from decimal import Decimal

from core.money import ZERO
from orders.models import SalesChannel

from . import figures

PROCUREMENT_CHANNELS = (
    SalesChannel.PROCUREMENT,
    SalesChannel.UNION,
    SalesChannel.ORGANISATION,
    SalesChannel.POINTS_SUPERMARKET,
    SalesChannel.STAFF,
)


def annual_report(*, year: int, region) -> dict:
    """Every figure of the report, computed from the data: headline, by county, by channel
    and by month, each with the year before for comparison."""
    index = figures.region_index(region)
    start, end = datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)
    rows = figures.rollup_rows(
        index=index, date_from=start, date_to=end, group=("month", "region_key", "channel")
    )
    sales = {year: defaultdict(lambda: ZERO), year - 1: defaultdict(lambda: ZERO)}
    by_county = {year: defaultdict(lambda: ZERO), year - 1: defaultdict(lambda: ZERO)}
    procurement_by_county = defaultdict(lambda: ZERO)
    by_channel = {year: defaultdict(lambda: ZERO), year - 1: defaultdict(lambda: ZERO)}
    by_month = {year: defaultdict(lambda: ZERO), year - 1: defaultdict(lambda: ZERO)}
    for r in rows:
        y = r["month"].year
        county = index.county_of.get(r["region_key"], r["region_key"])
        sales[y]["total"] += r["amount"]
        by_county[y][county] += r["amount"]
        by_channel[y][r["channel"]] += r["amount"]
        by_month[y][r["month"].month] += r["amount"]
        if y == year and r["channel"] in PROCUREMENT_CHANNELS:
            procurement_by_county[county] += r["amount"]

    retail = {year: defaultdict(lambda: ZERO), year - 1: defaultdict(lambda: ZERO)}
    retail_by_month = {year: defaultdict(lambda: ZERO), year - 1: defaultdict(lambda: ZERO)}
    for r in figures.entity_figures_by_region_month(index=index, date_from=start, date_to=end):
        retail[r["month"].year][r["county"]] += r["amount"]
        retail_by_month[r["month"].year][r["month"].month] += r["amount"]
    retail_total = {y: sum(retail[y].values(), ZERO) for y in retail}
    new_entities = figures.entities_new_by_county(index=index, year=year)
    procurement = figures.procurement_totals(year=year, region=region)
    procurement_last = figures.procurement_totals(year=year - 1, region=region)
    suppliers = figures.supplier_stats(region=region, on=min(end, datetime.date.today()))
    platform_procurement = sum((by_channel[year][c] for c in PROCUREMENT_CHANNELS), ZERO)
    total, last = sales[year]["total"], sales[year - 1]["total"]

    headline = {
        "sales": total,
        "sales_last": last,
        "sales_yoy": figures.yoy(total, last),
        "platform_procurement": platform_procurement,
        "procurement": procurement,
        "procurement_last": procurement_last,
        "procurement_yoy": figures.yoy(
            procurement and procurement["completed"],
            procurement_last and procurement_last["completed"],
        ),
        "retail": retail_total[year],
        "retail_last": retail_total[year - 1],
        "retail_yoy": figures.yoy(retail_total[year], retail_total[year - 1]),
        "new_entities": sum(new_entities[year].values()),
        "new_entities_last": sum(new_entities[year - 1].values()),
        "active_entities": figures.entity_count_active(index=index, on=end),
        "suppliers": suppliers["count"],
        "households": suppliers["households"],
    }
    # Procurement completion by the buyer's region (the units' filings), beside the sales
    # of procurement channels by the product's origin: the two bases differ, both are shown.
    from regions.models import Region

    county_regions = Region.objects.in_bulk(list(index.counties))
    procurement_by_buyer = {
        pk: figures.procurement_totals(year=year, region=county_regions[pk])
        for pk in index.counties
        if pk in county_regions
    }
    counties = [
        {
            "code": index.codes[pk],
            "name": index.names[pk],
            "sales": by_county[year].get(pk, ZERO),
            "sales_last": by_county[year - 1].get(pk, ZERO),
            "sales_yoy": figures.yoy(
                by_county[year].get(pk, ZERO), by_county[year - 1].get(pk, ZERO)
            ),
            "procurement_sales": procurement_by_county.get(pk, ZERO),
            "procurement_completed": (procurement_by_buyer.get(pk) or {}).get("completed"),
            "retail": retail[year].get(pk, ZERO),
            "retail_last": retail[year - 1].get(pk, ZERO),
            "retail_yoy": figures.yoy(retail[year].get(pk, ZERO), retail[year - 1].get(pk, ZERO)),
            "new_entities": new_entities[year].get(pk, 0),
        }
        for pk in index.counties
    ]
    channels = [
        {
            "channel": c,
            "label": str(SalesChannel(c).label),
            "amount": by_channel[year].get(c, ZERO),
            "amount_last": by_channel[year - 1].get(c, ZERO),
            "yoy": figures.yoy(by_channel[year].get(c, ZERO), by_channel[year - 1].get(c, ZERO)),
            "share": (by_channel[year].get(c, ZERO) * 100 / total).quantize(Decimal("0.1"))
            if total
            else None,
        }
        for c in SalesChannel.values
    ]
    months = [
        {
            "month": m,
            "sales": by_month[year].get(m, ZERO),
            "sales_last": by_month[year - 1].get(m, ZERO),
            "retail": retail_by_month[year].get(m, ZERO),
            "retail_last": retail_by_month[year - 1].get(m, ZERO),
        }
        for m in range(1, 13)
    ]
    indicators = figures.indicator_totals(
        index=index, date_from=datetime.date(year, 1, 1), date_to=end
    )
    indicators_last = figures.indicator_totals(
        index=index, date_from=start, date_to=datetime.date(year - 1, 12, 31)
    )
    # Each official indicator with its value the year before (same indicator and source).
    last = {(i["indicator"], i["source"]): i["value"] for i in indicators_last}
    for item in indicators:
        item["value_last"] = last.get((item["indicator"], item["source"]))
        item["yoy"] = figures.yoy(item["value"], item["value_last"])
    return {
        "year": year,
        "region": region,
        "headline": headline,
        "counties": counties,
        "channels": channels,
        "months": months,
        "indicators": indicators,
        "indicators_last": indicators_last,
        "eight_entries": figures.eight_entries(year=year, region=region),
    }
