"""Percentages and trend colours of the bureau pages; amounts are printed by the ``amount``
filter (``{% load figures %}``, ``core.money.amount``)."""

from django import template

register = template.Library()


@register.filter
def pct(value):
    if value is None:
        return "—"
    sign = "+" if value > 0 else ""
    return f"{sign}{value}%"


@register.filter
def trend_class(value):
    if value is None:
        return "is-flat"
    return "is-up" if value > 0 else ("is-down" if value < 0 else "is-flat")
