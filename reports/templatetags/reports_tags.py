from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from core.money import yuan

register = template.Library()

WAN = Decimal("10000")
YI = Decimal("100000000")


register.filter("yuan", yuan)


@register.filter
def wan(value):
    """An amount in 万元 with two decimals (604.01万元)."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    if abs(amount) >= YI:
        return _("%(n)s亿元") % {"n": f"{amount / YI:,.2f}"}
    return _("%(n)s万元") % {"n": f"{amount / WAN:,.2f}"}


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
