"""The after-sales demo: paid at localstripe, one line ready for the journey, one open case
and one refunded case of supplier@example.com's co-op; a second run adds nothing."""

import pytest

from aftersales.models import AfterSalesCase, AfterSalesStatus
from aftersales.selectors import order_lines_aftersales
from demo.services.aftersales import seed_aftersales
from demo.services.base import Tally
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_a_line_to_ask_on_an_open_case_and_a_finished_one(catalogue, localstripe):
    shopper = UserFactory(email="consumer@example.com")
    seller = UserFactory(email="supplier@example.com")
    catalogue["supplier"].users.add(seller)
    users = {"consumer@example.com": shopper, "supplier@example.com": seller}

    assert seed_aftersales(users=users, tally=Tally()) == 2
    assert seed_aftersales(users=users, tally=Tally()) == 2

    cases = AfterSalesCase.objects.order_by("pk")
    assert [c.status for c in cases] == [AfterSalesStatus.REQUESTED, AfterSalesStatus.REFUNDED]
    assert all(c.partner == catalogue["supplier"] for c in cases)
    journey = shopper.orders.exclude(aftersales_cases__isnull=False).get()
    states = order_lines_aftersales(order=journey, lines=journey.lines.all())
    assert [s.can_request for s in states.values()] == [True]
