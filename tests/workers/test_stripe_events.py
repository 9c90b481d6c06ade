"""A signed Stripe webhook on the production path: the view stores the event and commits, the
message goes through a real broker (Redis, RabbitMQ) to a real worker, which marks the order
paid; the confirmation email and the sales facts follow as tasks of their own. Duplicated
messages and a worker killed in the middle of the task still give exactly one effect; a task
whose service stays down retries with backoff and ends visibly failed."""

import threading
import time
from decimal import Decimal

from django.db import connection, transaction
from oscar.core.loading import get_model

from orders.models import OrderStatus
from payments.models import StripeEvent, StripePayment
from payments.tasks import stripe_event_process_task
from reports.models import SalesFact
from tests.factories.accounts import UserFactory
from tests.factories.payments import (
    paid_amounts,
    payment_succeeded_event,
    place_pending_order,
)
from tests.support.localstripe import post_event
from tests.support.workers import wait_until

Order = get_model("order", "Order")
Source = get_model("payment", "Source")


def succeeded_event(order) -> dict:
    return payment_succeeded_event(order, tag="worker")


def effects(order, worker) -> dict:
    """Everything a payment leads to, as the database and the worker's mail show it."""
    order.refresh_from_db()
    return {
        "status": order.status,
        "paid": paid_amounts(order),
        "sources": Source.objects.filter(order=order).count(),
        "payments": StripePayment.objects.filter(order=order).count(),
        "emails": [[a.addr_spec for a in mail["To"].addresses] for mail in worker.mails()],
        "sales": list(SalesFact.objects.filter(order_id=order.pk).values_list("amount", flat=True)),
    }


PAID_ONCE = {
    "status": OrderStatus.PAID,
    "paid": [Decimal("119.80")],
    "sources": 1,
    "payments": 1,
    "emails": [["buyer@example.com"]],
    "sales": [Decimal("119.80")],
}


def all_done(order, worker):
    """True once the payment, its email and its sales facts are all there."""
    return (
        StripeEvent.objects.filter(processed_at__isnull=False).exists()
        and SalesFact.objects.filter(order_id=order.pk).exists()
        and worker.mails()
    )


def test_a_signed_webhook_is_stored_queued_and_processed_by_the_worker_exactly_once(
    client, catalogue, worker
):
    order = place_pending_order(UserFactory(email="buyer@example.com"), (catalogue["rice"], 2))

    response = post_event(client, succeeded_event(order))

    assert response.status_code == 200
    event = StripeEvent.objects.get()
    wait_until(lambda: all_done(order, worker), what="the order paid, mailed and counted")
    # The same event delivered again by Stripe (stored once: nothing enqueued) and the same
    # message twice more on the broker (a redelivery, a sweep racing the task).
    assert post_event(client, succeeded_event(order)).status_code == 200
    duplicates = [stripe_event_process_task.delay(event.pk) for _ in range(2)]
    for message in duplicates:
        wait_until(lambda m=message: f"[{m.id}] succeeded" in worker.log(), what="a duplicate")

    assert effects(order, worker) == PAID_ONCE
    event.refresh_from_db()
    assert (event.state, event.attempts, event.last_error) == ("已处理", 1, "")
    assert StripeEvent.objects.count() == 1


def _hold_order_lock(order, locked: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            Order.objects.select_for_update().get(pk=order.pk)
            locked.set()
            release.wait(timeout=60)
    finally:
        connection.close()


def _waiting_on_a_lock() -> int:
    """Database sessions of the test database waiting for a row lock (the worker's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def _other_sessions() -> int:
    """Database sessions of the test database, other than this one, inside a statement or a
    transaction (the killed worker's, until it ends)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state IN ('active', 'idle in transaction')"
        )
        return cursor.fetchone()[0]


def test_a_worker_killed_in_the_middle_of_the_task_leaves_one_effect_after_restart(
    client, catalogue, worker
):
    order = place_pending_order(UserFactory(email="buyer@example.com"), (catalogue["rice"], 2))
    locked, release = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_order_lock, args=(order, locked, release))
    holder.start()
    locked.wait(timeout=10)
    try:
        assert post_event(client, succeeded_event(order)).status_code == 200
        # The task has begun (its payment attempt is recorded) and waits for the order's
        # row lock: the worker dies there, with its message not yet acknowledged.
        wait_until(_waiting_on_a_lock, what="the task waits for the order's lock")
        worker.kill()
    finally:
        release.set()
        holder.join(timeout=10)

    # The killed worker's database session lives on until PostgreSQL notices: it was waiting
    # to commit the payment attempt (its order key check needs the order's lock), and
    # commits it once the lock is released. Read the effects after it has gone.
    wait_until(lambda: not _other_sessions(), what="the killed worker's session ends")
    # Only the payment attempt is there.
    assert effects(order, worker) == {
        "status": OrderStatus.PENDING,
        "paid": [],
        "sources": 0,
        "payments": 1,
        "emails": [],
        "sales": [],
    }
    assert StripeEvent.objects.get().processed_at is None

    # The broker gives the message back (RabbitMQ at once, Redis after its visibility
    # timeout) to the restarted worker, which finishes the work.
    worker.start()
    wait_until(lambda: all_done(order, worker), timeout=40, what="the order paid after restart")
    time.sleep(1)  # anything sent twice would be processed by now

    assert effects(order, worker) == PAID_ONCE
    assert "stripe_event_process_task" in worker.log_since_start()


def test_a_task_whose_service_stays_down_retries_with_backoff_then_fails_visibly(
    client, redis_worker
):
    # A refund of an intent we have not seen: the handler asks Stripe, which is down (the
    # test settings point at a closed port).
    event = {
        "id": "evt_worker_refund",
        "object": "event",
        "type": "charge.refunded",
        "data": {"object": {"id": "ch_1", "object": "charge", "payment_intent": "pi_unknown"}},
    }
    started = time.monotonic()

    assert post_event(client, event).status_code == 200

    stored = StripeEvent.objects.get()
    wait_until(
        lambda: "raised unexpected: PaymentProviderUnavailableError" in redis_worker.log(),
        what="the task gives up",
    )
    elapsed = time.monotonic() - started
    stored.refresh_from_db()
    log = redis_worker.log()
    # Three retries (TASK_RETRY_LIMIT) 1, 2 and 4 s apart (backoff 1 s doubled, cap 4 s),
    # then the task fails: four attempts recorded on the event, which the admin and the
    # sweep see as failed.
    retries = [line for line in log.splitlines() if "stripe_event_process_task" in line]
    assert [r.split("retry: ")[1].split(":")[0] for r in retries if "retry: " in r] == [
        "Retry in 1s",
        "Retry in 2s",
        "Retry in 4s",
    ]
    assert elapsed >= 7
    assert (stored.state, stored.attempts, stored.processed_at) == ("处理失败", 4, None)
    assert stored.last_error.startswith("PaymentProviderUnavailableError")
