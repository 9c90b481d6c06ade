"""Rows the order flow refers to by code (shipping event types, the paid-order email; China is
``regions.addresses.country_cn``).
The payments data migration creates them; these getters create any that went missing (e.g. a
flushed test database) rather than fail an order."""

from oscar.core.loading import get_model

SHIPPING_EVENT_SHIPPED = ("shipped", "已发货")
SHIPPING_EVENT_DELIVERED = ("delivered", "已签收")
COMMUNICATION_ORDER_PAID = ("ORDER_PAID", "订单支付成功")


def shipping_event_type(kind: tuple[str, str]):
    code, name = kind
    model = get_model("order", "ShippingEventType")
    return model.objects.get_or_create(code=code, defaults={"name": name})[0]


def communication_type_order_paid():
    code, name = COMMUNICATION_ORDER_PAID
    model = get_model("communication", "CommunicationEventType")
    return model.objects.get_or_create(
        code=code, defaults={"name": name, "category": model.ORDER_RELATED}
    )[0]
