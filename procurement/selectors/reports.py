"""What the reports app reads of procurement, through the dotted paths in settings
(``REPORTS_PROCUREMENT_*``), so that reports never imports procurement.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils import timezone

from core.money import ZERO, money
from orders.models import SalesChannel
from reports.models import SalesFact

from ..models import (
    BudgetUnit,
    Filing,
    FilingStatus,
    QuotaEntry,
    QuotaEntryLine,
    StaffLink,
    StaffLinkStatus,
)
from .organisations import unions_progress


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


#: The channels of the "八进" buyers' orders placed here.
EIGHT_ENTRIES_CHANNELS = (SalesChannel.UNION, SalesChannel.ORGANISATION, SalesChannel.STAFF)


def _eight_entries_rows(*, year: int, region=None) -> list[dict]:
    """Sales facts of the "八进" channels in ``year`` and the year before, summed per
    (channel, year, organisation): the organisation is the ordering unit (union and
    organisation orders) or the staff member's (staff orders). One query."""
    facts = SalesFact.objects.filter(
        channel__in=EIGHT_ENTRIES_CHANNELS,
        date__gte=datetime.date(year - 1, 1, 1),
        date__lte=datetime.date(year, 12, 31),
    )
    if region is not None:
        facts = facts.filter(
            Q(order__procurement__unit__region__path__startswith=region.path)
            | Q(order__staff_purchase__unit__region__path__startswith=region.path)
        )
    rows = facts.values(
        "channel", "date__year", "order__procurement__unit_id", "order__staff_purchase__unit_id"
    ).annotate(amount=Sum("amount"), orders=Count("order", distinct=True))
    return [
        {
            "channel": r["channel"],
            "year": r["date__year"],
            "unit_id": r["order__procurement__unit_id"] or r["order__staff_purchase__unit_id"],
            "amount": money(r["amount"]),
            "orders": r["orders"],
        }
        for r in rows
    ]


def eight_entries_report(*, year: int, region=None) -> dict:
    """The "八进" table of ``year`` for ``region`` (by the buying organisation's region): one
    row per organisation type of the year (``code``, ``name``, ``organisations`` taking part,
    ``orders``, ``amount`` with ``union``, ``organisation`` and ``staff`` parts, and
    ``amount_last`` of the year before), their ``total``; the unions' targets and completion
    (``unions``); and the staff personal purchases per organisation (``staff``: name, type,
    linked accounts, orders, amount; never a person). Orders placed here only: offline
    entries are the reports app's own. A fixed number of queries."""
    from ..services.organisations import organisation_types
    from ..services.staff import unit_org_type

    types = organisation_types(year=year)
    rows = _eight_entries_rows(year=year, region=region)
    units = BudgetUnit.objects.in_bulk({r["unit_id"] for r in rows if r["unit_id"]})
    type_of = {pk: unit_org_type(u, year=year) for pk, u in units.items()}
    table = {
        t.code: {
            "code": t.code,
            "name": t.name,
            "organisations": set(),
            "orders": 0,
            "amount": ZERO,
            "amount_last": ZERO,
            **{c: ZERO for c in ("union", "organisation", "staff")},
        }
        for t in types
    }
    staff = defaultdict(lambda: {"orders": 0, "amount": ZERO})
    for r in rows:
        code = type_of.get(r["unit_id"])
        if code not in table:
            continue
        row = table[code]
        if r["year"] == year:
            row["amount"] += r["amount"]
            row[r["channel"]] += r["amount"]
            row["orders"] += r["orders"]
            row["organisations"].add(r["unit_id"])
            if r["channel"] == SalesChannel.STAFF:
                staff[r["unit_id"]]["orders"] += r["orders"]
                staff[r["unit_id"]]["amount"] += r["amount"]
        else:
            row["amount_last"] += r["amount"]
    result = []
    for row in table.values():
        row["organisations"] = len(row["organisations"])
        result.append(row)
    total = {
        key: sum((row[key] for row in result), ZERO if key != "orders" else 0)
        for key in ("amount", "amount_last", "union", "organisation", "staff", "orders")
    }
    total["organisations"] = sum(row["organisations"] for row in result)
    linked = dict(
        StaffLink.objects.filter(unit_id__in=list(staff), status=StaffLinkStatus.ACTIVE)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
    )
    names = {t.code: t.name for t in types}
    staff_rows = sorted(
        (
            {
                "name": units[pk].name,
                "type": names.get(type_of[pk], type_of[pk]),
                "linked": linked.get(pk, 0),
                "orders": s["orders"],
                "amount": s["amount"],
            }
            for pk, s in staff.items()
        ),
        key=lambda r: (-r["amount"], r["name"]),
    )
    unions = [
        {
            "name": u["union"].name,
            "parent": u["parent"].name if u["parent"] else "",
            "target": u["target"],
            "completed": u["completed"],
            "rate": u["rate"],
        }
        for u in unions_progress(year=year, region=region)
    ]
    return {"types": result, "total": total, "unions": unions, "staff": staff_rows}


def offline_entries_also_ordered() -> list[str]:
    """``reconcile_sales``'s check that no offline "八进" entry repeats an organisation's
    orders placed here: one line per (organisation, month) that has both an offline entry
    and order facts (its own orders, or its staff's). Two queries."""
    offline = set(
        SalesFact.objects.filter(source="offline", organisation__isnull=False)
        .values_list("organisation_id", "month")
        .distinct()
    )
    if not offline:
        return []
    unit_ids = {unit_id for unit_id, _month in offline}
    ordered = set()
    for own, staff, month in (
        SalesFact.objects.filter(source="order")
        .filter(
            Q(order__procurement__unit_id__in=unit_ids)
            | Q(order__staff_purchase__unit_id__in=unit_ids)
        )
        .values_list("order__procurement__unit_id", "order__staff_purchase__unit_id", "month")
        .distinct()
    ):
        ordered.add((own or staff, month))
    names = dict(BudgetUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    return [
        f"offline entry also ordered here: {names.get(unit_id, unit_id)} {month:%Y-%m} "
        "(offline and order facts both count; correct the offline entry)"
        for unit_id, month in sorted(offline & ordered)
    ]
