"""Reads about the "八进" organisations: unions' progress against their targets, what a
unit's unions bought beside its reserved share, and the bureau's list of organisations.
Every read is a fixed number of queries whatever the number of rows."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from core.money import ZERO, money
from reports.models import SalesFact

from ..models import (
    LIVE_STAFF_LINK,
    UNION_TYPE,
    BudgetUnit,
    PolicyYear,
    QuotaEntry,
    StaffLink,
    StaffLinkStatus,
    StaffPurchase,
    UnionTarget,
    UnitKind,
)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[1 January, 1 January next year) of ``year`` in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=zone),
        datetime.datetime(year + 1, 1, 1, tzinfo=zone),
    )


def _order_sums(*, unit_ids, year: int) -> dict[int, dict[str, Decimal]]:
    """{unit id: {"committed", "completed"}} of the orders the units placed in ``year``,
    summed from their ledger entries (filed or not), to the cent (SQLite sums decimals as
    floats)."""
    start, end = year_bounds(year)
    rows = (
        QuotaEntry.objects.filter(
            order__procurement__unit_id__in=unit_ids,
            order__date_placed__gte=start,
            order__date_placed__lt=end,
        )
        .values("order__procurement__unit_id")
        .annotate(committed=Sum("committed_delta"), completed=Sum("completed_delta"))
    )
    sums: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {"committed": ZERO, "completed": ZERO}
    )
    for row in rows:
        sums[row["order__procurement__unit_id"]] = {
            "committed": money(row["committed"] or ZERO),
            "completed": money(row["completed"] or ZERO),
        }
    return sums


def _rate(done: Decimal, target: Decimal | None) -> Decimal | None:
    return (done / target).quantize(Decimal("0.0001")) if target else None


def unions_progress(*, year: int, unions=None, region=None) -> list[dict]:
    """One row per approved union (of ``unions``, else of ``region``'s subtree, else all):
    ``{"union", "parent", "target", "committed", "completed", "rate"}``; ``rate`` is None
    without a target. Four queries."""
    if unions is None:
        unions = BudgetUnit.objects.filter(org_type=UNION_TYPE, is_active=True)
        if region is not None:
            unions = unions.filter(region__path__startswith=region.path)
    unions = list(unions.select_related("parent", "region").order_by("region__path", "name"))
    ids = [u.pk for u in unions]
    targets = dict(
        UnionTarget.objects.filter(union_id__in=ids, year=year).values_list("union_id", "amount")
    )
    sums = _order_sums(unit_ids=ids, year=year)
    return [
        {
            "union": u,
            "parent": u.parent,
            "target": targets.get(u.pk),
            "committed": sums[u.pk]["committed"],
            "completed": sums[u.pk]["completed"],
            "rate": _rate(sums[u.pk]["completed"], targets.get(u.pk)),
        }
        for u in unions
    ]


def union_progress(*, union: BudgetUnit, year: int) -> dict:
    """``unions_progress``'s row for one union, with whether the policy year counts its
    orders toward the parent unit's reserved share (``counts_for_parent``)."""
    row = unions_progress(year=year, unions=BudgetUnit.objects.filter(pk=union.pk))[0]
    policy = PolicyYear.objects.filter(year=year).first()
    row["counts_for_parent"] = bool(policy and policy.union_counts_for_parent)
    return row


def unit_unions_beside(*, unit: BudgetUnit, year: int) -> dict | None:
    """What a unit's unions completed in ``year``, shown beside its reserved share, and
    whether the policy year counts it in (``counts``); None for a unit without a union."""
    union_ids = list(
        BudgetUnit.objects.filter(parent=unit, org_type=UNION_TYPE).values_list("pk", flat=True)
    )
    if not union_ids:
        return None
    sums = _order_sums(unit_ids=union_ids, year=year)
    policy = PolicyYear.objects.filter(year=year).first()
    return {
        "completed": sum((sums[pk]["completed"] for pk in union_ids), ZERO),
        "counts": bool(policy and policy.union_counts_for_parent),
    }


def bureau_organisations(*, region, kind: str = UnitKind.ORGANISATION, org_type: str = ""):
    """Organisations within ``region`` (any registration status), with region and parent."""
    rows = BudgetUnit.objects.filter(kind=kind, region__path__startswith=region.path)
    if org_type:
        rows = rows.filter(org_type=org_type)
    return rows.select_related("region", "parent").order_by("registration_status", "name")


def staff_purchase_totals(*, unit: BudgetUnit, year: int) -> dict:
    """What the organisation may see of its staff's personal purchases in ``year``: the
    number of linked accounts, of orders, and the net amount (the sales facts of channel
    ``staff``, refunds deducted). Never who bought what. Three queries."""
    start, end = year_bounds(year)
    facts = SalesFact.objects.filter(
        order__staff_purchase__unit=unit,
        date__gte=start.date(),
        date__lt=end.date(),
    ).aggregate(amount=Sum("amount"))
    return {
        "linked": StaffLink.objects.filter(unit=unit, status=StaffLinkStatus.ACTIVE).count(),
        "orders": StaffPurchase.objects.filter(
            unit=unit, paid_at__gte=start, paid_at__lt=end
        ).count(),
        "amount": money(facts["amount"]),
    }


def user_staff_links(*, user) -> list:
    """The account's own links, newest first, with their organisations."""
    return list(StaffLink.objects.filter(user=user).select_related("unit"))


def unit_staff_links(*, unit: BudgetUnit) -> list:
    """The organisation's links waiting or active (for its admins, who manage them)."""
    return list(
        StaffLink.objects.filter(unit=unit, status__in=LIVE_STAFF_LINK)
        .select_related("user")
        .order_by("status", "user__email")
    )
