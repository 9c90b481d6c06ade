"""Reads of after-sales: whether a line may have a case now, the lists of each side, and the
bureau's after-sales rates per supplier. Each list costs a fixed number of queries."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import ZERO
from orders import reference
from orders.models import OrderStatus, SalesChannel
from payments.models import Refund, RefundStatus
from payments.selectors import order_paying_payment

from .exceptions import (
    AfterSalesCaseOpenError,
    AfterSalesLineNotEligibleError,
    AfterSalesWindowClosedError,
)
from .models import OPEN_STATUSES, AfterSalesCase, AfterSalesStatus, SupplierAfterSalesPolicy

Line = get_model("order", "Line")
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")

SHIPPED = reference.SHIPPING_EVENT_SHIPPED[0]
DELIVERED = reference.SHIPPING_EVENT_DELIVERED[0]


@dataclass
class LineAfterSales:
    """Where one order line stands for after-sales at ``now``."""

    line: object
    window_days: int
    refundable: Decimal = ZERO
    received_at: datetime.datetime | None = None  # None: not received yet, the window is open
    window_ends: datetime.datetime | None = None
    open_case: AfterSalesCase | None = None
    refusal: Exception | None = None
    cases: list = field(default_factory=list)

    @property
    def can_request(self) -> bool:
        return self.refusal is None

    def raise_unless_open(self) -> None:
        if self.refusal is not None:
            raise self.refusal


def _window_days(partner_ids) -> dict[int, int]:
    own = dict(
        SupplierAfterSalesPolicy.objects.filter(partner_id__in=partner_ids).values_list(
            "partner_id", "window_days"
        )
    )
    return {pk: own.get(pk, settings.AFTERSALES_WINDOW_DAYS) for pk in partner_ids}


def supplier_window_days(*, partner) -> int:
    return _window_days([partner.pk])[partner.pk]


def order_lines_aftersales(*, order, lines, now=None) -> dict[int, LineAfterSales]:
    """line id -> ``LineAfterSales`` for ``lines`` of ``order``: five queries for any number
    of lines. A line may have a case when the order is a paid consumer (card) order, the line
    is not refunded in full, no case of it is open, and ``now`` is within its supplier's
    window: until ``window_days`` after it was signed for (已签收), or after the day it
    counts as received (shipped + ``AFTERSALES_RECEIPT_ASSUMED_DAYS``); a line not yet
    shipped or on its way has not been received, so the window is open."""
    now = now or timezone.now()
    lines = list(lines)
    ids = [line.pk for line in lines]
    days = _window_days({line.partner_id for line in lines if line.partner_id})
    moves = {}
    for row in (
        ShippingEventQuantity.objects.filter(
            line_id__in=ids, event__event_type__code__in=(SHIPPED, DELIVERED)
        )
        .values("line_id", "event__event_type__code")
        .annotate(quantity=Sum("quantity"), at=Max("event__date_created"))
    ):
        moves[(row["line_id"], row["event__event_type__code"])] = (row["quantity"], row["at"])
    refunded = dict(
        Refund.objects.filter(line_id__in=ids)
        .exclude(status=RefundStatus.FAILED)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .values_list("line_id", "total")
    )
    cases: dict[int, list] = {}
    for case in AfterSalesCase.objects.filter(line_id__in=ids).order_by("-created_at", "-pk"):
        cases.setdefault(case.line_id, []).append(case)
    paid = (
        order.channel == SalesChannel.CONSUMER
        and order.status in OrderStatus.PAID_STATUSES
        and order_paying_payment(order=order) is not None
    )
    states = {}
    for line in lines:
        state = LineAfterSales(
            line=line,
            window_days=days.get(line.partner_id, settings.AFTERSALES_WINDOW_DAYS),
            refundable=max(line.line_price_incl_tax - refunded.get(line.pk, ZERO), ZERO),
            cases=cases.get(line.pk, []),
        )
        state.open_case = next((c for c in state.cases if c.status in OPEN_STATUSES), None)
        delivered = moves.get((line.pk, DELIVERED))
        shipped = moves.get((line.pk, SHIPPED))
        if delivered and delivered[0] >= line.quantity:
            state.received_at = delivered[1]
        elif shipped and shipped[0] >= line.quantity:
            state.received_at = shipped[1] + datetime.timedelta(
                days=settings.AFTERSALES_RECEIPT_ASSUMED_DAYS
            )
        if state.received_at is not None:
            state.window_ends = state.received_at + datetime.timedelta(days=state.window_days)
        state.refusal = _refusal(state, paid=paid, now=now)
        states[line.pk] = state
    return states


def _refusal(state: LineAfterSales, *, paid: bool, now) -> Exception | None:
    line = state.line
    if not paid or line.status in (OrderStatus.REFUNDED, OrderStatus.CANCELLED):
        return AfterSalesLineNotEligibleError(_("只有已付款的网购订单商品可以申请售后。"))
    if state.open_case is not None:
        return AfterSalesCaseOpenError(
            _("该商品已有进行中的售后申请（%(number)s）。") % {"number": state.open_case.number}
        )
    if state.window_ends is not None and now > state.window_ends:
        return AfterSalesWindowClosedError(
            _("已超过售后期限（签收后 %(days)s 天内，截至 %(end)s），不能再申请售后。")
            % {
                "days": state.window_days,
                "end": timezone.localtime(state.window_ends).strftime("%Y-%m-%d %H:%M"),
            }
        )
    if state.refundable <= ZERO:
        return AfterSalesLineNotEligibleError(_("该商品已全部退款。"))
    return None


def line_aftersales_state(*, line, now=None) -> LineAfterSales:
    return order_lines_aftersales(order=line.order, lines=[line], now=now)[line.pk]


def shopper_line_get(*, user, line_id: int):
    """The user's own order line (its order joined), or 404."""
    line = (
        Line.objects.filter(pk=line_id, order__user=user).select_related("order", "partner").first()
    )
    if line is None:
        raise Http404
    return line


def _case_queryset():
    return AfterSalesCase.objects.select_related("order", "line", "partner", "user", "refund")


def shopper_cases(*, user):
    return _case_queryset().filter(user=user)


def shopper_case_get(*, user, pk: int) -> AfterSalesCase:
    case = (
        _case_queryset()
        .filter(pk=pk, user=user)
        .prefetch_related("photos", "events__actor")
        .first()
    )
    if case is None:
        raise Http404
    return case


def supplier_cases(*, partner, status: str = ""):
    qs = _case_queryset().filter(partner=partner)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs


def supplier_case_get(*, partner, pk: int) -> AfterSalesCase:
    case = (
        _case_queryset()
        .filter(pk=pk, partner=partner)
        .select_related("order__shipping_address")
        .prefetch_related("photos", "events__actor")
        .first()
    )
    if case is None:
        raise Http404
    return case


def supplier_open_count(*, partner) -> int:
    return AfterSalesCase.objects.filter(
        partner=partner, status__in=(AfterSalesStatus.REQUESTED, AfterSalesStatus.RETURN_SHIPPED)
    ).count()


def photo_for_user(*, user, pk: int):
    """A case photo the user may see: the shopper's own, the supplier's lines', any for staff."""
    from suppliers.access import supplier_for_user

    from .models import AfterSalesPhoto

    photo = AfterSalesPhoto.objects.filter(pk=pk).select_related("case").first()
    if photo is None or not user.is_authenticated:
        raise Http404
    case = photo.case
    if case.user_id == user.pk or user.is_staff:
        return photo
    partner = supplier_for_user(user)
    if partner is not None and case.partner_id == partner.pk:
        return photo
    raise Http404


# ---------------------------------------------------------------------------
# The bureau's view
# ---------------------------------------------------------------------------
@dataclass
class SupplierRate:
    partner: object
    orders: int
    cases: int
    refunded: Decimal

    @property
    def rate(self) -> Decimal | None:
        """Cases per order, in percent (None without orders)."""
        if not self.orders:
            return None
        return (Decimal(self.cases) * 100 / Decimal(self.orders)).quantize(Decimal("0.1"))


def aftersales_rates(*, region, date_from: datetime.date, date_to: datetime.date):
    """Per supplier in ``region``'s subtree with consumer orders or cases in the range (local
    dates): consumer orders with its lines paid, cases opened, and money refunded through
    after-sales (refunds applied in the range). Four queries."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    partners = {
        p.pk: p
        for p in Partner.objects.filter(region__path__startswith=region.path).select_related(
            "region"
        )
    }
    orders = dict(
        Line.objects.filter(
            partner_id__in=partners,
            order__channel=SalesChannel.CONSUMER,
            order__status__in=(*OrderStatus.PAID_STATUSES, OrderStatus.REFUNDED),
            order__date_placed__gte=start,
            order__date_placed__lt=end,
        )
        .values("partner_id")
        .annotate(n=Count("order", distinct=True))
        .values_list("partner_id", "n")
    )
    cases = dict(
        AfterSalesCase.objects.filter(
            partner_id__in=partners, created_at__gte=start, created_at__lt=end
        )
        .values("partner_id")
        .annotate(n=Count("pk"))
        .values_list("partner_id", "n")
    )
    refunded = dict(
        AfterSalesCase.objects.filter(
            partner_id__in=partners,
            refund__status=RefundStatus.SUCCEEDED,
            refund__applied_at__gte=start,
            refund__applied_at__lt=end,
        )
        .values("partner_id")
        .annotate(total=Sum("refund__amount"))
        .values_list("partner_id", "total")
    )
    rows = [
        SupplierRate(
            partner=partner,
            orders=orders.get(pk, 0),
            cases=cases.get(pk, 0),
            refunded=refunded.get(pk) or ZERO,
        )
        for pk, partner in partners.items()
        if orders.get(pk) or cases.get(pk)
    ]
    rows.sort(key=lambda r: (-(r.rate or 0), -r.cases, r.partner.name))
    return rows
