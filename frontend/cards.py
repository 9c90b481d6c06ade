"""Product cards rendered once, shared by every page and user, under the catalogue version.

A product page that misses every page and fragment cache (most views of a large catalogue:
they spread over all its products) still shows up to eight cards of other products (相关推荐
and 最近浏览). Rendered from the database each costs a share of three queries and about
2 ms of template work; from here the row is one cache round trip. A card shows the same to
every visitor (prices are the same for all, the basket is not part of it), and its key
carries the catalogue version, language and day, like the product grids
(``core.caching.catalogue_key``): any change that moves the version retires every card.
The CSRF token of the card's add-to-basket form is a placeholder, filled per request.
"""

from django.core.cache import cache
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from oscar.core.loading import get_model

from catalog.selectors import product_category_ids
from core.caching import CSRF_PLACEHOLDER, GRID_SECONDS, catalogue_key
from search.cards import product_card_queryset

ProductRecommendation = get_model("catalogue", "ProductRecommendation")
Product = get_model("catalogue", "Product")

CARD_TEMPLATE = "oscar/catalogue/partials/product.html"


def product_cards_html(
    request, ids: list[int], *, csrf_token: str, also: list[int] = ()
) -> list[SafeString]:
    """The cards of the purchasable products among ``ids``, in that order: one cache round
    trip, plus three queries when some are not cached. A product that cannot be bought is
    cached as an empty card and left out. ``csrf_token`` goes into the cards' forms.
    The cards of ``also`` are read and cached with them when missing: a row the same
    request shows later (最近浏览) then costs no queries of its own."""
    if not ids and not also:
        return []
    keys = {pk: catalogue_key("card", pk) for pk in [*ids, *also]}
    found = cache.get_many(list(keys.values()))
    missing = [pk for pk in keys if keys[pk] not in found]
    if missing:
        template = get_template(CARD_TEMPLATE)
        fresh = {keys[pk]: "" for pk in missing}
        for product in product_card_queryset().filter(pk__in=missing):
            context = {"request": request, "product": product, "csrf_token": CSRF_PLACEHOLDER}
            fresh[keys[product.pk]] = template.render(context)
        cache.set_many(fresh, GRID_SECONDS)
        found.update(fresh)
    # The cards are the output of our own autoescaping template.
    return [
        mark_safe(found[keys[pk]].replace(CSRF_PLACEHOLDER, csrf_token))  # noqa: S308
        for pk in dict.fromkeys(ids)
        if found[keys[pk]]
    ]


def related_product_ids(*, product, limit: int = 4) -> list[int]:
    """Ids for a product page's "more to see" row: the product's own recommendations first;
    with none, the newest purchasable products of its categories but itself. Two queries
    (the first not for a product read knowing it has none), the second cached per set of
    categories under the catalogue version (the same few ids serve every product of a
    category)."""
    if getattr(product, "hn_has_recommendations", True):  # read with the page's product
        ids = list(
            ProductRecommendation.objects.filter(primary=product)
            .order_by("-ranking", "pk")
            .values_list("recommendation_id", flat=True)[: limit * 2]
        )
        if ids:
            return ids
    categories = sorted(product_category_ids(product))
    key = catalogue_key("related", ",".join(map(str, categories)), limit)
    newest = cache.get(key)
    if newest is None:
        newest = list(
            Product.objects.purchasable()
            .filter(categories__in=categories)
            .order_by("-priority", "-date_created", "-pk")
            .values_list("pk", flat=True)
            .distinct()[: limit + 1]
        )
        cache.set(key, newest, GRID_SECONDS)
    return [pk for pk in newest if pk != product.pk][:limit]
