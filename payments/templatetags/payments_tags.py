from django import template
from django.utils.translation import gettext as _

from orders import selectors as order_selectors
from orders.models import OrderStatus

from .. import selectors
from ..forms import RefundForm

register = template.Library()

_STATUS_CSS = {
    OrderStatus.PENDING: "pending",
    OrderStatus.PAID: "paid",
    OrderStatus.SHIPPED: "shipped",
    OrderStatus.COMPLETED: "completed",
    OrderStatus.CANCELLED: "cancelled",
    OrderStatus.REFUNDED: "refunded",
}


@register.filter
def cn_address(address) -> str:
    """省 市 区县 详细地址, the way a Chinese address is written."""
    if not address:
        return ""
    parts = [address.state, address.line4, address.line3, address.line2, address.line1]
    return " ".join(part for part in parts if part)


@register.filter
def order_status_css(status: str) -> str:
    return _STATUS_CSS.get(status, "other")


@register.filter
def order_status_label(status: str) -> str:
    return _(status) if status else ""


@register.simple_tag
def order_supplier_groups(order):
    return order_selectors.order_supplier_groups(order=order)


@register.simple_tag
def order_shipments(order):
    return order_selectors.order_shipments(order=order)


@register.simple_tag
def order_refunds(order):
    return selectors.order_refunds(order=order)


@register.simple_tag
def order_refund_panel(order) -> dict:
    """What the dashboard's refund panel shows: refunds so far and the form for a new one."""
    refundable = selectors.order_refundable_amount(order=order)
    return {
        "refunds": selectors.order_refunds(order=order),
        "refundable": refundable,
        "form": RefundForm(refundable=refundable) if refundable else None,
    }
