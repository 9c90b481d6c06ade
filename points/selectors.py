"""Reads of the points domain, with their relations fetched up front so that a page's query
count does not grow with its rows."""

import datetime

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from .models import (
    Award,
    AwardStatus,
    AwardStep,
    Goods,
    Household,
    Objection,
    ObjectionDecision,
    PointsEntry,
    Redemption,
    RestockOrder,
    StockMove,
    Supermarket,
    Village,
)

BOARD_SIZE = 30


def village_list_public():
    """Every village with its town, county and household count, in code order."""
    return (
        Village.objects.select_related("town", "supermarket")
        .annotate(household_count=Count("households", filter=Q(households__is_active=True)))
        .order_by("code")
    )


def village_by_code(code: str) -> Village | None:
    return Village.objects.select_related("town", "supermarket").filter(code=code).first()


def village_board(*, village: Village, year: int, size: int = BOARD_SIZE) -> list[Household]:
    """The village's points board: households by points credited in ``year`` (then by
    balance), each annotated with ``year_points``."""
    return list(
        Household.objects.filter(village=village, is_active=True)
        .annotate(
            year_points=Sum(
                "entries__delta",
                filter=Q(entries__kind="award", entries__created_at__year=year),
                default=0,
            )
        )
        .order_by("-year_points", "-balance", "code")[:size]
    )


def _open_objections():
    return Exists(Objection.objects.filter(award=OuterRef("pk"), decision=ObjectionDecision.OPEN))


def village_notices(*, village: Village):
    """The awards under public notice in the village, soonest ending first."""
    return (
        Award.objects.filter(household__village=village, status=AwardStatus.NOTICE)
        .select_related("household", "rule__aspect")
        .annotate(objected=_open_objections())
        .order_by("notice_ends_on", "pk")
    )


def village_notice_sheet(*, village: Village, year: int, month: int):
    """The month's notice sheet: every award whose notice started in the month (its review
    passed then), whatever became of it."""
    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return (
        Award.objects.filter(
            household__village=village,
            steps__action="review_pass",
            steps__at__date__gte=start,
            steps__at__date__lt=end,
        )
        .select_related("household", "rule__aspect")
        .order_by("household__code", "awarded_on", "pk")
        .distinct()
    )


def household_history(*, household: Household, limit: int = 100):
    return (
        PointsEntry.objects.filter(household=household)
        .select_related("award__rule", "redemption")
        .order_by("-created_at", "-pk")[:limit]
    )


def household_pending(*, household: Household):
    """Awards of the household still on their way (review or notice)."""
    return (
        Award.objects.filter(
            household=household, status__in=(AwardStatus.PENDING, AwardStatus.NOTICE)
        )
        .select_related("rule")
        .order_by("awarded_on", "pk")
    )


def clerk_villages(*, user):
    return Village.objects.filter(clerks=user).select_related("town", "supermarket")


def clerk_awards(*, villages, status: str | None = None, limit: int = 50):
    awards = (
        Award.objects.filter(household__village__in=villages)
        .select_related("household__village", "rule__aspect", "recorded_by")
        .annotate(objected=_open_objections())
        .order_by("-recorded_at", "-pk")
    )
    if status:
        awards = awards.filter(status=status)
    return awards[:limit]


def award_detail(*, pk: int) -> Award | None:
    return (
        Award.objects.select_related(
            "household__village__town", "rule__aspect__rule_book", "recorded_by"
        )
        .prefetch_related(
            Prefetch("steps", queryset=AwardStep.objects.select_related("by")),
            Prefetch(
                "objections", queryset=Objection.objects.select_related("recorded_by", "decided_by")
            ),
        )
        .filter(pk=pk)
        .first()
    )


def village_clerk_memberships():
    """Every village clerk link (``user_id``, ``village_id``), as a queryset to filter or
    nest."""
    return Village.clerks.through.objects.all()


def supermarket_manager_memberships():
    """Every supermarket manager link (``user_id``, ``supermarket_id``)."""
    return Supermarket.managers.through.objects.all()


def manager_supermarkets(*, user):
    return Supermarket.objects.filter(managers=user, is_active=True).order_by("name")


def supermarket_goods(*, supermarket: Supermarket):
    return Goods.objects.filter(supermarket=supermarket, is_active=True).order_by(
        "points_price", "name"
    )


def supermarket_redemptions(*, supermarket: Supermarket, limit: int = 20):
    return (
        Redemption.objects.filter(supermarket=supermarket)
        .select_related("household")
        .order_by("-created_at", "-pk")[:limit]
    )


def redemption_detail(*, number: str) -> Redemption | None:
    return (
        Redemption.objects.select_related(
            "household__village", "supermarket", "created_by", "reversed_by"
        )
        .prefetch_related("lines__goods")
        .filter(number=number)
        .first()
    )


def supermarket_restocks(*, supermarket: Supermarket, limit: int = 50):
    """The supermarket's restocking orders, newest first, with their order and funding."""
    return (
        RestockOrder.objects.filter(supermarket=supermarket)
        .select_related("order")
        .prefetch_related("funding")
        .order_by("-placed_at", "-pk")[:limit]
    )


def restock_products(*, supermarket: Supermarket, query: str = "", limit: int = 30):
    """Products the supermarket may order: purchasable (listed, of a certified supplier);
    those matching ``query`` by title, or with no query those already on its shelf. Each has
    ``offer``: its certified stock record with the lowest price."""
    from oscar.core.loading import get_model

    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    today = timezone.localdate()
    products = Product.objects.purchasable(on=today)
    if query:
        products = products.filter(title__icontains=query)
    else:
        on_shelf = Goods.objects.filter(supermarket=supermarket, product__isnull=False)
        products = products.filter(pk__in=on_shelf.values("product_id"))
    products = list(
        products.prefetch_related(
            Prefetch(
                "stockrecords",
                queryset=StockRecord.objects.filter(
                    partner__certified_until__gte=today, price__isnull=False
                )
                .select_related("partner")
                .order_by("price", "pk"),
            )
        ).order_by("title", "pk")[:limit]
    )
    for product in products:
        offers = list(product.stockrecords.all())
        product.offer = offers[0] if offers else None
    return [p for p in products if p.offer is not None]


def restock_detail(*, restock: RestockOrder) -> dict:
    """What the restocking order's page shows: lines, funding, shipments (with their lines
    and whether accepted), the stock moves it made and the goods on the shelf by product."""
    from oscar.core.loading import get_model

    from orders import reference
    from procurement.models import Acceptance

    ShippingEvent = get_model("order", "ShippingEvent")
    order = restock.order
    lines = list(order.lines.select_related("partner").order_by("pk"))
    events = list(
        ShippingEvent.objects.filter(
            order=order, event_type__code=reference.SHIPPING_EVENT_SHIPPED[0]
        )
        .prefetch_related("line_quantities__line")
        .order_by("pk")
    )
    accepted = set(
        Acceptance.objects.filter(shipping_event__in=events).values_list(
            "shipping_event_id", flat=True
        )
    )
    for event in events:
        event.accepted = event.pk in accepted
    shelf = {
        g.product_id: g
        for g in Goods.objects.filter(
            supermarket=restock.supermarket, product_id__in=[line.product_id for line in lines]
        )
    }
    for line in lines:
        line.goods = shelf.get(line.product_id)
    for event in events:
        for quantity in event.line_quantities.all():
            quantity.goods = shelf.get(quantity.line.product_id)
    moves = list(
        StockMove.objects.filter(order_line__order=order)
        .select_related("goods", "order_line")
        .order_by("pk")
    )
    return {
        "order": order,
        "lines": lines,
        "funding": list(restock.funding.all()),
        "events": events,
        "moves": moves,
    }
