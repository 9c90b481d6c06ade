"""Oscar's basket middleware and basket page, reading the basket once per request.

Oscar's middleware counts the basket's lines, then loads them (with their stock records,
products and images), and the strategy then reads the lines' suppliers and product classes
again; the basket page asks for the site's and the basket's offers a second time for its
upsell messages. Here the lines come in one query with everything the strategy and the
page read (``basket_lines``), the count is that query's length, and the offers found for
the middleware are kept on the request for the page. Nothing is cached across requests:
a price or stock change shows on the next request.
"""

from oscar.apps.basket.middleware import BasketMiddleware as OscarBasketMiddleware
from oscar.apps.basket.views import BasketView as OscarBasketView
from oscar.core.loading import get_class

Applicator = get_class("offer.applicator", "Applicator")


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
            offers = Applicator().get_offers(basket, request.user, request)
            Applicator().apply_offers(basket, offers)
            request.basket_offers = offers


class BasketView(OscarBasketView):
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
