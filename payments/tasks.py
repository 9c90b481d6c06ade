"""Celery tasks: each takes ids, calls one service and may safely run more than once.

Stripe being unreachable is the one transient error: on a worker Celery retries the task with
backoff (``core.tasks.RetryingTask``); run eagerly (demo, tests) it leaves the work to the
sweep, because the rows that describe the work (an unprocessed event, a pending refund) are
already committed. A task that gives up leaves its event unprocessed with its attempts and
last error (the admin lists it as failed) for the sweep.
"""

import datetime
import logging

from celery import shared_task
from django.utils import timezone

from core.tasks import RetryingTask
from orders import services as order_services

from . import services
from .exceptions import PaymentProviderUnavailableError
from .models import Refund, RefundStatus, StripeEvent

logger = logging.getLogger(__name__)


@shared_task(base=RetryingTask, autoretry_for=(PaymentProviderUnavailableError,))
def stripe_event_process_task(event_pk: int) -> None:
    event = StripeEvent.objects.filter(pk=event_pk).first()
    if event is not None:
        services.stripe_event_process(event=event)


@shared_task(base=RetryingTask, autoretry_for=(PaymentProviderUnavailableError,))
def refund_submit_task(refund_pk: int) -> None:
    refund = Refund.objects.filter(pk=refund_pk).first()
    if refund is not None:
        services.refund_submit(refund=refund)


@shared_task(acks_late=True)
def order_confirmation_email_task(order_id: int) -> None:
    from oscar.core.loading import get_model

    order = get_model("order", "Order").objects.filter(pk=order_id).first()
    if order is not None:
        order_services.order_confirmation_send(order=order)


@shared_task
def order_expire_pending_task() -> list[str]:
    return services.order_expire_pending()


@shared_task
def payments_outbox_sweep_task(min_age_seconds: int = 120) -> dict:
    """Redo what a lost or failed task left behind: events not yet processed, refunds not yet
    sent to Stripe and confirmation emails of the last two days not yet sent, older than
    ``min_age_seconds`` (younger ones are probably in flight)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=min_age_seconds)
    done = {"events": 0, "refunds": 0, "emails": 0}
    for event in StripeEvent.objects.filter(processed_at__isnull=True, received_at__lt=cutoff):
        try:
            done["events"] += services.stripe_event_process(event=event)
        except Exception:
            logger.exception("Stripe event %s still fails", event.event_id)
    pending = Refund.objects.filter(
        status=RefundStatus.PENDING, stripe_refund_id__isnull=True, created_at__lt=cutoff
    )
    for refund in pending:
        try:
            services.refund_submit(refund=refund)
            done["refunds"] += 1
        except PaymentProviderUnavailableError as exc:
            logger.warning("refund %s still cannot reach Stripe: %s", refund.pk, exc)
            break
    for order in order_services.orders_paid_without_confirmation(
        since=cutoff - datetime.timedelta(days=2), until=cutoff
    ):
        done["emails"] += order_services.order_confirmation_send(order=order)
    return done
