"""Reads of the procurement domain, with the relations each page needs fetched up front."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import ZERO
from orders.models import OrderStatus

from .models import (
    CLOSED_REGISTRATION,
    AcceptanceLine,
    BudgetUnit,
    BudgetUnitMember,
    Filing,
    FilingStatus,
    MemberRole,
    PolicyYear,
    ProcurementOrder,
    ProcurementRefund,
    ProcurementRefundLine,
    QuotaEntry,
    QuotaEntryLine,
    RegistrationStatus,
    Settlement,
    UnitDecision,
)


# ---------------------------------------------------------------------------
# Contracts with the reports app (see the shared contracts)
# ---------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------
# Unit portal
# ---------------------------------------------------------------------------
def user_units(*, user) -> list[BudgetUnit]:
    if not user.is_authenticated:
        return []
    ids = BudgetUnitMember.objects.filter(user=user, unit__is_active=True).values("unit_id")
    return list(BudgetUnit.objects.filter(pk__in=ids).select_related("region").order_by("name"))


def user_is_unit_purchaser(*, user) -> bool:
    """Whether the user may check a basket out for some active unit (purchaser or admin)."""
    if not user.is_authenticated:
        return False
    return BudgetUnitMember.objects.filter(
        user=user,
        unit__is_active=True,
        role__in=(MemberRole.PURCHASER, MemberRole.ADMIN),
    ).exists()


def user_roles_by_unit(*, user) -> dict[int, set[str]]:
    roles = defaultdict(set)
    for unit_id, role in BudgetUnitMember.objects.filter(user=user).values_list("unit_id", "role"):
        roles[unit_id].add(role)
    return roles


def unit_filings(*, unit) -> list[Filing]:
    return list(
        unit.filings.select_related("policy_year")
        .prefetch_related("versions__submitted_by", "versions__decided_by")
        .order_by("-policy_year__year")
    )


def schedule_fraction(*, year: int, today: datetime.date | None = None) -> Decimal:
    """The share of the year elapsed by the end of the current month: where completion
    should be by now (a year counts month by month)."""
    today = today or timezone.localdate()
    if today.year < year:
        return Decimal("0")
    if today.year > year:
        return Decimal("1")
    return Decimal(today.month) / Decimal(12)


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
            {"y": round(bottom - plot_h * f, 1), "value": top * Decimal(str(f))}
            for f in (0.25, 0.5, 0.75, 1.0)
        ],
    }


def unit_orders(*, unit, status: str | None = None, limit: int | None = None):
    """The unit's orders, newest first (a stable order, for paging), with what the order
    table shows; a lazy queryset, so that a paginator reads one page of it."""
    qs = (
        ProcurementOrder.objects.filter(unit=unit)
        .select_related("order", "purchaser", "filing__policy_year")
        .annotate(line_count=Count("order__lines"))
        .order_by("-submitted_at", "-pk")
    )
    if status:
        qs = qs.filter(order__status=status)
    return qs[:limit] if limit else qs


def approvals_waiting(*, unit, user) -> list[ProcurementOrder]:
    """Orders of the unit waiting for approval that ``user`` may approve (not their own,
    not a level they already approved)."""
    if not unit.memberships.filter(user=user, role=MemberRole.APPROVER).exists():
        return []
    return list(
        ProcurementOrder.objects.filter(unit=unit, order__status=OrderStatus.PENDING_APPROVAL)
        .exclude(purchaser=user)
        .exclude(approvals__approver=user)
        .select_related("order", "purchaser")
        .order_by("submitted_at")
    )


def acceptances_due(*, unit) -> list:
    """Shipments of the unit's orders not accepted yet."""
    from oscar.core.loading import get_model

    ShippingEvent = get_model("order", "ShippingEvent")
    return list(
        ShippingEvent.objects.filter(
            order__procurement__unit=unit,
            event_type__code="shipped",
            acceptance__isnull=True,
            order__status__in=[OrderStatus.APPROVED, OrderStatus.SHIPPED],
        )
        .select_related("order", "partner")
        .prefetch_related("line_quantities__line")
        .order_by("date_created")
    )


def transfers_due(*, unit) -> list[Settlement]:
    return list(
        Settlement.objects.filter(
            procurement__unit=unit, invoiced_at__isnull=False, transferred_at__isnull=True
        ).select_related("procurement__order", "partner")
    )


def order_detail_by_number(*, number: str) -> ProcurementOrder | None:
    return (
        ProcurementOrder.objects.select_related(
            "order", "unit", "filing__policy_year", "purchaser", "order__shipping_address"
        )
        .prefetch_related(
            "order__lines__partner",
            "approvals__approver",
            "acceptances__lines__line",
            "acceptances__accepted_by",
            "order__shipping_events__line_quantities__line",
            "order__shipping_events__partner",
            "order__shipping_events__event_type",
            "settlements__partner",
            "refunds__partner",
            "refunds__lines__line",
        )
        .filter(order__number=number)
        .first()
    )


# ---------------------------------------------------------------------------
# Bureau
# ---------------------------------------------------------------------------
def bureau_filings_to_review(*, region) -> list[Filing]:
    return list(
        Filing.objects.filter(
            unit__region__path__startswith=region.path, versions__status=FilingStatus.SUBMITTED
        )
        .select_related("unit__region", "policy_year")
        .prefetch_related("versions__submitted_by")
        .distinct()
        .order_by("policy_year__year", "unit__name")
    )


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
        .select_related("region")
    )
    expected = schedule_fraction(year=year, today=today)
    rows = []
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


def supervising_units(*, region) -> list[str]:
    return list(
        BudgetUnit.objects.filter(region__path__startswith=region.path)
        .exclude(supervising_unit="")
        .values_list("supervising_unit", flat=True)
        .distinct()
        .order_by("supervising_unit")
    )


def pending_unit_registrations(*, region) -> list[BudgetUnit]:
    return list(
        BudgetUnit.objects.filter(
            region__path__startswith=region.path,
            registration_status=RegistrationStatus.PENDING,
        )
        .select_related("region", "registered_by")
        .order_by("pk")
    )


def bureau_units(*, region, query: str = "", status: str = ""):
    """The units in the bureau's region with member counts, as a queryset for the page's
    paginator: those with registration ``status``, or else every unit whose registration is
    not withdrawn or rejected."""
    units = BudgetUnit.objects.filter(region__path__startswith=region.path)
    if status:
        units = units.filter(registration_status=status)
    else:
        units = units.exclude(registration_status__in=CLOSED_REGISTRATION)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(credit_code__iexact=query.upper()))
    return (
        units.select_related("region", "registered_by")
        .annotate(member_count=Count("memberships__user", distinct=True))
        .order_by("registration_status", "region__path", "name", "pk")
    )


def unit_members(*, unit) -> list[BudgetUnitMember]:
    return list(unit.memberships.select_related("user").order_by("user__email", "role"))


def unit_decisions(*, unit, limit: int | None = None) -> list[UnitDecision]:
    """A unit's audit trail, newest first (the newest ``limit`` entries when given)."""
    decisions = unit.decisions.select_related("actor").order_by("-created_at", "-pk")
    return list(decisions[:limit] if limit else decisions)


def user_unit_registration(*, user) -> BudgetUnit | None:
    """The unit ``user`` registered last, when it is waiting for review, was returned, or was
    rejected (and they have not registered another since); None otherwise. One query."""
    if not user.is_authenticated:
        return None
    latest = (
        BudgetUnit.objects.filter(registered_by=user)
        .select_related("region")
        .order_by("-pk")
        .first()
    )
    shown = (RegistrationStatus.PENDING, RegistrationStatus.RETURNED, RegistrationStatus.REJECTED)
    return latest if latest is not None and latest.registration_status in shown else None


# ---------------------------------------------------------------------------
# Refunds
# ---------------------------------------------------------------------------
#: Orders whose acceptance is closed (every shipped unit accepted, short or damaged) and not
#: refunded in full: their accepted units may be refunded.
REFUNDABLE_STATUSES = (
    OrderStatus.ACCEPTED,
    OrderStatus.INVOICED,
    OrderStatus.TRANSFERRED,
    OrderStatus.COMPLETED,
)


def settlements_with_refund_rows(settlements: list[Settlement]) -> list[Settlement]:
    """Give each settlement ``refund_rows`` (its supplier's lines of the order with units
    accepted, refunded and still refundable) and ``can_refund``, in four queries in all."""
    from oscar.core.loading import get_model

    Line = get_model("order", "Line")
    procurement_ids = {s.procurement_id for s in settlements}
    accepted = defaultdict(int)
    for line_id, n in AcceptanceLine.objects.filter(
        acceptance__procurement__in=procurement_ids
    ).values_list("line_id", "accepted"):
        accepted[line_id] += n
    refunded = defaultdict(int)
    for line_id, n in ProcurementRefundLine.objects.filter(
        refund__procurement__in=procurement_ids
    ).values_list("line_id", "quantity"):
        refunded[line_id] += n
    lines = defaultdict(list)
    for line in Line.objects.filter(order__procurement__in=procurement_ids).order_by("pk"):
        lines[(line.order_id, line.partner_id)].append(line)
    for s in settlements:
        s.refund_rows = [
            {
                "line": line,
                "accepted": accepted[line.pk],
                "refunded": refunded[line.pk],
                "refundable": accepted[line.pk] - refunded[line.pk],
            }
            for line in lines[(s.procurement.order_id, s.partner_id)]
        ]
        s.can_refund = s.procurement.order.status in REFUNDABLE_STATUSES and any(
            row["refundable"] > 0 for row in s.refund_rows
        )
    return settlements


def order_refunded_quantities(*, procurement) -> dict[int, int]:
    """{line id: units refunded so far} of a procurement order."""
    rows = (
        ProcurementRefundLine.objects.filter(refund__procurement=procurement)
        .values("line_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["line_id"]: row["total"] for row in rows}


def order_refunds(*, procurement) -> list[ProcurementRefund]:
    return list(
        ProcurementRefund.objects.filter(procurement=procurement)
        .select_related("partner", "created_by", "entry")
        .prefetch_related("lines__line")
        .order_by("created_at", "pk")
    )


# ---------------------------------------------------------------------------
# Supplier
# ---------------------------------------------------------------------------
def supplier_procurement_orders(*, partner) -> list[ProcurementOrder]:
    """Procurement orders with lines of ``partner`` that suppliers may see (approved on)."""
    return list(
        ProcurementOrder.objects.filter(
            order__lines__partner=partner,
            order__status__in=OrderStatus.SUPPLIER_VISIBLE_STATUSES,
        )
        .select_related("order", "unit")
        .distinct()
        .order_by("-submitted_at")
    )


def supplier_settlements(*, partner) -> list[Settlement]:
    """The partner's settlements with their refunds and what may still be refunded."""
    return settlements_with_refund_rows(
        list(
            Settlement.objects.filter(partner=partner)
            .select_related("procurement__order", "procurement__unit")
            .prefetch_related("refunds__lines__line")
            .order_by("-procurement__submitted_at")
        )
    )
