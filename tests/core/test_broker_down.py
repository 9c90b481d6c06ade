"""With the broker unreachable at commit nothing is lost (issue #14): the webhook answers,
the work stays recorded in the database (an unprocessed event, outbox rows, an order paid
without its email), and once the broker is back `manage.py outbox_sweep` does it, once."""

import logging
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from orders.models import OrderStatus
from payments.models import StripeEvent
from reports.models import SalesFact, SalesOutbox
from search.models import ProductDocument, SearchOutbox
from search.services import search_products_changed
from tests.factories.accounts import UserFactory
from tests.factories.payments import (
    paid_amounts,
    payment_succeeded_event,
    place_pending_order,
)
from tests.support.celery import celery_broker
from tests.support.localstripe import post_event
from tests.support.redis import closed_port  # noqa: F401

pytestmark = pytest.mark.django_db


def effects(order) -> dict:
    order.refresh_from_db()
    return {
        "status": order.status,
        "paid": paid_amounts(order),
        "emails": [m.to for m in mail.outbox],
        "sales": sorted(
            SalesFact.objects.filter(order_id=order.pk).values_list("amount", flat=True)
        ),
    }


def test_work_committed_while_the_broker_is_down_is_done_once_by_the_sweep(
    client,
    catalogue,
    closed_port,  # noqa: F811
    caplog,
    committed,
):
    order = place_pending_order(UserFactory(email="buyer@example.com"), (catalogue["rice"], 2))
    product = catalogue["pomegranate"]
    ProductDocument.objects.filter(product=product).update(title="旧标题")
    SearchOutbox.objects.all().delete()  # the catalogue's own, whose commit never comes here
    caplog.set_level(logging.WARNING, logger="core.tasks")

    with celery_broker(f"redis://127.0.0.1:{closed_port}/0"):
        with committed():
            response = post_event(client, payment_succeeded_event(order, tag="broker_down"))
        with committed():
            search_products_changed(product_ids=[product.pk])

    # Nothing was lost and nothing happened yet.
    assert response.status_code == 200
    assert StripeEvent.objects.get().state == "待处理"
    assert list(SearchOutbox.objects.values_list("product_id", flat=True)) == [product.pk]
    assert effects(order) == {"status": OrderStatus.PENDING, "paid": [], "emails": [], "sales": []}
    assert caplog.text.count("broker unavailable") == 2

    # The broker is back (in memory: what is sent now waits there, no worker takes it).
    with celery_broker("memory://"):
        out = StringIO()
        call_command("outbox_sweep", stdout=out)
        once = effects(order)
        call_command("outbox_sweep", stdout=StringIO())
        twice = effects(order)

    assert once == {
        "status": OrderStatus.PAID,
        "paid": [Decimal("119.80")],
        "emails": [["buyer@example.com"]],
        "sales": [Decimal("119.80")],
    }
    assert twice == once
    assert StripeEvent.objects.get().state == "已处理"
    assert ProductDocument.objects.get(product=product).title == product.title
    assert SearchOutbox.objects.count() == SalesOutbox.objects.count() == 0
    assert "reports.tasks.reports_outbox_sweep_task: {'orders': 1, 'imports': 0}" in out.getvalue()
