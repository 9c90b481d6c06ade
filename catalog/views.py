"""The product page: Oscar's, served whole from the page cache to stateless visitors and,
in a copy of its own, to signed-in shoppers.

A visitor without a session, basket or messages cookie gets the page rendered once per
address (``core.caching.anonymous_page``: a wrong slug's redirect, a 404 or a page
rendered for staff is never kept). Two things differ between such visitors and are put in
after the cache: the CSRF token, and the "recently viewed" row, which is read from the
visitor's own ``oscar_history`` cookie. Signed-in shoppers (not staff, no messages waiting)
share one more copy, in which their header parts (``core.caching.USER_PARTS``) and their
own parts of the product page (``USER_PRODUCT_PARTS``: review link, exact stock count,
stock alert) are placeholders filled for each request (``UserProductParts``). What Oscar's
``product_viewed`` receivers do per view is done after the cache, hit or miss: the history
cookie is updated, and the view is counted (and, signed in, queued as a
``UserProductView``) in the cache (``catalog.services``).
"""

from django.http import Http404
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.utils.functional import SimpleLazyObject
from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView
from oscar.core.loading import get_class, get_model

from core.caching import CSRF_PLACEHOLDER, anonymous_page, user_parts_hidden

from .selectors import product_page_read, product_stock_read
from .services import product_view_record, user_product_view_record

CustomerHistoryManager = get_class("customer.history", "CustomerHistoryManager")
ProductAlertForm = get_class("customer.forms", "ProductAlertForm")
Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")

RECENTLY_VIEWED_PLACEHOLDER = "__HN_RECENTLY_VIEWED__"
RECENTLY_VIEWED_TEMPLATE = "frontend/partials/recently_viewed.html"
# The body's parts that differ between signed-in users (placeholders in their shared copy):
# the review link (none once they reviewed), the exact stock count, the stock alert form.
USER_PRODUCT_PARTS = {
    "review": ("__HN_PRODUCT_REVIEW__", "oscar/catalogue/reviews/partials/review_stars.html"),
    "stock": ("__HN_PRODUCT_STOCK__", "frontend/partials/product_stock_message.html"),
    "alert": ("__HN_PRODUCT_ALERT__", "frontend/partials/product_stock_alert.html"),
}


def recently_viewed_html(request, *, product_id: int) -> str:
    """The "recently viewed" row of this visitor's history cookie, without the product
    shown: no query without a cookie, a fixed number with one. Rendered without the
    context processors, which the row does not use."""
    if CustomerHistoryManager.cookie_name not in request.COOKIES:
        return ""
    return get_template(RECENTLY_VIEWED_TEMPLATE).render(
        {"request": request, "csrf_token": get_token(request), "current_product_id": product_id}
    )


def product_viewed_from_cache(request, response, *, product_id: int) -> None:
    """What Oscar's ``product_viewed`` receivers do, for a page from the cache or rendered
    (``ProductDetailView.send_signal``): remember
    the product in the history cookie, count the view (and queue a signed-in user's
    ``UserProductView``)."""
    # An unsaved instance: the history manager only reads its id.
    CustomerHistoryManager.update(Product(pk=product_id), request, response)
    if request.user.is_authenticated:
        user_product_view_record(user_id=request.user.pk, product_id=product_id)
    else:
        product_view_record(product_id=product_id)


class UserProductParts:
    """The signed-in user's own parts of a product page from the shared signed-in copy
    (``USER_PRODUCT_PARTS``), each rendered for this request's user. The product is read
    only when a part is asked for, once (one query, which also says whether the user
    reviewed it; none when the view has just read it, with the same answer, to render the
    copy), and the alert part (a product that cannot be bought) asks one more: whether the
    user awaits its stock."""

    def __init__(self, request, *, product_id: int):
        self.request = request
        self.product_id = product_id
        self.product = None  # the view's, when it rendered the page
        self._context = None

    def context(self) -> dict:
        if self._context is None:
            request = self.request
            # Deleted since the copy was read: its catalogue version moved, so a 404 now.
            product = self.product or product_stock_read(self.product_id, reviewer=request.user)
            if product is None:
                raise Http404
            self._context = {
                "request": request,
                "user": request.user,
                "product": product,
                "session": request.strategy.fetch_for_product(product),
                "csrf_token": get_token(request),
            }
        return self._context

    def render(self, name: str) -> str:
        context = self.context()
        if name == "alert":
            context = {
                **context,
                "alert_form": ProductAlertForm(user=self.request.user, product=context["product"]),
                "has_active_alert": ProductAlert.objects.filter(
                    product_id=self.product_id,
                    user=self.request.user,
                    status=ProductAlert.ACTIVE,
                ).exists(),
            }
        return get_template(USER_PRODUCT_PARTS[name][1]).render(context)

    def holes(self) -> dict:
        return {
            placeholder: lambda request, name=name: self.render(name)
            for name, (placeholder, _) in USER_PRODUCT_PARTS.items()
        }


class ProductDetailView(OscarProductDetailView):
    def get_object(self, queryset=None):
        """The product with what every view of its page reads, also when the body comes
        from the cache, and whether a signed-in user reviewed it (the review link), in one
        query (``catalog.selectors.product_page_read``)."""
        if hasattr(self, "object"):
            return self.object
        user = self.request.user
        product = product_page_read(
            int(self.kwargs["pk"]), reviewer=user if user.is_authenticated else None
        )
        if product is None:
            raise Http404
        return product

    def get(self, request, *args, **kwargs):
        product_id = int(kwargs["pk"])

        def render():
            return super(ProductDetailView, self).get(request, *args, **kwargs)

        holes = {
            RECENTLY_VIEWED_PLACEHOLDER: lambda r: recently_viewed_html(r, product_id=product_id)
        }
        self.user_product_parts = None
        if request.user.is_authenticated:
            self.user_product_parts = UserProductParts(request, product_id=product_id)
            holes.update(self.user_product_parts.holes())
        return anonymous_page(
            request,
            render,
            holes=holes,
            served=lambda response: product_viewed_from_cache(
                request, response, product_id=product_id
            ),
            signed_in=True,
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if getattr(self.request, "csrf_placeholder", False):
            ctx["csrf_token"] = CSRF_PLACEHOLDER  # the real token goes in after the cache
            ctx["recently_viewed_placeholder"] = RECENTLY_VIEWED_PLACEHOLDER
            if user_parts_hidden(self.request):  # the signed-in copy
                self.user_product_parts.product = self.object
                ctx["user_product_parts"] = {
                    name: placeholder for name, (placeholder, _) in USER_PRODUCT_PARTS.items()
                }
        return ctx

    def get_template_names(self):
        """Oscar's per-class and default templates, without its per-product one
        (``detail-for-upc-<upc>.html``): no product has one, and looking for it costs a
        fresh product page a failed open in each of the 32 template folders, and the cached
        loader an entry per product that never leaves it."""
        return [name for name in super().get_template_names() if "/detail-for-upc-" not in name]

    def get_alert_status(self):
        # Read only when the page shows the alert form (a product that cannot be bought).
        return SimpleLazyObject(super().get_alert_status)

    def send_signal(self, request, response, product):
        """What Oscar's ``product_viewed`` receivers do, without a write on the request's
        path: the history cookie, and the view counted (and, signed in, queued as a
        ``UserProductView``) in the cache for ``product_views_flush_task``."""
        if getattr(request, "csrf_placeholder", False):
            return  # a page for the cache: the view is recorded after it (``served``)
        product_viewed_from_cache(request, response, product_id=product.pk)
