"""The Stripe webhook endpoint and the dashboard's refund action (thin: services do the work)."""

import logging

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from . import services, stripe_adapter
from .exceptions import PaymentError, WebhookSignatureError
from .forms import RefundForm

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Verify the signature on the raw body, store the event under its id (processing is
    enqueued in the same transaction) and answer 200; a duplicate is answered 200 too. A bad
    or missing signature is answered 400 with the reason and stores nothing."""
    try:
        event = stripe_adapter.webhook_event_construct(
            payload=request.body, signature=request.headers.get("Stripe-Signature")
        )
    except WebhookSignatureError as exc:
        logger.warning("Stripe webhook refused: %s", exc.reason)
        return HttpResponseBadRequest(exc.reason, content_type="text/plain")
    _, created = services.stripe_event_record(event=event)
    return HttpResponse("ok" if created else "duplicate", content_type="text/plain")


@method_decorator(staff_member_required, name="dispatch")
class OrderRefundCreateView(View):
    """The refund form on the dashboard's order page posts here."""

    def post(self, request, number: str):
        order = get_object_or_404(Order, number=number)
        back = redirect("dashboard:order-detail", number=order.number)
        form = RefundForm(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return back
        try:
            refund = services.refund_create(
                order=order,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                created_by=request.user,
            )
        except PaymentError as exc:
            messages.error(request, str(exc))
            return back
        messages.success(
            request,
            _("已提交退款 ¥%(amount)s，结果见下方退款记录。") % {"amount": refund.amount},
        )
        return back
