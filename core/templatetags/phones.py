from django import template
from django.utils.html import format_html

from core.phones import phone_display, phone_tel

register = template.Library()


@register.filter
def phone(value) -> str:
    """``{{ number|phone }}``: 138 1234 5678 or 0561-3012345."""
    return phone_display(value)


@register.filter
def phone_link(value) -> str:
    """``{{ number|phone_link }}``: the number as a ``tel:`` link, or as text when unknown."""
    shown = phone_display(value)
    digits = phone_tel(value)
    if not digits:
        return shown
    return format_html('<a href="tel:{}" class="hn-tel">{}</a>', digits, shown)
