"""Placing an order (待付款, stock allocated), cancelling it and letting it expire."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from orders.exceptions import InsufficientStockError
from orders.models import OrderStatus
from orders.shipping.models import SupplierShippingRule
from payments import services
from tests.factories.accounts import UserFactory
from tests.factories.payments import basket_for, place_pending_order, with_strategy

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")


def stock(product):
    record = product.stockrecords.get()
    return record.num_in_stock, record.num_allocated or 0


def test_an_order_is_placed_unpaid_with_its_stock_allocated_and_shipping_per_supplier(catalogue):
    user = UserFactory()
    order = place_pending_order(
        user, (catalogue["pomegranate"], 1), (catalogue["grapes"], 1), (catalogue["rice"], 2)
    )

    assert order.status == OrderStatus.PENDING
    assert {line.status for line in order.lines.all()} == {OrderStatus.PENDING}
    # 塔山: 68.00 + 39.90 = 107.90 >= 99 ships free; 濉河: 2 x 59.90 = 119.80 ships free too.
    charges = {c.partner_name: c.fee for c in order.supplier_shipping_charges.all()}
    assert charges == {
        "淮北塔山石榴专业合作社": Decimal("0.00"),
        "濉溪县濉河农业发展有限公司": Decimal("0.00"),
    }
    assert order.total_incl_tax == Decimal("227.70")
    assert stock(catalogue["rice"]) == (100, 2)
    assert stock(catalogue["pomegranate"]) == (100, 1)
    assert order.basket.status == Basket.FROZEN
    assert order.shipping_address.country_id == "CN"
    assert user.addresses.count() == 1


def test_a_supplier_below_its_free_threshold_charges_its_fee(catalogue):
    SupplierShippingRule.objects.create(
        partner=catalogue["rice"].stockrecords.get().partner,
        fee=Decimal("12.00"),
        free_threshold=Decimal("200.00"),
    )
    order = place_pending_order(
        UserFactory(), (catalogue["pomegranate"], 1), (catalogue["rice"], 1)
    )

    charges = {c.partner_name: c.fee for c in order.supplier_shipping_charges.all()}
    # 塔山 68.00 < 99 (default rule): 8.00; 濉河 59.90 < 200 (its own rule): 12.00.
    assert charges == {
        "淮北塔山石榴专业合作社": Decimal("8.00"),
        "濉溪县濉河农业发展有限公司": Decimal("12.00"),
    }
    assert order.shipping_incl_tax == Decimal("20.00")
    assert order.total_incl_tax == Decimal("147.90")


def test_short_stock_refuses_the_whole_order_and_changes_nothing(catalogue):
    rice = catalogue["rice"].stockrecords.get()
    rice.num_in_stock = 3
    rice.save()
    user = UserFactory()
    basket = basket_for(user, (catalogue["pomegranate"], 2), (catalogue["rice"], 3))
    rice.num_allocated = 1
    rice.save()  # someone else took one unit after the basket was filled

    with pytest.raises(InsufficientStockError) as exc:
        place_pending_order(user, basket=basket)

    assert "库存不足" in str(exc.value) and "仅剩 2 件" in str(exc.value)
    assert Order.objects.count() == 0
    assert ShippingAddress.objects.count() == 0
    assert stock(catalogue["pomegranate"]) == (100, 0)
    assert stock(catalogue["rice"]) == (3, 1)
    basket.refresh_from_db()
    assert basket.status == Basket.OPEN
    assert basket.num_lines == 2


def test_cancelling_an_unpaid_order_releases_its_stock_and_gives_the_basket_back(catalogue):
    user = UserFactory()
    order = place_pending_order(user, (catalogue["rice"], 2), (catalogue["grapes"], 1))
    newer = basket_for(user, (catalogue["pomegranate"], 1))  # started after the order

    order = services.order_cancel(order=order, reason="顾客返回购物车修改")

    assert order.status == OrderStatus.CANCELLED
    assert stock(catalogue["rice"]) == (100, 0)
    assert stock(catalogue["grapes"]) == (100, 0)
    baskets = Basket.open.filter(owner=user)
    assert list(baskets) == [order.basket]
    assert {line.product.title: line.quantity for line in order.basket.lines.all()} == {
        "濉溪大米 10kg": 2,
        "濉溪葡萄 5斤装": 1,
        "塔山石榴 精品礼盒 6枚装": 1,
    }
    newer.refresh_from_db()
    assert newer.status == Basket.MERGED
    assert list(order.status_changes.values_list("old_status", "new_status")) == [
        (OrderStatus.PENDING, OrderStatus.CANCELLED)
    ]

    again = services.order_cancel(order=order, reason="again")
    assert again.status == OrderStatus.CANCELLED
    assert order.status_changes.count() == 1


def test_a_basket_given_back_can_be_ordered_again_under_a_new_number(catalogue):
    user = UserFactory()
    first = place_pending_order(user, (catalogue["rice"], 1))
    services.order_cancel(order=first, reason="改主意")
    basket = with_strategy(Basket.objects.get(pk=first.basket_id))

    second = place_pending_order(user, basket=basket)

    assert second.basket_id == first.basket_id
    assert int(second.number) == int(first.number) + 1  # the next number of the counter
    assert stock(catalogue["rice"]) == (100, 1)


def test_unpaid_orders_expire_after_the_time_limit(catalogue, settings):
    settings.PAYMENTS_PENDING_ORDER_TTL_MINUTES = 30
    old = place_pending_order(UserFactory(), (catalogue["rice"], 1))
    fresh = place_pending_order(UserFactory(), (catalogue["grapes"], 1))
    Order.objects.filter(pk=old.pk).update(
        date_placed=timezone.now() - datetime.timedelta(minutes=31)
    )

    assert services.order_expire_pending() == [old.number]

    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (OrderStatus.CANCELLED, OrderStatus.PENDING)
    assert stock(catalogue["rice"]) == (100, 0)
    assert stock(catalogue["grapes"]) == (100, 1)
