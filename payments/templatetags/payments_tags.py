from django import template
from django.utils.translation import gettext as _

from core.localized import english_active
from orders import selectors as order_selectors
from orders.models import OrderStatus
from regions.divisions import region_names

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
    """省 市 区县 详细地址, the way a Chinese address is written; on English pages the street
    first and the division's English names after it (``regions.divisions.region_names``)."""
    if not address:
        return ""
    regions = address_regions(address)
    if english_active() and getattr(address, "region_code", ""):
        return ", ".join(part for part in [address.line1, address.line2, *regions] if part)
    return " ".join(part for part in [*regions, address.line2, address.line1] if part)


@register.filter
def address_regions(address) -> list[str]:
    """The address's province, city and county as shown to this visitor."""
    return region_names(
        code=getattr(address, "region_code", ""),
        province=address.state,
        city=address.line4,
        county=address.line3,
    )


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
