from django import template

from ..text import highlight

register = template.Library()


@register.filter
def search_highlight(title, query):
    """The title with the query's matches (Chinese or pinyin) wrapped in <mark>."""
    return highlight(str(title), query or "")


@register.simple_tag(takes_context=True)
def flag_toggle_query(context, flag):
    """The current query string with certification ``flag`` switched on or off, page reset."""
    params = context["request"].GET.copy()
    flags = params.getlist("flag")
    if flag in flags:
        flags.remove(flag)
    else:
        flags.append(flag)
    params.setlist("flag", flags)
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
