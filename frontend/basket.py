"""Oscar's basket middleware and basket page, reading the basket once per request.

Oscar's middleware counts the basket's lines, then loads them (with their stock records,
products and images), and the strategy then reads the lines' suppliers and product classes
again; the basket page asks for the site's and the basket's offers a second time for its
upsell messages. Here the lines come in one query with everything the strategy and the
page read (``basket_lines``), the count is that query's length, the site offers are not
asked for while none is open (``frontend.basket_cache.site_offers_open``), and the offers
found for the middleware are kept on the request for the page.

The signed-in basket page itself is served from the cache while nothing it shows has
changed (``frontend.basket_cache``): a price, stock, offer or basket change retires it.
"""

from django.db.models import prefetch_related_objects
from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.apps.basket.views import BasketView as OscarBasketView
from oscar.core.loading import get_class

from core.caching import CSRF_PLACEHOLDER

from .basket_cache import basket_page, site_offers_open

OscarApplicator = get_class("offer.applicator", "Applicator")


class Applicator(OscarApplicator):
    """Oscar's applicator without the site offer query while no site offer is open."""

    def get_site_offers(self):
        if not site_offers_open():
            return []
        return super().get_site_offers()


def basket_lines(basket):
    """The basket's lines, as ``Basket.all_lines`` gives them, with the stock records'
    suppliers and the products' (and parents') classes joined in: one query, then one each
    for the line options and the product images."""
    return (
        basket.lines.select_related(
            "product__product_class",
            "product__parent__product_class",
            "stockrecord__partner",
        )
        .prefetch_related("attributes", "product__images")
        .order_by("pk")
    )


class BasketMiddleware(OscarBasketMiddleware):
    def apply_offers_to_basket(self, request, basket):
        if basket.id is None:
            return
        basket._lines = basket_lines(basket)
        if len(basket._lines):  # evaluated once; ``num_lines`` then counts the result
            # Read by the applicator, and by the basket page to know whether it may cache.
            prefetch_related_objects([basket], "vouchers")
            offers = Applicator().get_offers(basket, request.user, request)
            Applicator().apply_offers(basket, offers)
            request.basket_offers = offers


class BasketView(OscarBasketView):
    def get(self, request, *args, **kwargs):
        def render():
            response = super(BasketView, self).get(request, *args, **kwargs)
            if hasattr(response, "context_data"):
                # What the basket middleware adds to a template response, which a page
                # rendered here for the cache would miss.
                response.context_data.setdefault("basket", request.basket)
            return response

        return basket_page(request, render, cacheable_render=self._depends_on_counters_only)

    def _depends_on_counters_only(self, response) -> bool:
        """Whether the page just rendered may be cached: no voucher in the basket and no
        offer open (a voucher or an offer starts and ends with the clock)."""
        if getattr(self.request, "basket_offers", None) or site_offers_open():
            return False
        basket = self.request.basket
        return not (basket.id and basket.num_lines and basket.vouchers.all())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(self.request, "csrf_placeholder", False):
            context["csrf_token"] = CSRF_PLACEHOLDER  # the real token goes in after the cache
        return context

    def get_default_shipping_address(self):
        """None: the shop's one shipping method (``orders.shipping.methods.SupplierShipping``)
        charges per supplier whatever the address, and Oscar's view read it for nothing."""
        return None

    def get_upsell_messages(self, basket):
        offers = getattr(self.request, "basket_offers", None)
        if offers is None:
            return super().get_upsell_messages(basket)
        applied = list(basket.offer_applications.offers.values())
        return [
            {"message": offer.get_upsell_message(basket), "offer": offer}
            for offer in offers
            if offer.is_condition_partially_satisfied(basket) and offer not in applied
        ]
