"""Storefront template helpers. Each tag runs a fixed number of queries."""

from django import template
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.availability import StockRequired
from oscar.core.loading import get_class

from core.caching import CSRF_PLACEHOLDER, GRID_SECONDS, grid_cache_key
from frontend.blocks import link_is_safe
from frontend.selectors import product_cards_by_ids, product_cards_related, user_portal_roles
from suppliers.selectors import certification_valid

register = template.Library()

CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")


@register.simple_tag
def page_window(page_obj, on_each_side=2, on_ends=1):
    """Page numbers around the current page, with ``…`` gaps (Paginator.ELLIPSIS)."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


@register.simple_tag
def current_certification(partner):
    """The supplier's valid certification (number and end date), or None: one query."""
    return certification_valid(partner=partner)


@register.simple_tag
def related_product_cards(product, limit=4):
    """Purchasable products for the detail page's "more to see" row (no per-card queries)."""
    return product_cards_related(product=product, limit=limit)


@register.simple_tag(takes_context=True)
def recently_viewed_cards(context, current_product_id=None, limit=4):
    """Products from the browsing-history cookie, newest first, but the one shown, read in
    fixed queries (none without a cookie)."""
    request = context.get("request")
    if request is None:
        return []
    ids = [i for i in CustomerHistoryManager.extract(request) if isinstance(i, int)]
    ids.reverse()
    if current_product_id is not None:
        ids = [i for i in ids if i != current_product_id]
    return product_cards_by_ids(ids[:limit])


@register.filter
def stock_state(availability):
    """What the product page tells visitors who are not signed in about stock: buyable,
    short of the minimum order, or why not (sold out, not listed...), never the exact count.
    Their page is cached under the catalogue version, which moves when one of these changes
    (``StockRecord.shown_changed``), not with every unit sold."""
    if availability.is_available_to_buy:
        return _("有货")
    if availability.code == StockRequired.CODE_IN_STOCK:
        return _("库存不足起订量")
    if availability.code == StockRequired.CODE_OUT_OF_STOCK:
        return _("售罄")
    return availability.message


@register.filter
def minutes(delta):
    """A timedelta as whole minutes (rounded up), e.g. for the lockout cool-off."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    return max(1, -(-seconds // 60))


class CachedGridNode(template.Node):
    def __init__(self, name: str, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        key = grid_cache_key(name=self.name, path=request.get_full_path())
        html = cache.get(key)
        if html is None:
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                html = self.nodelist.render(context)
            cache.set(key, html, GRID_SECONDS)
        return html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token", "")))


@register.tag
def cached_grid(parser, token):
    """``{% cached_grid "name" %}…{% endcached_grid %}``: see ``core.caching``."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("cached_grid takes one quoted name")
    nodelist = parser.parse(("endcached_grid",))
    parser.delete_first_token()
    return CachedGridNode(bits[1].strip("\"'"), nodelist)


@register.inclusion_tag("frontend/partials/role_links.html", takes_context=True)
def role_links(context):
    """The header links to each portal the signed-in user has a role in: supplier staff
    (供应商中心), budget-unit members (单位采购), bureau staff (认定审核, 份额监管, 统计报表),
    village clerks (记分) and points-supermarket managers (积分兑换).
    One query for a signed-in user, none for a visitor."""
    return {"roles": user_portal_roles(user=context.get("user"))}


@register.filter
def safe_link(url) -> str:
    """``url`` when it is a path of this site or an absolute http(s) URL (``link_is_safe``),
    ``#`` otherwise: a link stored before the check never reaches a page."""
    url = (url or "").strip()
    return url if link_is_safe(url) else "#"
