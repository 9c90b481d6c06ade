from django import template

from core.localized import localized as localized_value

register = template.Library()


@register.filter
def localized(obj, name: str):
    """``{{ page|localized:"hero_title" }}``: the English text of a field for an English
    visitor, the Chinese one otherwise (``core.localized``)."""
    return localized_value(obj, name)
