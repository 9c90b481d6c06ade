"""Storefront template helpers. Each tag runs a fixed number of queries."""

from django import template
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.availability import StockRequired
from oscar.core.loading import get_class

from catalog.selectors import category_trail, product_breadcrumb_category
from core.caching import (
    CSRF_PLACEHOLDER,
    GRID_SECONDS,
    USER_PARTS,
    catalogue_key,
    grid_cache_key,
    pages_version,
    user_part_placeholder,
    user_parts_hidden,
)
from frontend.blocks import link_is_safe
from frontend.cards import product_cards_html, related_product_ids
from frontend.chrome import basket_num_items
from frontend.selectors import user_portal_roles
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
    """The supplier's valid certification as the product page shows it (``certificate_no``,
    ``valid_until``), or None. Every product of a supplier shows the same, so it is kept
    per supplier under the catalogue version and the day: a decision that changes which
    certification is valid longest changes the supplier's ``certified_until``, and saving
    the supplier moves the version. One query when not kept, none for a supplier not
    marked certified."""
    if partner is None or not partner.is_certified:
        return None
    key = catalogue_key("certification", partner.pk)
    shown = cache.get(key)
    if shown is None:
        certification = certification_valid(partner=partner)
        shown = (
            {
                "certificate_no": certification.certificate_no,
                "valid_until": certification.valid_until,
            }
            if certification
            else {}
        )
        cache.set(key, shown, GRID_SECONDS)
    return shown or None


@register.simple_tag(takes_context=True)
def related_product_cards(context, product, limit=4):
    """The rendered cards of the detail page's "more to see" row (``frontend.cards``: the
    ids and the cards from the cache, three queries for the cards that are not)."""
    ids = related_product_ids(product=product, limit=limit)
    # The 最近浏览 row's cards come along: that row is filled later (a hole), from the cache.
    viewed = _history_ids(context.get("request"), current_product_id=product.pk, limit=limit)
    return _cards(context, ids, also=viewed)[:limit]


@register.simple_tag
def product_breadcrumbs(product) -> list[dict]:
    """The product page's breadcrumb trail below 全部商品 (``catalog.selectors``): the
    category's trail from the cache, no query for a product of the page's queryset."""
    return category_trail(product_breadcrumb_category(product))


@register.simple_tag(takes_context=True)
def recently_viewed_cards(context, current_product_id=None, limit=4):
    """The rendered cards of the products in the browsing-history cookie, newest first,
    but the one shown (``frontend.cards``; nothing read without a cookie)."""
    ids = _history_ids(context.get("request"), current_product_id=current_product_id, limit=limit)
    return _cards(context, ids)


def _history_ids(request, *, current_product_id, limit) -> list[int]:
    """The products of the browsing-history cookie, newest first, but the one shown."""
    if request is None or CustomerHistoryManager.cookie_name not in request.COOKIES:
        return []
    ids = [i for i in CustomerHistoryManager.extract(request) if isinstance(i, int)]
    ids.reverse()
    if current_product_id is not None:
        ids = [i for i in ids if i != current_product_id]
    return ids[:limit]


def _cards(context, ids: list[int], also: list[int] = ()) -> list:
    # Inside a fragment for the cache the token is the placeholder, filled per request.
    return product_cards_html(
        context.get("request"), ids, csrf_token=str(context.get("csrf_token", "")), also=also
    )


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


FRAGMENT_RENDER = "_hn_fragment_render"
HOLE_PLACEHOLDER = "<!--hn-hole:{}-->"


class HoleNode(template.Node):
    """A per-request part of a ``cached_fragment``: a placeholder in the cached copy,
    rendered for each request with the template's context outside the fragment."""

    index = 0

    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        if context.get(FRAGMENT_RENDER):
            return HOLE_PLACEHOLDER.format(self.index)
        return self.nodelist.render(context)


@register.tag
def hole(parser, token):
    """``{% hole %}…{% endhole %}`` inside ``cached_fragment``: see ``CachedFragmentNode``."""
    nodelist = parser.parse(("endhole",))
    parser.delete_first_token()
    return HoleNode(nodelist)


class CachedFragmentNode(template.Node):
    """A part of a page rendered once for every visitor of the same address, under the
    catalogue and CMS pages versions (``core.caching.grid_cache_key``), in two variants:
    for visitors and for signed-in users, or one for both when the fragment is marked
    ``shared`` (nothing outside its holes asks who the user is). Whatever differs per
    user goes in a ``{% hole %}``, rendered per request with the context outside the
    fragment (so a hole may use the view's context, ``user``, ``request`` and the
    variables set before the fragment, not those set by a ``with`` inside it). The CSRF
    token is put in per request too."""

    child_nodelists = ("nodelist",)

    def __init__(self, name: str, nodelist, *, shared: bool = False):
        self.name = name
        self.nodelist = nodelist
        self.shared = shared
        self.holes = nodelist.get_nodes_by_type(HoleNode)
        for index, node in enumerate(self.holes):
            node.index = index

    def render(self, context):
        request = context.get("request")
        if request is None:
            return self.nodelist.render(context)
        user = getattr(request, "user", None)
        if self.shared:
            variant = "all"
        else:
            variant = "user" if user is not None and user.is_authenticated else "visitor"
        key = grid_cache_key(name=f"{self.name}:{variant}", path=request.path)
        key = f"{key}:{pages_version()}"
        html = cache.get(key)
        if html is None:
            with context.push({FRAGMENT_RENDER: True, "csrf_token": CSRF_PLACEHOLDER}):
                html = self.nodelist.render(context)
            cache.set(key, html, GRID_SECONDS)
        for node in self.holes:
            placeholder = HOLE_PLACEHOLDER.format(node.index)
            if placeholder in html:
                html = html.replace(placeholder, node.nodelist.render(context))
        return html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token", "")))


@register.tag
def cached_fragment(parser, token):
    """``{% cached_fragment "name" [shared] %}…{% endcached_fragment %}``: see
    ``CachedFragmentNode``."""
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and bits[2] != "shared"):
        raise template.TemplateSyntaxError('cached_fragment takes one quoted name and "shared"')
    nodelist = parser.parse(("endcached_fragment",))
    parser.delete_first_token()
    return CachedFragmentNode(bits[1].strip("\"'"), nodelist, shared=len(bits) == 3)


@register.simple_tag(takes_context=True)
def user_part(context, name: str) -> str:
    """``{% user_part "template" %}``: include the template, or, in the signed-in copy of a
    page for the page cache, a placeholder for it that ``core.caching.anonymous_page``
    fills with the template rendered for each request's user."""
    request = context.get("request")
    if request is not None and user_parts_hidden(request):
        if name not in USER_PARTS:
            raise template.TemplateSyntaxError(f"{name} is not in core.caching.USER_PARTS")
        return user_part_placeholder(name)
    return mark_safe(context.template.engine.get_template(name).render(context))  # noqa: S308


@register.inclusion_tag("frontend/partials/role_links.html", takes_context=True)
def role_links(context):
    """The header links to each portal the signed-in user has a role in: supplier staff
    (供应商中心), budget-unit members (单位采购), bureau staff (认定审核, 份额监管, 统计报表),
    village clerks (记分) and points-supermarket managers (积分兑换).
    From the user's cached chrome (``frontend.chrome``); none for a visitor."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"roles": {}}
    chrome = context.get("user_chrome")
    return {"roles": chrome["roles"] if chrome else user_portal_roles(user=user)}


@register.simple_tag(takes_context=True)
def basket_count(context) -> int:
    """The header's basket count (``frontend.chrome.basket_num_items``): no query on a
    warm cache for a signed-in user, none for a visitor without a basket."""
    request = context.get("request")
    return 0 if request is None else basket_num_items(request)


@register.filter
def safe_link(url) -> str:
    """``url`` when it is a path of this site or an absolute http(s) URL (``link_is_safe``),
    ``#`` otherwise: a link stored before the check never reaches a page."""
    url = (url or "").strip()
    return url if link_is_safe(url) else "#"
