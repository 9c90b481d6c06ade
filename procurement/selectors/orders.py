"""Procurement orders as the unit, the bureau and the suppliers see them."""

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from oscar.core.loading import get_model

from orders.models import OrderStatus, Shipment, ShipmentAddress

from ..models import (
    MemberRole,
    ProcurementOrder,
    Settlement,
)


def _line_counts():
    Line = get_model("order", "Line")
    return (
        Line.objects.filter(order_id=OuterRef("order_id"))
        .order_by()
        .values("order_id")
        .annotate(n=Count("pk"))
        .values("n")
    )


def unit_orders(*, unit, status: str | None = None, limit: int | None = None):
    """The unit's orders, newest first (a stable order, for paging), with what the order
    table shows; a lazy queryset, so that a paginator reads one page of it."""
    qs = (
        ProcurementOrder.objects.filter(unit=unit)
        .select_related("order", "purchaser", "filing__policy_year")
        # A subquery per order shown, not a join grouped over all the unit's orders.
        .annotate(line_count=Coalesce(Subquery(_line_counts()), 0))
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
            "order__shipping_events__acceptance__lines__line",
            "order__shipping_events__acceptance__accepted_by",
            "settlements__partner",
            "refunds__partner",
            "refunds__lines__line",
        )
        .filter(order__number=number)
        .first()
    )


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


def group_order_addresses(*, order):
    """A group order's address list (多地址配送) with each address's parcels (supplier,
    shipping record with its lines, acceptance with its lines), a lazy queryset in the
    list's order: a page of it is a fixed number of queries however many addresses it
    holds."""
    return ShipmentAddress.objects.filter(order=order).prefetch_related(
        Prefetch(
            "shipments",
            queryset=Shipment.objects.select_related("partner", "shipping_event__acceptance")
            .prefetch_related(
                "shipping_event__line_quantities__line", "shipping_event__acceptance__lines"
            )
            .order_by("partner_id"),
        )
    )


def group_order_progress(*, order) -> dict:
    """Parcels of a group order: total, shipped, accepted (one query)."""
    return Shipment.objects.filter(order=order).aggregate(
        total=Count("pk"),
        shipped=Count("pk", filter=Q(shipping_event__isnull=False)),
        accepted=Count("pk", filter=Q(shipping_event__acceptance__isnull=False)),
    )
