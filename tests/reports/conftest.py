"""Fixtures of the reports tests: paid orders without Stripe (the payment is recorded the way
the webhook records it), refunds applied on a chosen date, procurement doubles, bureau staff."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from oscar.core.loading import get_model

from orders.models import OrderStatus
from payments import services as payment_services
from payments.models import PaymentStatus, Refund, RefundStatus, StripePayment
from regions.models import BureauLevel, BureauStaff
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order

SHANGHAI = ZoneInfo("Asia/Shanghai")
OrderStatusChange = get_model("order", "OrderStatusChange")

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


def at(day: str, hour: int = 10) -> datetime.datetime:
    """An aware datetime in Asia/Shanghai: at("2025-03-01", 23)."""
    return datetime.datetime.combine(
        datetime.date.fromisoformat(day), datetime.time(hour), tzinfo=SHANGHAI
    )


def pay(order, when: datetime.datetime):
    """Record a succeeded card payment for ``order`` and date its move to 已付款 ``when``."""
    payment = StripePayment.objects.create(
        order=order,
        intent_id=f"pi_{order.number}",
        payment_method_id="pm_card_visa",
        idempotency_key=f"pay-{order.number}",
        amount=order.total_incl_tax,
        status=PaymentStatus.SUCCEEDED,
    )
    payment_services.order_mark_paid(order=order, payment=payment)
    OrderStatusChange.objects.filter(order=order, new_status=OrderStatus.PAID).update(
        date_created=when
    )
    order.refresh_from_db()
    return payment


def refund(order, amount: str, when: datetime.datetime, payment=None):
    payment = payment or StripePayment.objects.filter(order=order).earliest("created_at")
    return Refund.objects.create(
        order=order,
        payment=payment,
        amount=Decimal(amount),
        reason="测试退款",
        status=RefundStatus.SUCCEEDED,
        applied_at=when,
    )


@pytest.fixture
def paid_order_factory(catalogue):
    """paid_order_factory((product, qty), ..., when=at(...)) -> a paid consumer order."""

    def make(*items, when=None, user=None):
        order = place_pending_order(user or UserFactory(), *items)
        pay(order, when or at("2025-03-01"))
        return order

    return make


def staff_user(email, region, level):
    user = UserFactory(email=email)
    BureauStaff.objects.create(user=user, region=region, level=level, bureau_name="乡村振兴局")
    return user


@pytest.fixture
def city_staff(regions):
    return staff_user("city@example.com", regions["淮北市"], BureauLevel.CITY)


@pytest.fixture
def county_staff(regions):
    return staff_user("county@example.com", regions["濉溪县"], BureauLevel.COUNTY)
