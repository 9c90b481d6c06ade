"""Template helpers of the CMS pages."""

from django import template

from frontend.selectors import page_search

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key``: a dictionary lookup with a variable key."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def page_results(query, limit=5):
    """Published CMS pages matching the shop search's query (see ``page_search``)."""
    text = (query or "").strip()
    if not text:
        return []
    return page_search(text=text, limit=limit)
