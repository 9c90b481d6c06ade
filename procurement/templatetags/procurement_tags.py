from decimal import Decimal

from django import template

from core.money import yuan
from orders.models import OrderStatus

from ..access import review_office_name
from ..selectors import user_is_unit_purchaser

register = template.Library()

TONES = {
    OrderStatus.PENDING_APPROVAL: "wait",
    OrderStatus.APPROVED: "go",
    OrderStatus.SHIPPED: "go",
    OrderStatus.ACCEPTED: "go",
    OrderStatus.INVOICED: "go",
    OrderStatus.TRANSFERRED: "go",
    OrderStatus.COMPLETED: "done",
    OrderStatus.REJECTED: "off",
    OrderStatus.CANCELLED: "off",
    OrderStatus.REFUNDED: "off",
    "submitted": "wait",
    "approved": "done",
    "returned": "off",
    "draft": "off",
}


@register.simple_tag(takes_context=True)
def unit_checkout_offered(context) -> bool:
    """Whether the basket page offers 以单位采购结算 (the user purchases for a unit)."""
    request = context.get("request")
    return request is not None and user_is_unit_purchaser(user=request.user)


@register.filter
def tone(status) -> str:
    return TONES.get(status, "go")


register.filter("yuan", yuan)


@register.filter
def pct(value) -> str:
    if value in (None, ""):
        return "—"
    return f"{Decimal(value) * 100:.1f}%"


@register.simple_tag
def review_office(region) -> str:
    """The name of the bureau that reviews units of ``region`` (see
    ``procurement.access.review_office_name``)."""
    return review_office_name(region=region)
