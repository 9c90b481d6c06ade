"""The bureau dashboard and its drill-down tables, read from the rollups only."""

from collections import defaultdict

from django.db.models import Sum
from oscar.core.loading import get_model

from core.money import ZERO, money
from orders.models import SalesChannel

from ..models import SalesProductRollup
from . import figures
from .scope import ReportFilters, months_between, year_ago

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")


def dashboard_summary(*, filters: ReportFilters) -> dict:
    """KPI cards, chart series and the county table for ``filters``. Reported online retail
    volume and official indicators are returned under their own keys, never added to sales."""
    index = figures.region_index(filters.region)
    previous = filters.previous
    current = (filters.date_from, filters.date_to)
    # One small aggregate per dimension (each answers a few dozen rows) rather than one
    # cross product of month x county x category x channel read into Python.
    rows, last_rows = figures.rollup_rows_two_periods(
        index=index,
        current=current,
        previous=(previous.date_from, previous.date_to),
        channel=filters.channel,
        group=("month",),
    )

    def by(dimension):
        result = defaultdict(lambda: ZERO)
        for r in figures.rollup_rows(
            index=index,
            date_from=current[0],
            date_to=current[1],
            channel=filters.channel,
            group=(dimension,),
        ):
            key = r[dimension]
            if dimension == "region_key":
                key = index.county_of.get(key, key)
            result[key] += r["amount"]
        return result

    by_county, by_category, by_channel = by("region_key"), by("category_key"), by("channel")
    by_month, last_by_month = defaultdict(lambda: ZERO), defaultdict(lambda: ZERO)
    for r in rows:
        by_month[r["month"]] += r["amount"]
    for r in last_rows:
        last_by_month[r["month"]] += r["amount"]
    total = sum(by_month.values(), ZERO)
    last_total = sum(last_by_month.values(), ZERO)
    months = months_between(filters.date_from, filters.date_to)

    categories = dict(
        Category.objects.filter(pk__in=[k for k in by_category if k]).values_list("pk", "name")
    )
    category_series = sorted(
        ({"label": categories.get(k, "未分类"), "amount": v} for k, v in by_category.items() if v),
        key=lambda item: -item["amount"],
    )

    retail_rows = figures.entity_figures_by_region_month(
        index=index, date_from=previous.date_from, date_to=filters.date_to
    )
    first, last_month = filters.date_from.replace(day=1), filters.date_to
    prev_first, prev_last = previous.date_from.replace(day=1), previous.date_to
    retail = [r for r in retail_rows if first <= r["month"] <= last_month]
    retail_last = [r for r in retail_rows if prev_first <= r["month"] <= prev_last]
    retail_by_county = defaultdict(lambda: ZERO)
    for r in retail:
        retail_by_county[r["county"]] += r["amount"]
    retail_total = sum(retail_by_county.values(), ZERO)
    retail_last_total = sum((r["amount"] for r in retail_last), ZERO)

    year = filters.date_to.year
    new_entities = figures.entities_new_by_county(index=index, year=year)
    procurement = figures.procurement_totals(year=year, region=filters.region)
    suppliers = figures.supplier_stats(region=filters.region)

    county_rows = [
        {
            "region_id": pk,
            "code": index.codes[pk],
            "name": index.names[pk],
            "sales": by_county.get(pk, ZERO),
            "retail": retail_by_county.get(pk, ZERO),
            "new_entities": new_entities[year].get(pk, 0),
        }
        for pk in index.counties
    ]
    return {
        "filters": filters,
        "kpi": {
            "sales": total,
            "sales_last": last_total,
            "sales_yoy": figures.yoy(total, last_total),
            "procurement": procurement,
            "retail": retail_total,
            "retail_last": retail_last_total,
            "retail_yoy": figures.yoy(retail_total, retail_last_total),
            "new_entities": sum(new_entities[year].values()),
            "new_entities_last": sum(new_entities[year - 1].values()),
            "suppliers": suppliers["count"],
            "households": suppliers["households"],
            "products": figures.listed_product_count(region=filters.region),
        },
        "indicators": figures.indicator_totals(
            index=index, date_from=filters.date_from, date_to=filters.date_to
        ),
        "charts": {
            "months": [f"{m:%Y-%m}" for m in months],
            "trend": [str(by_month.get(m, ZERO)) for m in months],
            "trend_last": [str(last_by_month.get(year_ago(m), ZERO)) for m in months],
            "counties": [row["name"] for row in county_rows],
            "county_sales": [str(row["sales"]) for row in county_rows],
            "categories": [c["label"] for c in category_series],
            "category_sales": [str(c["amount"]) for c in category_series],
            "channels": [
                str(SalesChannel(c).label) for c in SalesChannel.values if by_channel.get(c)
            ],
            "channel_sales": [str(by_channel[c]) for c in SalesChannel.values if by_channel.get(c)],
        },
        "counties": county_rows,
        "eight_entries": figures.eight_entries(year=year, region=filters.region),
        "channels": [
            {"channel": c, "label": str(SalesChannel(c).label), "amount": by_channel.get(c, ZERO)}
            for c in SalesChannel.values
        ],
    }


def drilldown(*, filters: ReportFilters, supplier_id: int | None = None) -> dict:
    """Platform sales by supplier within the region (or, for one supplier, by product), over
    the whole months the date range touches (the product rollup is kept per month)."""
    index = figures.region_index(filters.region)
    qs = SalesProductRollup.objects.filter(
        region_key__in=index.ids,
        month__gte=filters.date_from.replace(day=1),
        month__lte=filters.date_to,
    )
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if supplier_id is not None:
        qs = qs.filter(supplier_key=supplier_id)
        key = "product_key"
    else:
        key = "supplier_key"
    rows = list(qs.values(key).annotate(amount=Sum("amount"), quantity=Sum("quantity")).order_by())
    ids = [r[key] for r in rows if r[key]]
    if supplier_id is not None:
        names = dict(Product.objects.filter(pk__in=ids).values_list("pk", "title"))
    else:
        names = dict(Partner.objects.filter(pk__in=ids).values_list("pk", "name"))
    items = sorted(
        (
            {
                "id": r[key],
                "name": names.get(r[key]) or "（未关联）",
                "amount": money(r["amount"]),
                "quantity": r["quantity"],
            }
            for r in rows
        ),
        key=lambda item: (-item["amount"], item["name"]),
    )
    supplier = None
    if supplier_id is not None:
        supplier = Partner.objects.filter(pk=supplier_id).values("pk", "name").first()
    return {
        "filters": filters,
        "level": "product" if supplier_id is not None else "supplier",
        "supplier": supplier,
        "rows": items,
        "total": sum((i["amount"] for i in items), ZERO),
        "month_from": filters.date_from.replace(day=1),
        "month_to": filters.date_to,
    }
