"""``site_statistics()``: the home page's live figures, exact and cached."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from oscar.core.loading import get_model

from frontend.selectors import site_statistics
from payments.models import OrderStatus
from tests.factories.accounts import UserFactory
from tests.factories.catalog import SupplierFactory
from tests.factories.payments import place_pending_order

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def test_the_figures_count_paid_orders_certified_suppliers_and_purchasable_products(
    catalogue,
):
    SupplierFactory(name="未认定合作社二", certified_until=None, households_helped=500)
    buyer = UserFactory()
    paid = place_pending_order(buyer, (catalogue["pomegranate"], 2))
    pending = place_pending_order(buyer, (catalogue["rice"], 1))
    cancelled = place_pending_order(buyer, (catalogue["rice"], 1))
    Order.objects.filter(pk=paid.pk).update(status=OrderStatus.COMPLETED)
    Order.objects.filter(pk=cancelled.pk).update(status=OrderStatus.CANCELLED)
    paid.refresh_from_db()
    assert pending.status == OrderStatus.PENDING

    figures = site_statistics()

    assert figures == {
        "sales_total": paid.total_incl_tax,
        "supplier_count": 2,  # 塔山 (36 households) and 濉河 (12); not the uncertified ones
        "product_count": 3,
        "households_helped": 36 + 12,
    }
    assert isinstance(figures["sales_total"], Decimal)
    assert paid.total_incl_tax == Decimal("136.00")  # 2 × 68.00, free shipping from 99


def test_the_figures_are_cached(catalogue, django_assert_num_queries):
    site_statistics()
    with django_assert_num_queries(0):
        again = site_statistics()
    assert again["product_count"] == 3
    cache.clear()
    with django_assert_num_queries(4):
        site_statistics()
