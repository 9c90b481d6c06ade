"""Fixtures of the reports tests: paid orders without Stripe (the payment is recorded the way
the webhook records it), refunds applied on a chosen date, procurement doubles, bureau staff."""

import datetime
from decimal import Decimal

import pytest

from regions.models import BureauLevel
from tests.factories.accounts import UserFactory
from tests.factories.payments import RefundFactory, order_pay, place_pending_order
from tests.factories.regions import BureauStaffFactory
from tests.factories.reports import at

#: What the procurement double answers, keyed by order id; tests fill it.
PROCUREMENT_EVENTS: dict[int, list[dict]] = {}
PROCUREMENT_TOTALS: dict[tuple[int, str | None], dict] = {}


def procurement_events_double(*, order):
    return list(PROCUREMENT_EVENTS.get(order.pk, []))


def procurement_totals_double(*, year, region=None):
    key = (year, region.code if region is not None else None)
    return dict(
        PROCUREMENT_TOTALS.get(
            key,
            {
                "reserved": Decimal("0"),
                "committed": Decimal("0"),
                "completed": Decimal("0"),
                "unit_count": 0,
            },
        )
    )


@pytest.fixture(autouse=True)
def procurement_doubles(settings):
    settings.REPORTS_PROCUREMENT_SALES_EVENTS = "tests.reports.conftest.procurement_events_double"
    settings.REPORTS_PROCUREMENT_TOTALS = "tests.reports.conftest.procurement_totals_double"
    PROCUREMENT_EVENTS.clear()
    PROCUREMENT_TOTALS.clear()
    yield
    PROCUREMENT_EVENTS.clear()
    PROCUREMENT_TOTALS.clear()


def pay(order, when: datetime.datetime):
    """Record a succeeded card payment for ``order`` and date its move to 已付款 ``when``."""
    return order_pay(order, when)


def refund(order, amount: str, when: datetime.datetime, payment=None):
    extra = {"payment": payment} if payment is not None else {}
    return RefundFactory(order=order, amount=Decimal(amount), applied_at=when, **extra)


@pytest.fixture
def paid_order_factory(catalogue):
    """paid_order_factory((product, qty), ..., when=at(...)) -> a paid consumer order."""

    def make(*items, when=None, user=None):
        order = place_pending_order(user or UserFactory(), *items)
        pay(order, when or at("2025-03-01"))
        return order

    return make


def staff_user(email, region, level):
    return BureauStaffFactory(
        user__email=email, region=region, level=level, bureau_name="乡村振兴局"
    ).user


@pytest.fixture
def city_staff(regions):
    return staff_user("city@example.com", regions["淮北市"], BureauLevel.CITY)


@pytest.fixture
def county_staff(regions):
    return staff_user("county@example.com", regions["濉溪县"], BureauLevel.COUNTY)
