"""Filings: a unit's filings, their month-by-month completion and the bureau's review and
completion tables.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import ZERO

from ..models import (
    BudgetUnit,
    Filing,
    FilingStatus,
    PolicyYear,
    QuotaEntry,
)


def unit_filings(*, unit) -> list[Filing]:
    return list(
        unit.filings.select_related("policy_year")
        .prefetch_related("versions__submitted_by", "versions__decided_by")
        .order_by("-policy_year__year")
    )


def schedule_fraction(*, year: int, today: datetime.date | None = None) -> Decimal:
    """Where completion should be by ``today`` on the even monthly schedule (按月均衡进度,
    "应达"): the months of ``year`` completed before today's month, over 12. On 5 December
    11 months are completed (91.7%, not 100%); in January none; a past year 100%.

    The one rule for every page, export and the monthly reminder, so that a unit is never
    "behind" on one page and on schedule on another."""
    today = today or timezone.localdate()
    if today.year < year:
        return Decimal("0")
    if today.year > year:
        return Decimal("1")
    return Decimal(today.month - 1) / Decimal(12)


def schedule_text(fraction: Decimal) -> str:
    """An even-schedule expectation as pages and mails print it, to one decimal (HALF_UP,
    no trailing zero): 11/12 -> "91.7%", 6/12 -> "50%"."""
    value = (fraction * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP).normalize()
    return f"{value:f}%"


def filing_monthly(*, filing) -> list[dict]:
    """Completed amount per month of the filing's policy year (12 rows, with the running
    total), from the ledger grouped by calendar month (Asia/Shanghai). An entry dated before
    the year counts in January and one dated after it in December (a December order
    accepted in January), so the last running total is the filing's completed amount."""
    year = filing.policy_year.year
    rows = (
        QuotaEntry.objects.filter(filing=filing)
        .exclude(completed_delta=0)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(total=Sum("completed_delta"))
    )
    by_month = defaultdict(lambda: ZERO)
    for row in rows:
        if row["month"].year < year:
            month = 1
        elif row["month"].year > year:
            month = 12
        else:
            month = row["month"].month
        by_month[month] += row["total"]
    months, running = [], ZERO
    for month in range(1, 13):
        running += by_month[month]
        months.append({"month": month, "amount": by_month[month], "cumulative": running})
    return months


def monthly_chart(*, filing, width: int = 720, height: int = 220) -> dict:
    """Bar geometry for the server-side SVG chart of ``filing_monthly``, with the target
    line (reserved amount spread evenly over the year)."""
    months = filing_monthly(filing=filing)
    top = max([m["cumulative"] for m in months] + [filing.reserved_amount, Decimal("1")])
    left, bottom, plot_h = 48, height - 28, height - 48
    step = (width - left - 8) / 12
    today = timezone.localdate()
    if filing.policy_year.year == today.year:
        months = [m for m in months if m["month"] <= today.month]
    bars = []
    for m in months:
        h = float(m["cumulative"] / top) * plot_h
        bars.append(
            {
                "month": m["month"],
                "x": round(left + (m["month"] - 1) * step + step * 0.18, 1),
                "w": round(step * 0.64, 1),
                "y": round(bottom - h, 1),
                "h": round(h, 1),
                "cumulative": m["cumulative"],
                "amount": m["amount"],
                "label_x": round(left + (m["month"] - 0.5) * step, 1),
            }
        )
    target = [
        (
            round(left + m * step, 1),
            round(bottom - float(filing.reserved_amount * m / 12 / top) * plot_h, 1),
        )
        for m in range(0, 13)
    ]
    return {
        "width": width,
        "height": height,
        "bottom": bottom,
        "left": left,
        "bars": bars,
        "target_points": " ".join(f"{x},{y}" for x, y in target),
        "top": top,
        "grid": [
            {
                "y": round(bottom - plot_h * f, 1),
                "value": top * Decimal(str(f)),
                # the axis counts in 万元, as the bureau's charts do
                "wan": top * Decimal(str(f)) / Decimal("10000"),
            }
            for f in (0.25, 0.5, 0.75, 1.0)
        ],
    }


def bureau_filings_to_review(*, region) -> list[Filing]:
    """Filings with a version waiting for the bureau (after any pre-review: each filing's
    ``decisions`` come along, so the queue shows the supervising unit's pre-review)."""
    return list(
        Filing.objects.filter(
            unit__region__path__startswith=region.path, versions__status=FilingStatus.SUBMITTED
        )
        .select_related("unit__region", "policy_year")
        .prefetch_related("versions__submitted_by", "decisions__actor")
        .distinct()
        .order_by("policy_year__year", "unit__name")
    )


def supervised_filings(*, supervisor) -> list[Filing]:
    """The filings of ``supervisor``'s subordinate units (下属单位申报): those waiting for its
    pre-review first, then by year (newest first) and unit name."""
    filings = (
        Filing.objects.filter(unit__supervisor=supervisor)
        .select_related("unit__region", "policy_year")
        .prefetch_related("versions", "decisions__actor")
        .order_by("-policy_year__year", "unit__name")
    )
    return sorted(filings, key=lambda f: f.status != FilingStatus.PRE_REVIEW)


def supervised_filing(*, supervisor, pk) -> Filing | None:
    """One filing of a subordinate unit of ``supervisor``; None for any other filing."""
    return (
        Filing.objects.filter(pk=pk, unit__supervisor=supervisor)
        .select_related("unit__region", "unit__supervisor", "policy_year")
        .first()
    )


def filing_decisions(*, filing) -> list:
    """A filing's review steps (pre-review and the bureau's), oldest first."""
    return list(filing.decisions.select_related("actor", "version").order_by("created_at", "pk"))


def _unit_scope(
    *, prefix: str = "", region, unit_region=None, unit_type: str = "", supervising_unit: str = ""
) -> Q:
    """The completion table's filters on units, as seen from a model ``prefix`` away."""
    scope = Q(**{f"{prefix}region__path__startswith": region.path})
    if unit_region is not None:
        scope &= Q(**{f"{prefix}region__path__startswith": unit_region.path})
    if unit_type:
        scope &= Q(**{f"{prefix}unit_type": unit_type})
    if supervising_unit:
        scope &= Q(**{f"{prefix}supervising_unit": supervising_unit})
    return scope


def bureau_completion_table(
    *,
    region,
    year: int,
    unit_region=None,
    unit_type: str = "",
    supervising_unit: str = "",
    behind_only: bool = False,
    today: datetime.date | None = None,
) -> list[dict]:
    """The year's completion by unit in the bureau's region, with the schedule the units
    should have reached by now: one row per approved filing of ``year``, ranked by
    completion rate (highest first), then, once the year's policy is published, one row per
    active unit without an approved filing (``filing`` None; ``state`` its filing's status,
    or "" when it has not filed, with ``state_label``; ``filing_id`` of that filing or None),
    reserved and committed None, completed and rate zero, always behind and ranked last.
    Two queries whatever the number of units."""
    scope = {
        "region": region,
        "unit_region": unit_region,
        "unit_type": unit_type,
        "supervising_unit": supervising_unit,
    }
    filings = Filing.objects.filter(
        _unit_scope(prefix="unit__", **scope),
        policy_year__year=year,
        status=FilingStatus.APPROVED,
    ).select_related("unit__region")
    year_filings = Filing.objects.filter(unit=OuterRef("pk"), policy_year__year=year)
    unfiled = (
        BudgetUnit.objects.filter(_unit_scope(**scope), is_active=True)
        .filter(Exists(PolicyYear.objects.filter(year=year)))
        .exclude(Exists(year_filings.filter(status=FilingStatus.APPROVED)))
        .annotate(
            filing_id=Subquery(year_filings.values("pk")[:1]),
            filing_status=Subquery(year_filings.values("status")[:1]),
        )
        .select_related("region", "canteen_host")
    )
    expected = schedule_fraction(year=year, today=today)
    rows = []
    filings = list(filings)
    # A member of a shared canteen (共用食堂) files nothing of its own: its host's filing
    # covers it, so it shows the host's progress instead of 未填报. The hosts' filings are
    # read in the same query when they are in scope, else in one more.
    host_filings = {f.unit_id: f for f in filings}
    hosts = {u.canteen_host_id for u in unfiled if u.canteen_host_id} - set(host_filings)
    if hosts:
        host_filings.update(
            (f.unit_id, f)
            for f in Filing.objects.filter(
                unit_id__in=hosts, policy_year__year=year, status=FilingStatus.APPROVED
            )
        )
    for filing in filings:
        rate = filing.completion_rate
        rows.append(
            {
                "filing": filing,
                "filing_id": filing.pk,
                "unit": filing.unit,
                "state": FilingStatus.APPROVED,
                "state_label": FilingStatus.APPROVED.label,
                "reserved": filing.reserved_amount,
                "committed": filing.committed,
                "completed": filing.completed,
                "remaining": filing.remaining,
                "rate": rate,
                "expected": expected,
                "behind": rate < expected,
            }
        )
    for unit in unfiled:
        state = unit.filing_status or ""
        host = host_filings.get(unit.canteen_host_id) if unit.canteen_host_id else None
        if host is not None:
            rows.append(
                {
                    "filing": None,
                    "filing_id": host.pk,
                    "unit": unit,
                    "state": "shared",
                    "state_label": _("由“%(host)s”统一填报（共用食堂）")
                    % {"host": unit.canteen_host.name},
                    "reserved": None,
                    "committed": None,
                    "completed": ZERO,
                    "remaining": None,
                    "rate": host.completion_rate,
                    "expected": expected,
                    "behind": host.completion_rate < expected,
                }
            )
            continue
        rows.append(
            {
                "filing": None,
                "filing_id": unit.filing_id,
                "unit": unit,
                "state": state,
                "state_label": FilingStatus(state).label if state else _("未填报"),
                "reserved": None,
                "committed": None,
                "completed": ZERO,
                "remaining": None,
                "rate": Decimal("0"),
                "expected": expected,
                "behind": True,
            }
        )
    rows.sort(key=lambda r: (r["filing"] is None, -r["rate"], r["unit"].name))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    if behind_only:
        rows = [r for r in rows if r["behind"]]
    return rows
