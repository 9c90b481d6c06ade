"""Checkout views: Oscar's steps, then the order is placed (待付款) and paid on its own page.

Shipping address -> (the one shipping method, chosen automatically) -> preview grouped by
supplier -> "提交订单并支付" places the order with its stock allocated (one transaction, no
network) -> the payment page, where the browser turns the card into a PaymentMethod with
Stripe.js and our server creates and confirms the PaymentIntent.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View, generic
from oscar.apps.checkout import views as oscar_views
from oscar.core.loading import get_model

from orders import services as order_services
from orders.exceptions import BasketAlreadySubmittedError, InsufficientStockError
from orders.models import OrderStatus
from orders.selectors import basket_placed_order, order_supplier_groups
from orders.shipping.methods import supplier_quotes

from .. import services
from ..exceptions import (
    OrderNotPayableError,
    OrderPaymentInProgressError,
    PaymentDeclinedError,
    PaymentError,
    PaymentProviderUnavailableError,
    decline_message,
)
from ..models import PaymentStatus, StripePayment

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")


class PaymentMethodView(oscar_views.PaymentMethodView):
    """Card is the only payment method: straight on to the preview."""

    success_url = reverse_lazy("checkout:preview")


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    """The preview (lines grouped by supplier) and the order placement.

    The card is not asked for here: the order is placed first (待付款, stock allocated) and
    paid on the payment page, so no network call happens while the order is written.
    """

    def dispatch(self, request, *args, **kwargs):
        # A repeated "提交订单并支付" (a double click, a retry) that arrives after the first
        # one went through: the basket it posted is no longer the open one, and the checkout
        # session is spent. Show the order that basket became rather than the empty basket.
        if request.method == "POST" and request.POST.get("action") == "place_order":
            order = self.order_of_posted_basket(request)
            if order is not None:
                return order_placed_already(request, order)
        return super().dispatch(request, *args, **kwargs)

    def order_of_posted_basket(self, request):
        posted = request.POST.get("basket_id", "")
        return basket_placed_order(
            basket_id=int(posted) if posted.isdigit() else None, user=request.user
        )

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:preview")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["supplier_quotes"] = supplier_quotes(self.request.basket)
        ctx["payment_ttl_minutes"] = settings.PAYMENTS_PENDING_ORDER_TTL_MINUTES
        return ctx

    def submit(
        self,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        billing_address,
        order_total,
        payment_kwargs=None,
        order_kwargs=None,
        surcharges=None,
    ):
        try:
            order = order_services.order_place_pending(
                user=user,
                basket=basket,
                shipping_address=shipping_address,
                shipping_method=shipping_method,
                shipping_charge=shipping_charge,
                order_total=order_total,
                surcharges=surcharges,
                request=self.request,
            )
        except InsufficientStockError as exc:
            messages.error(self.request, str(exc))
            return redirect("basket:summary")
        except BasketAlreadySubmittedError as exc:
            # A concurrent submission of this basket placed it first: show that order.
            self.checkout_session.flush()
            if exc.order is not None and exc.order.user_id == user.pk:
                return order_placed_already(self.request, exc.order)
            messages.info(self.request, str(exc))
            return redirect("basket:summary")
        self.checkout_session.flush()
        return redirect("checkout:pay", order_number=order.number)


# ---------------------------------------------------------------------------
# Payment page
# ---------------------------------------------------------------------------
class OrderOwnerMixin:
    """The URL's order, if it is the signed-in customer's; anyone else gets a 404."""

    def get_order(self):
        return get_object_or_404(
            Order, number=self.kwargs["order_number"], user_id=self.request.user.pk
        )


def _order_page(order) -> str:
    return reverse("customer:order", kwargs={"order_number": order.number})


def order_placed_already(request, order):
    """The calm answer to a second submission of a basket: the order it became (its
    payment page while it waits for payment), with a message that nothing was ordered twice."""
    messages.info(request, str(BasketAlreadySubmittedError(order=order)))
    if order.status == OrderStatus.PENDING:
        return redirect("checkout:pay", order_number=order.number)
    return redirect(_order_page(order))


def stripe_csp_sources() -> dict[str, list[str]]:
    """What the payment page adds to the site's Content-Security-Policy: Stripe.js from
    settings.STRIPE_JS_URL's origin, which also frames the card fields and is called by them
    (localstripe's stand-in calls its own origin), and Stripe's API and 3-D Secure frames."""
    parts = urlsplit(settings.STRIPE_JS_URL)
    js_origin = f"{parts.scheme}://{parts.netloc}"
    if settings.STRIPE_API_BASE:
        api = urlsplit(settings.STRIPE_API_BASE)
        api_origins = [f"{api.scheme}://{api.netloc}"]
    else:
        api_origins = ["https://api.stripe.com"]
    script_origins = [js_origin]
    frame_origins = [js_origin]
    if js_origin == "https://js.stripe.com":
        # Stripe's own list for Stripe.js (its CSP guide).
        script_origins.append("https://*.js.stripe.com")
        frame_origins += ["https://*.js.stripe.com", "https://hooks.stripe.com"]
    return {
        "script-src": script_origins,
        "frame-src": frame_origins,
        "connect-src": list(dict.fromkeys([js_origin, *api_origins])),
    }


class PayView(OrderOwnerMixin, generic.TemplateView):
    template_name = "oscar/checkout/pay.html"

    def get(self, request, *args, **kwargs):
        self.order = self.get_order()
        if self.order.status != OrderStatus.PENDING:
            if self.order.status == OrderStatus.CANCELLED:
                messages.info(request, _("该订单已取消。"))
            return redirect(_order_page(self.order))
        response = super().get(request, *args, **kwargs)
        # django-csp's csp_update, computed per request: tests point Stripe at localstripe.
        response._csp_update = stripe_csp_sources()
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        last = self.order.stripe_payments.order_by("-created_at").first()
        ctx.update(
            order=self.order,
            supplier_groups=order_supplier_groups(order=self.order),
            stripe_js_url=settings.STRIPE_JS_URL,
            stripe_publishable_key=settings.STRIPE_PUBLISHABLE_KEY,
            show_test_cards=settings.STRIPE_PUBLISHABLE_KEY.startswith("pk_test"),
            last_error=(
                decline_message(last.last_error)
                if last is not None and last.status == PaymentStatus.FAILED
                else ""
            ),
        )
        return ctx


def payment_response(request, order, payment: StripePayment) -> JsonResponse:
    """What the payment page's script does next, from where the attempt stands."""
    if payment.status == PaymentStatus.SUCCEEDED:
        request.session["checkout_order_id"] = order.pk
        return JsonResponse({"status": "succeeded", "redirect": reverse("checkout:thank-you")})
    if payment.status == PaymentStatus.REQUIRES_ACTION:
        return JsonResponse(
            {
                "status": "requires_action",
                "client_secret": payment.client_secret,
                "payment": payment.pk,
            }
        )
    if payment.status == PaymentStatus.PROCESSING:
        return JsonResponse(
            {
                "status": "processing",
                "message": _("银行正在处理您的付款，结果会显示在订单页面。"),
                "redirect": _order_page(order),
            }
        )
    return JsonResponse(
        {"status": "failed", "message": decline_message(payment.last_error)}, status=402
    )


def error_response(exc: PaymentError) -> JsonResponse:
    if isinstance(exc, PaymentDeclinedError):
        status = 402
    elif isinstance(exc, PaymentProviderUnavailableError):
        status = 503
    elif isinstance(exc, OrderNotPayableError):
        status = 409
    else:
        status = 400
    return JsonResponse({"status": "failed", "message": str(exc)}, status=status)


class PayCardView(OrderOwnerMixin, View):
    """POST ``payment_method`` (from Stripe.js): create and confirm the PaymentIntent."""

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        try:
            payment = services.payment_attempt_create(
                order=order, payment_method_id=request.POST.get("payment_method", "")
            )
        except PaymentProviderUnavailableError as exc:
            logger.warning("order %s: Stripe unreachable, order withdrawn: %r", order.number, exc)
            return self.withdraw(request, order, exc)
        except PaymentError as exc:
            logger.info("order %s: card payment not taken: %r", order.number, exc)
            return error_response(exc)
        return payment_response(request, order, payment)

    def withdraw(self, request, order, exc) -> JsonResponse:
        """Stripe cannot be reached: take the order back at once (stock released, basket
        given back) so that nothing waits on a payment the customer cannot make now. The
        record stays, cancelled: if Stripe did take money in the failed call, its webhook
        finds the order cancelled and refunds in full."""
        try:
            order = services.order_cancel(order=order, reason=_("支付服务不可用，订单已撤回"))
        except (PaymentProviderUnavailableError, OrderPaymentInProgressError):
            # An earlier attempt of this order may still be live at Stripe: keep the order.
            return error_response(exc)
        if order.status != OrderStatus.CANCELLED:
            return payment_response(request, order, order.stripe_payments.latest("created_at"))
        message = _("支付服务暂时不可用，订单未提交，商品已放回购物车，请稍后再试。")
        messages.error(request, message)
        return JsonResponse(
            {"status": "failed", "message": message, "redirect": reverse("basket:summary")},
            status=503,
        )


class PayConfirmView(OrderOwnerMixin, View):
    """POST ``payment`` after 3-D Secure in the browser: ask Stripe where it stands."""

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        payment_pk = request.POST.get("payment", "")
        payment = get_object_or_404(
            StripePayment, pk=int(payment_pk) if payment_pk.isdigit() else 0, order_id=order.pk
        )
        try:
            payment = services.payment_attempt_sync(payment=payment)
        except PaymentError as exc:
            return error_response(exc)
        return payment_response(request, order, payment)


class PayCancelView(OrderOwnerMixin, View):
    """ "返回购物车修改": cancel the unpaid order, release its stock, give the basket back."""

    def post(self, request, *args, **kwargs):
        order = self.get_order()
        try:
            order = services.order_cancel(order=order, reason=_("顾客返回购物车修改"))
        except (PaymentProviderUnavailableError, OrderPaymentInProgressError) as exc:
            messages.error(request, str(exc))
            return redirect("checkout:pay", order_number=order.number)
        if order.status != OrderStatus.CANCELLED:
            messages.info(
                request, _("订单 %(number)s 已支付，无法取消。") % {"number": order.number}
            )
            return redirect(_order_page(order))
        messages.success(
            request, _("订单 %(number)s 已取消，商品已放回购物车。") % {"number": order.number}
        )
        return redirect("basket:summary")
