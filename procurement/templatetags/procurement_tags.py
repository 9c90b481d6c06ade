from decimal import Decimal

from django import template

from core.money import yuan
from orders.models import OrderStatus

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


@register.filter
def tone(status) -> str:
    return TONES.get(status, "go")


register.filter("yuan", yuan)


@register.filter
def pct(value) -> str:
    if value in (None, ""):
        return "—"
    return f"{Decimal(value) * 100:.1f}%"
