"""Demo after-sales, paid for real at localstripe (so ``make demo`` runs it after starting
localstripe, outside any transaction: Stripe is called here).

consumer@example.com gets three card-paid orders of supplier@example.com's co-op: one
delivered yesterday with no case (the Done-when journey: ask, the supplier agrees, the refund
shows), one with an open case (待商家处理) and one whose case is finished (已退款).

The ten staff of 淮北市第一中学 linked by ``seed_demo`` each pay a personal order by card
(``seed_staff_orders``): the payment's hook counts it for the school in channel ``staff``."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from aftersales import services as aftersales_services
from aftersales.models import AfterSalesCase
from orders import reference
from orders.services import order_place_pending, order_sync_shipping_status
from orders.shipping.methods import SupplierShipping
from payments import services as payment_services
from payments import stripe_adapter
from regions.addresses import country_cn
from suppliers.strategy import Selector

from .base import Tally
from .organisations import STAFF

Basket = get_model("basket", "Basket")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")
StockRecord = get_model("partner", "StockRecord")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

SHOPPER = "consumer@example.com"
SUPPLIER = "supplier@example.com"


def _paid_order(user, record, quantity: int = 1):
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    basket.add_product(record.product, quantity)
    method = SupplierShipping()
    charge = method.calculate(basket)
    address = ShippingAddress(
        first_name=user.get_full_name() or "王小雨",
        phone_number="+8613812345678",
        state="安徽省",
        line4="淮北市",
        line3="相山区",
        line1="人民路 100 号",
        country=country_cn(),
    )
    order = order_place_pending(
        user=user,
        basket=basket,
        shipping_address=address,
        shipping_method=method,
        shipping_charge=charge,
        order_total=OrderTotalCalculator().calculate(basket, charge),
    )
    card = {"number": "4242424242424242", "exp_month": 12, "exp_year": 2034, "cvc": "123"}
    method_id = stripe_adapter.client().v1.payment_methods.create({"type": "card", "card": card})
    payment_services.payment_attempt_create(order=order, payment_method_id=method_id.id)
    order.refresh_from_db()
    return order


def _deliver(order, *, days_ago: int):
    at = timezone.now() - datetime.timedelta(days=days_ago)
    with transaction.atomic():
        for line in order.lines.all():
            for code in (reference.SHIPPING_EVENT_SHIPPED, reference.SHIPPING_EVENT_DELIVERED):
                event = ShippingEvent.objects.create(
                    order=order,
                    event_type=reference.shipping_event_type(code),
                    partner=line.partner,
                    carrier="顺丰速运",
                    tracking_number=f"SF{order.number}0001",
                )
                ShippingEventQuantity.objects.create(event=event, line=line, quantity=line.quantity)
                ShippingEvent.objects.filter(pk=event.pk).update(date_created=at)
    order_sync_shipping_status(order=order)


def seed_aftersales(*, users, tally: Tally) -> int:
    """Idempotent: nothing happens once the co-op has a demo case."""
    shopper, seller = users.get(SHOPPER), users.get(SUPPLIER)
    partner = Partner.objects.filter(users=seller).order_by("pk").first() if seller else None
    if shopper is None or partner is None:
        return 0
    if AfterSalesCase.objects.filter(partner=partner, user=shopper).exists():
        return AfterSalesCase.objects.filter(partner=partner, user=shopper).count()
    records = list(
        StockRecord.objects.filter(partner=partner, num_in_stock__gt=5)
        .select_related("product")
        .order_by("pk")[:3]
    )
    if not records:
        return 0
    journey = _paid_order(shopper, records[0])
    _deliver(journey, days_ago=1)

    waiting = _paid_order(shopper, records[1 % len(records)])
    _deliver(waiting, days_ago=2)
    aftersales_services.aftersales_request(
        user=shopper,
        line_id=waiting.lines.get().pk,
        kind="return",
        reason="收到的石榴有两个磕碰，想退货",
        amount=waiting.lines.get().line_price_incl_tax,
    )

    finished = _paid_order(shopper, records[2 % len(records)])
    _deliver(finished, days_ago=5)
    case = aftersales_services.aftersales_request(
        user=shopper,
        line_id=finished.lines.get().pk,
        kind="refund",
        reason="少发了一个，协商退部分款",
        amount=Decimal("10.00"),
    )
    aftersales_services.aftersales_agree(user=seller, case_id=case.pk)
    tally.created += 2
    return 2


def seed_staff_orders(*, users, tally: Tally) -> int:
    """One card-paid personal order for each linked staff member of the school who has none
    counted yet (one or two of a product, a different one each); returns how many staff
    orders count for the school. Needs localstripe; idempotent."""
    from procurement.models import StaffLink, StaffLinkStatus, StaffPurchase

    linked = list(
        StaffLink.objects.filter(user__email__in=STAFF, status=StaffLinkStatus.ACTIVE)
        .select_related("user")
        .order_by("user__email")
    )
    counted = set(
        StaffPurchase.objects.filter(link__in=linked).values_list("link__user_id", flat=True)
    )
    records = list(
        StockRecord.objects.filter(
            num_in_stock__gt=5,
            product__in=Product.objects.purchasable().filter(structure="standalone"),
        )
        .select_related("product")
        .order_by("pk")
    )
    if not records:
        return len(counted)
    for i, link in enumerate(linked):
        if link.user_id in counted:
            continue
        _paid_order(link.user, records[(i * 5) % len(records)], quantity=1 + i % 2)
        tally.created += 1
    return StaffPurchase.objects.filter(link__in=linked).count()
