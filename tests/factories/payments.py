"""Baskets, addresses and orders for the checkout and payment tests."""

from oscar.core.loading import get_class, get_model

from orders import services
from orders.reference import country_cn
from orders.shipping.methods import SupplierShipping
from suppliers.strategy import Selector

Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")


def shipping_address(**overrides):
    """An unsaved mainland address as the checkout form would build it."""
    fields = {
        "first_name": "王小明",
        "phone_number": "+8613812345678",
        "state": "安徽省",
        "line4": "淮北市",
        "line3": "烈山区",
        "line1": "烈山镇榴园路 8 号",
        "country": country_cn(),
    }
    fields.update(overrides)
    return ShippingAddress(**fields)


def basket_for(user, *items):
    """An open basket of ``user`` with ``(product, quantity)`` lines and the shop's strategy."""
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def with_strategy(basket, user=None):
    basket.strategy = Selector().strategy(user=user or basket.owner)
    return basket


def place_pending_order(user, *items, basket=None):
    """Place an order (待付款, stock allocated) the way the checkout's last step does."""
    basket = basket or basket_for(user, *items)
    method = SupplierShipping()
    charge = method.calculate(basket)
    return services.order_place_pending(
        user=user,
        basket=basket,
        shipping_address=shipping_address(),
        shipping_method=method,
        shipping_charge=charge,
        order_total=OrderTotalCalculator().calculate(basket, charge),
    )
