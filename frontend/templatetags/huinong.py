"""Storefront template helpers. Each tag runs a fixed number of queries."""

from django import template
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.availability import StockRequired
from oscar.core.loading import get_class, get_model

from core.caching import CSRF_PLACEHOLDER, GRID_SECONDS, grid_cache_key
from points.models import Supermarket, Village
from procurement.models import BudgetUnitMember
from regions.models import BureauStaff
from search.engines.database import product_card_queryset
from suppliers.models import CertificationStatus

register = template.Library()

CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")
ProductRecommendation = get_model("catalogue", "ProductRecommendation")


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
    if partner is None or not partner.is_certified:
        return None
    return (
        partner.certifications.filter(
            status=CertificationStatus.CERTIFIED, valid_until__gte=timezone.localdate()
        )
        .order_by("-valid_until")
        .first()
    )


@register.simple_tag
def related_product_cards(product, limit=4):
    """Purchasable products for the detail page's "more to see" row.

    The product's own recommendations come first; with none, products of the same
    categories. Cards are fetched with ``product_card_queryset`` (no per-card queries).
    """
    ids = list(
        ProductRecommendation.objects.filter(primary=product)
        .order_by("-ranking", "pk")
        .values_list("recommendation_id", flat=True)[: limit * 2]
    )
    if ids:
        by_id = {p.pk: p for p in product_card_queryset().filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id][:limit]
    return list(
        product_card_queryset()
        .filter(categories__in=product.categories.values("pk"))
        .exclude(pk=product.pk)
        .distinct()
        .order_by("-priority", "-date_created", "-pk")[:limit]
    )


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
    ids = ids[:limit]
    if not ids:
        return []
    by_id = {p.pk: p for p in product_card_queryset().filter(pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


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
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"roles": {}}
    supplier_staff = get_model("partner", "Partner").users.through.objects
    roles = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            supplier=Exists(supplier_staff.filter(user_id=OuterRef("pk"))),
            unit=Exists(BudgetUnitMember.objects.filter(user_id=OuterRef("pk"))),
            bureau=Exists(BureauStaff.objects.filter(user_id=OuterRef("pk"))),
            clerk=Exists(Village.clerks.through.objects.filter(user_id=OuterRef("pk"))),
            manager=Exists(Supermarket.managers.through.objects.filter(user_id=OuterRef("pk"))),
        )
        .values("supplier", "unit", "bureau", "clerk", "manager")
        .first()
    )
    return {"roles": roles or {}}
