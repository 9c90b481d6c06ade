"""What the reports app reads of procurement, through the dotted paths in settings
(``REPORTS_PROCUREMENT_*``), so that reports never imports procurement.
"""

from django.db.models import Count, Sum
from django.utils import timezone

from core.money import ZERO

from ..models import (
    Filing,
    FilingStatus,
    QuotaEntryLine,
)


def procurement_order_sales_events(*, order) -> list[dict]:
    """The counted history of a procurement order's lines: one dict per line and ledger
    entry that moved its completed amount, ``{"line_id", "date" (Asia/Shanghai), "quantity",
    "amount"}``; positive when counted, negative when released after counting."""
    rows = (
        QuotaEntryLine.objects.filter(entry__order=order)
        .exclude(completed_delta=0)
        .select_related("entry")
        .order_by("entry__created_at", "entry_id", "line_id")
    )
    events = []
    for row in rows:
        sign = 1 if row.completed_delta > 0 else -1
        events.append(
            {
                "line_id": row.line_id,
                "date": timezone.localtime(row.entry.created_at).date(),
                "quantity": sign * abs(row.quantity),
                "amount": row.completed_delta,
            }
        )
    return events


def procurement_completion_totals(*, year: int, region=None) -> dict:
    """Sums over approved filings of ``year`` for units within ``region`` (None: all)."""
    filings = Filing.objects.filter(policy_year__year=year, status=FilingStatus.APPROVED)
    if region is not None:
        filings = filings.filter(unit__region__path__startswith=region.path)
    totals = filings.aggregate(
        reserved=Sum("reserved_amount"),
        committed=Sum("committed"),
        completed=Sum("completed"),
        unit_count=Count("unit", distinct=True),
    )
    return {
        "reserved": totals["reserved"] or ZERO,
        "committed": totals["committed"] or ZERO,
        "completed": totals["completed"] or ZERO,
        "unit_count": totals["unit_count"] or 0,
    }
