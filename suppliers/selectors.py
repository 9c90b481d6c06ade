"""Reads for the supplier portal and the reviewers' queues; every page's query count is
constant in its number of rows. Every supplier read is filtered by the supplier first."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import ListingStatus
from core.money import ZERO, money
from orders import reference
from orders.models import OrderStatus, SalesChannel, Shipment
from reports.models import SalesFact

from .access import is_city_reviewer, reviewer_covers
from .models import (
    CERTIFICATION_OPEN_STATUSES,
    Certification,
    CertificationDecision,
    CertificationDocument,
    CertificationStatus,
    SupplierNotice,
)

Order = get_model("order", "Order")
Line = get_model("order", "Line")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Partner = get_model("partner", "Partner")

_CLOSED = (OrderStatus.COMPLETED, OrderStatus.REFUNDED, OrderStatus.CANCELLED)


def shippable_statuses() -> list[str]:
    return [s for s in OrderStatus.SUPPLIER_VISIBLE_STATUSES if s not in _CLOSED]


def _shipped_subquery():
    return Coalesce(
        Subquery(
            ShippingEventQuantity.objects.filter(
                line=OuterRef("pk"), event__event_type__code=reference.SHIPPING_EVENT_SHIPPED[0]
            )
            .values("line")
            .annotate(total=Sum("quantity"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


# ---------------------------------------------------------------------------
# Products and stock
# ---------------------------------------------------------------------------
def supplier_stockrecords(*, partner, status: str = "", q: str = ""):
    """The supplier's stock records with their products, newest change first."""
    qs = (
        StockRecord.objects.filter(partner=partner, product__parent__isnull=True)
        .select_related("product")
        .order_by("-product__date_updated", "-pk")
    )
    if status:
        qs = qs.filter(product__listing_status=status)
    if q:
        qs = qs.filter(Q(product__title__icontains=q) | Q(partner_sku__icontains=q))
    return qs


def supplier_product_get(*, partner, pk: int):
    """One of the supplier's products (with its stock record as ``own_record``), or 404: a
    product of another supplier is indistinguishable from a missing one."""
    record = (
        StockRecord.objects.filter(partner=partner, product_id=pk)
        .select_related("product", "product__origin_region")
        .first()
    )
    if record is None:
        raise Http404
    product = record.product
    product.own_record = record
    return product


# ---------------------------------------------------------------------------
# Orders
# ---------------------------------------------------------------------------
def supplier_orders(*, partner, state: str = ""):
    """Orders (visible statuses) in which the supplier has lines. ``state`` "to_ship" keeps
    those with something of the supplier's left to ship. Lines are not attached here: call
    ``supplier_orders_attach_lines`` on the page's orders."""
    own_lines = Line.objects.filter(order=OuterRef("pk"), partner=partner)
    qs = Order.objects.filter(
        Exists(own_lines), status__in=OrderStatus.SUPPLIER_VISIBLE_STATUSES
    ).order_by("-date_placed", "-pk")
    if state == "to_ship":
        unshipped = (
            Line.objects.filter(order=OuterRef("pk"), partner=partner)
            .annotate(shipped=_shipped_subquery())
            .filter(shipped__lt=F("quantity"))
        )
        qs = qs.filter(Exists(unshipped), status__in=shippable_statuses())
    return qs


def supplier_orders_attach_lines(*, partner, orders) -> list:
    """Attach ``own_lines`` (with ``shipped`` and ``to_ship``), ``own_total`` and
    ``own_to_ship`` to each order: two queries for any number of orders."""
    orders = list(orders)
    by_id = {o.pk: o for o in orders}
    for order in orders:
        order.own_lines, order.own_total, order.own_to_ship = [], ZERO, 0
    lines = (
        Line.objects.filter(order_id__in=list(by_id), partner=partner)
        .annotate(shipped=_shipped_subquery())
        .order_by("pk")
    )
    for line in lines:
        line.to_ship = max(line.quantity - line.shipped, 0)
        order = by_id[line.order_id]
        order.own_lines.append(line)
        order.own_total += line.line_price_incl_tax
        order.own_to_ship += line.to_ship
    return orders


def supplier_order_get(*, partner, number: str):
    """An order the supplier may see, with its own lines and its own shipments, or 404."""
    order = (
        supplier_orders(partner=partner)
        .filter(number=number)
        .select_related("shipping_address", "user")
        .prefetch_related(
            Prefetch(
                "shipping_events",
                queryset=ShippingEvent.objects.filter(partner=partner)
                .select_related("event_type", "created_by")
                .prefetch_related("line_quantities__line")
                .order_by("date_created", "pk"),
                to_attr="own_shipments",
            )
        )
        .first()
    )
    if order is None:
        raise Http404
    supplier_orders_attach_lines(partner=partner, orders=[order])
    return order


def supplier_group_shipments(*, partner, order):
    """The supplier's own shipments of a group order (多地址配送), by the list's row, with
    their address and shipping record (and its acceptance): a fixed number of queries however
    many addresses. Another supplier's shipments are never in it."""
    return (
        Shipment.objects.filter(order=order, partner=partner)
        .select_related("address", "shipping_event__acceptance")
        .order_by("address__row", "pk")
    )


def group_order_sets(*, order) -> int:
    """The address list's total of sets (0 when the order has no list)."""
    return order.group_addresses.aggregate(total=Sum("sets"))["total"] or 0


# ---------------------------------------------------------------------------
# KPIs and sales
# ---------------------------------------------------------------------------
# Net amount, the negative part of it, net units, and the orders whose sales were counted
# (a positive fact) in the range: a refund of last month's order is not a new order.
_SALES_TOTALS = {
    "net": Sum("amount"),
    "refunds": Sum("amount", filter=Q(amount__lt=0)),
    "units": Coalesce(Sum("quantity"), Value(0)),
    "orders": Count("order", distinct=True, filter=Q(amount__gt=0)),
}


@dataclass
class SupplierKpis:
    sales_month: Decimal
    sales_month_orders: int
    orders_to_ship: int
    low_stock: int
    products_listed: int
    products_pending: int
    certification: Certification | None
    unread_notices: int


def supplier_kpis(*, partner, today: datetime.date | None = None) -> SupplierKpis:
    """The portal home's figures: six queries whatever the supplier's size. This month's
    sales are the supplier's net sales facts, as in the sales report."""
    today = today or timezone.localdate()
    sales = supplier_sales_facts(
        partner=partner, date_from=today.replace(day=1), date_to=today
    ).aggregate(**_SALES_TOTALS)
    # Orders probed for a first unshipped line of the supplier's (stops there), rather than
    # every line's shipped quantity summed and the orders made distinct.
    to_ship = supplier_orders(partner=partner, state="to_ship").order_by().count()
    low_default = settings.SUPPLIERS_LOW_STOCK_DEFAULT
    stock = StockRecord.objects.filter(partner=partner, product__parent__isnull=True).aggregate(
        low=Count(
            "pk",
            filter=Q(
                num_in_stock__lte=Coalesce(F("num_allocated"), 0)
                + Coalesce(F("low_stock_threshold"), low_default)
            ),
        ),
        listed=Count("pk", filter=Q(product__listing_status=ListingStatus.LISTED)),
        pending=Count("pk", filter=Q(product__listing_status=ListingStatus.PENDING)),
    )
    certification = certification_current(partner=partner)
    unread = SupplierNotice.objects.filter(partner=partner, read_at__isnull=True).count()
    return SupplierKpis(
        sales_month=money(sales["net"]),
        sales_month_orders=sales["orders"],
        orders_to_ship=to_ship,
        low_stock=stock["low"],
        products_listed=stock["listed"],
        products_pending=stock["pending"],
        certification=certification,
        unread_notices=unread,
    )


def supplier_sales_facts(*, partner, date_from: datetime.date, date_to: datetime.date):
    """The supplier's sales facts dated in [date_from, date_to], by date then pk: the same
    append-only deltas the bureau's reports add up (a consumer order on its payment date, a
    procurement order on its year's counting event, refunds and releases negative on their
    own date). Another supplier's facts are never in it."""
    return SalesFact.objects.filter(
        supplier=partner, date__gte=date_from, date__lte=date_to
    ).order_by("date", "pk")


def supplier_sales_export(*, partner, date_from: datetime.date, date_to: datetime.date):
    """The facts of ``supplier_sales_facts`` with their order, line and product: one query."""
    return supplier_sales_facts(
        partner=partner, date_from=date_from, date_to=date_to
    ).select_related("order", "line", "product")


def supplier_sales_summary(*, partner, date_from, date_to) -> dict:
    """Totals, per channel, per product and per day for the sales page: four queries."""
    facts = supplier_sales_facts(partner=partner, date_from=date_from, date_to=date_to)
    totals = facts.aggregate(**_SALES_TOTALS)
    totals["net"], totals["refunds"] = money(totals["net"]), money(totals["refunds"])
    sums = {"quantity": Sum("quantity"), "amount": Sum("amount")}
    labels = dict(SalesChannel.choices)
    by_channel = sorted(
        (
            {**row, "label": labels.get(row["channel"], row["channel"])}
            for row in facts.order_by().values("channel").annotate(**sums)
        ),
        key=lambda row: list(labels).index(row["channel"]) if row["channel"] in labels else 99,
    )
    by_product = list(
        facts.order_by()
        .values("product_id")
        .annotate(
            title=Max(Coalesce("line__title", "product__title")),
            partner_sku=Max("line__partner_sku"),
            **sums,
        )
        .order_by("-amount", "title")
    )
    by_day = list(facts.order_by().values("date").annotate(**sums).order_by("date"))
    for row in (*by_channel, *by_product, *by_day):
        row["amount"] = money(row["amount"])
    return {
        "totals": totals,
        "by_channel": by_channel,
        "by_product": by_product,
        "by_day": by_day,
    }


# ---------------------------------------------------------------------------
# Certification
# ---------------------------------------------------------------------------
def certification_current(*, partner) -> Certification | None:
    """The application under way if any, else the latest one."""
    open_first = Case(
        When(status__in=CERTIFICATION_OPEN_STATUSES, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Certification.objects.filter(partner=partner)
        .order_by(open_first, "-applied_at", "-pk")
        .first()
    )


def certification_valid(*, partner) -> Certification | None:
    """The supplier's valid certification (the one valid longest), or None: one query,
    none for a supplier not marked certified."""
    if partner is None or not partner.is_certified:
        return None
    return (
        partner.certifications.filter(
            status=CertificationStatus.CERTIFIED, valid_until__gte=timezone.localdate()
        )
        .order_by("-valid_until")
        .first()
    )


def supplier_staff_memberships():
    """Every supplier staff link (``user_id``, ``partner_id``), as a queryset to filter or
    nest."""
    return Partner.users.through.objects.all()


def certification_detail(*, pk: int) -> Certification:
    """A certification with its supplier, decisions (with actors) and documents, or 404."""
    certification = (
        Certification.objects.select_related("partner", "partner__region")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=CertificationDecision.objects.select_related("actor").order_by(
                    "created_at", "pk"
                ),
            ),
            "documents",
        )
        .filter(pk=pk)
        .first()
    )
    if certification is None:
        raise Http404
    return certification


def certification_queue(*, staff, status: str = ""):
    """Applications of suppliers in the reviewer's region; by default those waiting for this
    reviewer's level (county: 已申请; city: 县级已推荐)."""
    if not status:
        status = (
            CertificationStatus.RECOMMENDED
            if is_city_reviewer(staff)
            else CertificationStatus.APPLIED
        )
    qs = Certification.objects.filter(partner__region__path__startswith=staff.region.path)
    if status != "all":
        qs = qs.filter(status=status)
    return qs.select_related("partner", "partner__region").order_by("applied_at", "pk")


def certification_queue_counts(*, staff) -> dict[str, int]:
    rows = (
        Certification.objects.filter(partner__region__path__startswith=staff.region.path)
        .values("status")
        .annotate(n=Count("pk"))
    )
    return {row["status"]: row["n"] for row in rows}


def listing_queue(*, user, staff):
    """Products waiting for listing review whose supplier the reviewer covers (all of them
    for an administrator)."""
    qs = Product.objects.filter(listing_status=ListingStatus.PENDING, parent__isnull=True)
    if not user.is_superuser:
        if staff is None:
            return qs.none()
        qs = qs.filter(stockrecords__partner__region__path__startswith=staff.region.path)
    return (
        qs.distinct()
        .prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.select_related("partner", "partner__region"),
            ),
            "images",
        )
        .order_by("date_updated", "pk")
    )


def document_for_user(*, user, pk: int, staff=None) -> CertificationDocument:
    """A document the user may read: its supplier's own users, a reviewer whose region covers
    the supplier, or a superuser. Anything else is a 404 (no hint that it exists)."""
    doc = (
        CertificationDocument.objects.select_related(
            "certification__partner", "certification__partner__region"
        )
        .filter(pk=pk)
        .first()
    )
    if doc is None:
        raise Http404
    partner = doc.certification.partner
    if user.is_superuser or partner.users.filter(pk=user.pk).exists():
        return doc
    if reviewer_covers(staff, partner):
        return doc
    raise Http404
