"""Read-only report figures for integrations (/api/v1/reports/…), scoped like the pages:
bureau staff only, within their region's subtree. Amounts are strings in 元 (exact)."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from core.api import ErrorOut
from orders.models import SalesChannel

from . import selectors
from .exceptions import RegionOutOfScopeError
from .selectors import ReportFilters

router = Router(tags=["统计报表"])


class ProcurementOut(Schema):
    reserved: Decimal
    committed: Decimal
    completed: Decimal
    unit_count: int
    rate: Decimal | None


class CountyOut(Schema):
    code: str
    name: str
    sales: Decimal
    retail: Decimal
    new_entities: int


class ChannelOut(Schema):
    channel: str
    label: str
    amount: Decimal


class IndicatorOut(Schema):
    indicator: str
    label: str
    source: str
    value: Decimal
    months: int


class SummaryOut(Schema):
    region_code: str
    region_name: str
    date_from: datetime.date
    date_to: datetime.date
    channel: str
    sales: Decimal
    sales_last_year: Decimal
    sales_yoy_percent: Decimal | None
    procurement: ProcurementOut | None
    reported_online_retail: Decimal
    reported_online_retail_last_year: Decimal
    new_entities: int
    certified_suppliers: int
    listed_products: int
    households_helped: int
    counties: list[CountyOut]
    channels: list[ChannelOut]
    official_indicators: list[IndicatorOut]


class AnnualCountyOut(Schema):
    code: str
    name: str
    sales: Decimal
    sales_last: Decimal
    procurement_sales: Decimal
    retail: Decimal
    retail_last: Decimal
    new_entities: int


class AnnualChannelOut(Schema):
    channel: str
    label: str
    amount: Decimal
    amount_last: Decimal


class AnnualMonthOut(Schema):
    month: int
    sales: Decimal
    sales_last: Decimal
    retail: Decimal
    retail_last: Decimal


class AnnualOut(Schema):
    year: int
    region_code: str
    region_name: str
    sales: Decimal
    sales_last_year: Decimal
    platform_procurement: Decimal
    procurement: ProcurementOut | None
    reported_online_retail: Decimal
    reported_online_retail_last_year: Decimal
    new_entities: int
    new_entities_last_year: int
    counties: list[AnnualCountyOut]
    channels: list[AnnualChannelOut]
    months: list[AnnualMonthOut]
    official_indicators: list[IndicatorOut]
    closed_at: datetime.datetime | None = Field(
        None, description="关账时间：已关账年度返回关账时的快照数据，未关账为 null"
    )


class PublicStatsOut(Schema):
    sales_total: Decimal
    supplier_count: int
    product_count: int
    households_helped: int


def _region(request, code):
    scope = selectors.staff_scope_region(request.user)
    if scope is None:
        raise HttpError(403, _("仅乡村振兴局、财政局工作人员可以查看统计报表。"))
    try:
        return selectors.region_in_scope(scope=scope, code=code)
    except RegionOutOfScopeError as exc:
        raise HttpError(403, _("您无权查看该区域的数据。")) from exc


@router.get(
    "/summary", response={200: SummaryOut, 400: ErrorOut, 403: ErrorOut}, summary="数据看板汇总"
)
def summary(
    request,
    region: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    channel: str = "",
):
    area = _region(request, region)
    if channel and channel not in SalesChannel.values:
        raise HttpError(400, _("渠道无效：%(channel)s") % {"channel": channel})
    date_to = date_to or timezone.localdate()
    date_from = date_from or date_to.replace(month=1, day=1)
    if date_from > date_to:
        raise HttpError(400, _("开始日期不能晚于结束日期。"))
    data = selectors.dashboard_summary(
        filters=ReportFilters(region=area, date_from=date_from, date_to=date_to, channel=channel)
    )
    k = data["kpi"]
    return {
        "region_code": area.code,
        "region_name": area.name,
        "date_from": date_from,
        "date_to": date_to,
        "channel": channel,
        "sales": k["sales"],
        "sales_last_year": k["sales_last"],
        "sales_yoy_percent": k["sales_yoy"],
        "procurement": k["procurement"],
        "reported_online_retail": k["retail"],
        "reported_online_retail_last_year": k["retail_last"],
        "new_entities": k["new_entities"],
        "certified_suppliers": k["suppliers"],
        "listed_products": k["products"],
        "households_helped": k["households"],
        "counties": data["counties"],
        "channels": data["channels"],
        "official_indicators": data["indicators"],
    }


@router.get(
    "/annual/{year}", response={200: AnnualOut, 400: ErrorOut, 403: ErrorOut}, summary="年度统计"
)
def annual(request, year: int, region: str = ""):
    area = _region(request, region)
    if not 2000 <= year <= 2100:
        raise HttpError(400, _("年度无效。"))
    snapshot = selectors.annual_report_snapshot(year=year, region=area)
    if snapshot is None:
        report = selectors.annual_report(year=year, region=area)
    else:
        report = selectors.report_from_snapshot(snapshot.data, region=area)
    h = report["headline"]
    return {
        "year": year,
        "region_code": area.code,
        "region_name": area.name,
        "sales": h["sales"],
        "sales_last_year": h["sales_last"],
        "platform_procurement": h["platform_procurement"],
        "procurement": h["procurement"],
        "reported_online_retail": h["retail"],
        "reported_online_retail_last_year": h["retail_last"],
        "new_entities": h["new_entities"],
        "new_entities_last_year": h["new_entities_last"],
        "counties": report["counties"],
        "channels": report["channels"],
        "months": report["months"],
        "official_indicators": report["indicators"],
        "closed_at": snapshot.closure.closed_at if snapshot else None,
    }


@router.get("/public", response=PublicStatsOut, auth=None, summary="平台公开数据")
def public(request):
    return selectors.public_statistics()
