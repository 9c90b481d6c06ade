"""The bureau's points report, scoped to a staff member's region like /reports/: per town
and village, households taking part of all households, points awarded (by aspect too),
points redeemed, the redemptions' value in yuan and each supermarket's stock turnover;
month by month against the year before; an Excel export and the awards behind a figure.

Every figure is a handful of grouped queries, whatever the number of villages or rows.
"Awarded" counts points credited in the period (the ledger's award entries); "redeemed"
counts redemptions made in the period and not reversed."""

import datetime
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _

from core.money import ZERO, money
from regions.models import Region, RegionLevel

from .models import (
    Award,
    AwardStatus,
    EntryKind,
    Household,
    PointsEntry,
    Redemption,
    RedemptionStatus,
    StockMove,
    StockMoveKind,
    Supermarket,
    Village,
)


@dataclass
class Row:
    """One village's (or a town's, a county's, the total's) figures for the year."""

    name: str
    code: str = ""
    level: str = "village"
    households: int = 0
    participating: int = 0
    awarded: int = 0
    deducted: int = 0
    redeemed: int = 0
    value: Decimal = ZERO

    @property
    def participation(self) -> Decimal | None:
        if not self.households:
            return None
        return (Decimal(self.participating) * 100 / self.households).quantize(Decimal("0.1"))

    def add(self, other: "Row") -> None:
        for name in ("households", "participating", "awarded", "deducted", "redeemed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.value = money(self.value + other.value)


@dataclass
class Report:
    region: Region
    year: int
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None
    aspects: list[tuple[str, int]] = field(default_factory=list)
    months: list[dict] = field(default_factory=list)
    supermarkets: list[dict] = field(default_factory=list)


def _counties() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("path"))


def _owner(path: str, regions: list[Region]) -> Region | None:
    return next((r for r in regions if path.startswith(r.path)), None)


def _village_rows(villages, year) -> dict[int, Row]:
    ids = [v.pk for v in villages]
    households = dict(
        Household.objects.filter(village__in=ids, is_active=True)
        .values("village")
        .annotate(n=Count("pk"))
        .values_list("village", "n")
    )
    awards = {
        row["household__village"]: row
        for row in PointsEntry.objects.filter(
            kind=EntryKind.AWARD, household__village__in=ids, created_at__year=year
        )
        .values("household__village")
        .annotate(
            awarded=Sum("delta", filter=Q(delta__gt=0)),
            deducted=Sum("delta", filter=Q(delta__lt=0)),
            participating=Count("household", distinct=True, filter=Q(delta__gt=0)),
        )
    }
    redeemed = {
        row["household__village"]: row
        for row in Redemption.objects.filter(
            status=RedemptionStatus.DONE, household__village__in=ids, created_at__year=year
        )
        .values("household__village")
        .annotate(points=Sum("total_points"), value=Sum("total_value"))
    }
    rows = {}
    for v in villages:
        a, r = awards.get(v.pk, {}), redeemed.get(v.pk, {})
        rows[v.pk] = Row(
            name=v.name,
            code=v.code,
            households=households.get(v.pk, 0),
            participating=a.get("participating") or 0,
            awarded=a.get("awarded") or 0,
            deducted=-(a.get("deducted") or 0),
            redeemed=r.get("points") or 0,
            value=money(r.get("value")),
        )
    return rows


def _months(ids, year) -> list[dict]:
    """Month by month for ``year`` and the year before: points awarded and redeemed, value."""
    cells = defaultdict(lambda: {"awarded": 0, "redeemed": 0, "value": ZERO})
    for row in (
        PointsEntry.objects.filter(
            kind=EntryKind.AWARD,
            delta__gt=0,
            household__village__in=ids,
            created_at__year__in=(year - 1, year),
        )
        .annotate(y=ExtractYear("created_at"), m=ExtractMonth("created_at"))
        .values("y", "m")
        .annotate(points=Sum("delta"))
    ):
        cells[(row["y"], row["m"])]["awarded"] = row["points"]
    for row in (
        Redemption.objects.filter(
            status=RedemptionStatus.DONE,
            household__village__in=ids,
            created_at__year__in=(year - 1, year),
        )
        .annotate(y=ExtractYear("created_at"), m=ExtractMonth("created_at"))
        .values("y", "m")
        .annotate(points=Sum("total_points"), value=Sum("total_value"))
    ):
        cells[(row["y"], row["m"])].update(redeemed=row["points"], value=money(row["value"]))
    return [
        {"month": m, "this": cells[(year, m)], "last": cells[(year - 1, m)]} for m in range(1, 13)
    ]


def _supermarkets(villages, year) -> list[dict]:
    """Each supermarket serving the villages: stock at the start of the year, received and
    redeemed (net of reversals) in it, and turnover = redeemed / (opening + received)."""
    ids = sorted({v.supermarket_id for v in villages})
    start = datetime.date(year, 1, 1)
    figures = {
        row["goods__supermarket"]: row
        for row in StockMove.objects.filter(goods__supermarket__in=ids)
        .values("goods__supermarket")
        .annotate(
            opening=Sum("delta", filter=Q(created_at__date__lt=start)),
            received=Sum("delta", filter=Q(kind=StockMoveKind.RESTOCK, created_at__year=year)),
            out=Sum(
                "delta",
                filter=Q(
                    kind__in=(StockMoveKind.REDEMPTION, StockMoveKind.REVERSAL),
                    created_at__year=year,
                ),
            ),
        )
    }
    result = []
    for market in Supermarket.objects.filter(pk__in=ids).order_by("name"):
        row = figures.get(market.pk, {})
        opening, received = row.get("opening") or 0, row.get("received") or 0
        out = -(row.get("out") or 0)
        base = opening + received
        result.append(
            {
                "name": market.name,
                "opening": opening,
                "received": received,
                "redeemed": out,
                "turnover": (Decimal(out) * 100 / base).quantize(Decimal("0.1")) if base else None,
            }
        )
    return result


def points_report(*, region: Region, year: int) -> Report:
    """The report for ``region``'s subtree and ``year``. Rows go county, then each town,
    then its villages, each group preceded by its subtotal row."""
    villages = list(
        Village.objects.filter(town__path__startswith=region.path)
        .select_related("town")
        .order_by("town__path", "code")
    )
    rows = _village_rows(villages, year)
    counties = _counties()
    report = Report(region=region, year=year)
    total = Row(name=_("合计"), level="total")
    by_county: dict = defaultdict(list)
    for v in villages:
        by_county[_owner(v.town.path, counties)].append(v)
    for county, members in by_county.items():
        county_row = Row(
            name=county.name if county else "—", code=county.code if county else "", level="county"
        )
        report.rows.append(county_row)
        towns: dict = defaultdict(list)
        for v in members:
            towns[v.town].append(v)
        for town, town_villages in towns.items():
            town_row = Row(name=town.name, code=town.code, level="town")
            report.rows.append(town_row)
            for v in town_villages:
                town_row.add(rows[v.pk])
                report.rows.append(rows[v.pk])
            county_row.add(town_row)
        total.add(county_row)
    report.total = total
    ids = [v.pk for v in villages]
    report.aspects = list(
        Award.objects.filter(
            status=AwardStatus.CREDITED,
            household__village__in=ids,
            entry__created_at__year=year,
            entry__delta__gt=0,
        )
        .values("rule__aspect__number", "rule__aspect__name")
        .annotate(points=Sum("credited_points"), awards=Count("pk"))
        .order_by("rule__aspect__number")
        .values_list("rule__aspect__name", "points", "awards")
    )
    report.months = _months(ids, year)
    report.supermarkets = _supermarkets(villages, year)
    return report


def report_awards(
    *, region: Region, year: int, village: str = "", aspect: str = "", month: int | None = None
):
    """The credited awards behind a figure of the report: in ``region``'s subtree, credited in
    ``year`` (and ``month``), of one village (code) and one aspect (name) when given."""
    awards = Award.objects.filter(
        status=AwardStatus.CREDITED,
        household__village__town__path__startswith=region.path,
        entry__created_at__year=year,
    )
    if village:
        awards = awards.filter(household__village__code=village)
    if aspect:
        awards = awards.filter(rule__aspect__name=aspect)
    if month:
        awards = awards.filter(entry__created_at__month=month)
    return awards.select_related("household__village", "rule__aspect", "entry").order_by(
        "household__village__code", "-entry__created_at", "pk"
    )


def points_report_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("分村统计")
    bold = Font(bold=True)
    sheet.append(
        [
            _("%(year)s 年积分超市统计 · %(region)s")
            % {"year": report.year, "region": report.region.name}
        ]
    )
    sheet["A1"].font = bold
    header = [
        _("区域"),
        _("层级"),
        _("农户数"),
        _("参与农户"),
        _("参与率（%）"),
        _("入账积分"),
        _("扣减积分"),
        _("兑换积分"),
        _("兑换价值（元）"),
    ]
    sheet.append(header)
    levels = {"county": _("县/区"), "town": _("乡镇"), "village": _("村"), "total": _("合计")}
    for row in [*report.rows, report.total]:
        sheet.append(
            [
                row.name,
                levels[row.level],
                row.households,
                row.participating,
                float(row.participation) if row.participation is not None else None,
                row.awarded,
                row.deducted,
                row.redeemed,
                float(row.value),
            ]
        )
    aspects = book.create_sheet(_("分方面"))
    aspects.append([_("方面"), _("入账积分"), _("积分记录数")])
    for name, points, count in report.aspects:
        aspects.append([name, points, count])
    months = book.create_sheet(_("分月"))
    months.append(
        [
            _("月份"),
            _("入账积分"),
            _("上年同期"),
            _("兑换积分"),
            _("上年同期"),
            _("兑换价值（元）"),
            _("上年同期"),
        ]
    )
    for m in report.months:
        months.append(
            [
                m["month"],
                m["this"]["awarded"],
                m["last"]["awarded"],
                m["this"]["redeemed"],
                m["last"]["redeemed"],
                float(m["this"]["value"]),
                float(m["last"]["value"]),
            ]
        )
    stock = book.create_sheet(_("库存周转"))
    stock.append([_("积分超市"), _("年初库存"), _("本年入库"), _("本年兑换出库"), _("周转率（%）")])
    for s in report.supermarkets:
        stock.append(
            [
                s["name"],
                s["opening"],
                s["received"],
                s["redeemed"],
                float(s["turnover"]) if s["turnover"] is not None else None,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
