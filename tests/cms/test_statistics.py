"""``site_statistics()``: the home page's live figures are the reports app's public statistics."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from frontend.selectors import site_statistics
from reports import services as report_services
from tests.factories.accounts import UserFactory
from tests.factories.catalog import SupplierFactory
from tests.factories.payments import place_pending_order
from tests.reports.conftest import at, pay

pytestmark = pytest.mark.django_db


def test_the_figures_count_paid_sales_certified_suppliers_and_purchasable_products(catalogue):
    SupplierFactory(name="未认定合作社二", certified_until=None, households_helped=500)
    buyer = UserFactory()
    paid = place_pending_order(buyer, (catalogue["pomegranate"], 2))
    pay(paid, at("2026-03-01"))
    place_pending_order(buyer, (catalogue["rice"], 1))  # never paid: no sale
    report_services.sales_facts_sync(order_id=paid.pk)
    cache.clear()

    figures = site_statistics()

    assert figures == {
        "sales_total": Decimal("136.00"),  # 2 × 68.00; shipping fees are not sales
        "supplier_count": 2,  # 塔山 (36 households) and 濉河 (12); not the uncertified ones
        "product_count": 3,
        "households_helped": 36 + 12,
    }
    assert isinstance(figures["sales_total"], Decimal)


def test_the_figures_are_cached(catalogue, django_assert_num_queries):
    site_statistics()
    with django_assert_num_queries(0):
        again = site_statistics()
    assert again["product_count"] == 3
