"""What the reports app reads of procurement, through the dotted paths in settings
(``REPORTS_PROCUREMENT_*``), so that reports never imports procurement.
"""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.money import ZERO

from ..models import (
    Filing,
    FilingStatus,
    QuotaEntry,
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


def _buyer_region_shift(*, year: int, region) -> tuple:
    """(committed, completed) to move into ``region`` by buyer: orders of a shared canteen's
    member units in ``region`` charged to a host's filing outside it, less those of members
    outside it charged to a host's filing inside it. Zero unless a member and its host are in
    different regions (every other order's buyer is its filing's unit)."""
    inside_filing = Q(filing__unit__region__path__startswith=region.path)
    inside_buyer = Q(order__procurement__unit__region__path__startswith=region.path)
    entries = QuotaEntry.objects.filter(
        filing__policy_year__year=year,
        filing__status=FilingStatus.APPROVED,
        order__procurement__isnull=False,
    ).filter(inside_filing ^ inside_buyer)
    moved_in, moved_out = ~inside_filing & inside_buyer, inside_filing & ~inside_buyer
    sums = entries.aggregate(
        committed_in=Sum("committed_delta", filter=moved_in),
        committed_out=Sum("committed_delta", filter=moved_out),
        completed_in=Sum("completed_delta", filter=moved_in),
        completed_out=Sum("completed_delta", filter=moved_out),
    )
    return (
        (sums["committed_in"] or ZERO) - (sums["committed_out"] or ZERO),
        (sums["completed_in"] or ZERO) - (sums["completed_out"] or ZERO),
    )


def procurement_completion_totals(*, year: int, region=None) -> dict:
    """Sums over approved filings of ``year`` for units within ``region`` (None: all). By
    buyer region: the orders of a shared canteen's member unit count in the member's region
    even where its host (whose filing they are charged to) is elsewhere."""
    filings = Filing.objects.filter(policy_year__year=year, status=FilingStatus.APPROVED)
    if region is not None:
        filings = filings.filter(unit__region__path__startswith=region.path)
    totals = filings.aggregate(
        reserved=Sum("reserved_amount"),
        committed=Sum("committed"),
        completed=Sum("completed"),
        unit_count=Count("unit", distinct=True),
    )
    committed, completed = totals["committed"] or ZERO, totals["completed"] or ZERO
    if region is not None:
        shift_committed, shift_completed = _buyer_region_shift(year=year, region=region)
        committed, completed = committed + shift_committed, completed + shift_completed
    return {
        "reserved": totals["reserved"] or ZERO,
        "committed": committed,
        "completed": completed,
        "unit_count": totals["unit_count"] or 0,
    }
