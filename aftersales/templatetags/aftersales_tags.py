from django import template

from ..models import AfterSalesCase
from ..selectors import order_lines_aftersales

register = template.Library()


@register.simple_tag
def order_aftersales(order) -> list:
    """The order's lines, each with where it stands for after-sales (shopper's order page)."""
    lines = list(order.lines.select_related("partner").order_by("pk"))
    states = order_lines_aftersales(order=order, lines=lines)
    return [states[line.pk] for line in lines]


@register.simple_tag
def supplier_order_cases(order, partner) -> list:
    """The cases of the supplier's own lines of ``order``, with their refunds."""
    return list(
        AfterSalesCase.objects.filter(order_id=order.pk, partner=partner)
        .select_related("line", "refund")
        .order_by("-created_at", "-pk")
    )
