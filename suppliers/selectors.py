"""Reads for the supplier portal and the reviewers' queues; every page's query count is
constant in its number of rows. Every supplier read is filtered by the supplier first."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.http import Http404
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import ListingStatus
from payments import reference
from payments.models import OrderStatus

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

ZERO = Decimal("0.00")
_CLOSED = (OrderStatus.COMPLETED, OrderStatus.REFUNDED, OrderStatus.CANCELLED)


def shippable_statuses() -> list[str]:
    return [s for s in OrderStatus.SUPPLIER_VISIBLE_STATUSES if s not in _CLOSED]


def sales_statuses() -> list[str]:
    """Visible orders that count as the supplier's sales (refunded ones do not)."""
    return [
        s
        for s in OrderStatus.SUPPLIER_VISIBLE_STATUSES
        if s not in (OrderStatus.REFUNDED, OrderStatus.CANCELLED)
    ]


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


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


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


# ---------------------------------------------------------------------------
# KPIs and sales
# ---------------------------------------------------------------------------
@dataclass
class SupplierKpis:
    sales_month: Decimal
    sales_month_lines: int
    orders_to_ship: int
    low_stock: int
    products_listed: int
    products_pending: int
    certification: Certification | None
    unread_notices: int


def supplier_kpis(*, partner, today: datetime.date | None = None) -> SupplierKpis:
    """The portal home's figures: six queries whatever the supplier's size."""
    today = today or timezone.localdate()
    month_start = _day_start(today.replace(day=1))
    sales = Line.objects.filter(
        partner=partner, order__status__in=sales_statuses(), order__date_placed__gte=month_start
    ).aggregate(
        total=Coalesce(Sum("line_price_incl_tax"), Value(ZERO), output_field=DecimalField()),
        count=Count("pk"),
    )
    to_ship = (
        Line.objects.filter(partner=partner, order__status__in=shippable_statuses())
        .annotate(shipped=_shipped_subquery())
        .filter(shipped__lt=F("quantity"))
        .values("order_id")
        .distinct()
        .count()
    )
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
        sales_month=sales["total"],
        sales_month_lines=sales["count"],
        orders_to_ship=to_ship,
        low_stock=stock["low"],
        products_listed=stock["listed"],
        products_pending=stock["pending"],
        certification=certification,
        unread_notices=unread,
    )


def supplier_sales_lines(*, partner, date_from: datetime.date, date_to: datetime.date):
    """The supplier's counted lines of orders placed in [date_from, date_to] (local days)."""
    return (
        Line.objects.filter(
            partner=partner,
            order__status__in=sales_statuses(),
            order__date_placed__gte=_day_start(date_from),
            order__date_placed__lt=_day_start(date_to + datetime.timedelta(days=1)),
        )
        .select_related("order")
        .order_by("order__date_placed", "pk")
    )


def supplier_sales_summary(*, partner, date_from, date_to) -> dict:
    """Totals, per product and per day for the report page: three queries."""
    lines = supplier_sales_lines(partner=partner, date_from=date_from, date_to=date_to)
    totals = lines.aggregate(
        amount=Coalesce(Sum("line_price_incl_tax"), Value(ZERO), output_field=DecimalField()),
        quantity=Coalesce(Sum("quantity"), Value(0)),
        orders=Count("order", distinct=True),
    )
    by_product = list(
        lines.order_by()
        .values("partner_sku", "title")
        .annotate(quantity=Sum("quantity"), amount=Sum("line_price_incl_tax"))
        .order_by("-amount", "partner_sku")
    )
    tz = timezone.get_current_timezone()
    by_day = list(
        lines.order_by()
        .annotate(day=TruncDate("order__date_placed", tzinfo=tz))
        .values("day")
        .annotate(quantity=Sum("quantity"), amount=Sum("line_price_incl_tax"))
        .order_by("day")
    )
    return {"totals": totals, "by_product": by_product, "by_day": by_day}


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
