"""A submission's two spending-cap checks (where the policy year caps spending at the filed
canteen budget): the cheap one before anything is written, and the one under the filing lock
that counts, after the order rows and ledger entries are written."""

from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from procurement import exceptions, services
from procurement.models import ProcurementOrder, QuotaEntry, QuotaEntryKind
from procurement.services import submission as submission_services
from tests.factories.payments import basket_for

from .conftest import balance

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db


def submit(user, unit, filing, basket):
    return services.procurement_order_submit(
        user=user,
        unit=unit,
        filing=filing,
        basket=basket,
        canteen="第一食堂",
        delivery_address="淮北市相山区淮海西路1号",
        contact_name="刘芳",
        contact_phone="13812345678",
        invoice_title="淮北市第一中学",
        tax_number="12340600MB1234567X",
    )


def test_balance_taken_after_the_early_check_is_refused_under_the_lock_with_nothing_written(
    catalogue, unit, purchaser, capped_filing, city_staff, monkeypatch
):
    filing = capped_filing
    basket = basket_for(purchaser, (catalogue["pomegranate"], 3))  # ¥204 of ¥1,000
    stock = catalogue["pomegranate"].stockrecords.get()
    allocated = stock.num_allocated
    check = submission_services._basket_check

    def check_then_the_balance_goes(lines):
        # Passed the early check; now a bureau adjustment takes ¥900 before the lock.
        check(lines)
        services.quota_adjust(
            filing=filing, user=city_staff, reason="线下采购计入", committed_delta=Decimal("900")
        )

    monkeypatch.setattr(submission_services, "_basket_check", check_then_the_balance_goes)

    with pytest.raises(exceptions.FilingSpendingCapError) as caught:
        submit(purchaser, unit, filing, basket)

    assert "尚可采购 ¥100.00，本次需要 ¥204.00" in str(caught.value)
    # The order, its lines, its procurement row and its commit entry, written before the
    # lock, went back with the refusal; only the adjustment is in the ledger.
    assert Order.objects.count() == Line.objects.count() == 0
    assert ProcurementOrder.objects.count() == 0
    assert list(QuotaEntry.objects.values_list("kind", flat=True)) == [QuotaEntryKind.ADJUST]
    assert balance(filing) == (Decimal("1000.00"), Decimal("900.00"), Decimal("0.00"))
    stock.refresh_from_db()
    assert stock.num_allocated == allocated
    assert basket.status == Basket.OPEN  # in memory too: the page shows the basket again
    basket.refresh_from_db()
    assert basket.status == Basket.OPEN and basket.date_submitted is None
    assert services.quota_reconcile() == []

    # The same basket goes through once the balance is back.
    services.quota_adjust(
        filing=filing, user=city_staff, reason="更正", committed_delta=Decimal("-900")
    )
    monkeypatch.setattr(submission_services, "_basket_check", check)
    order = submit(purchaser, unit, filing, basket)
    assert balance(filing) == (Decimal("1000.00"), Decimal("204.00"), Decimal("0.00"))
    stock.refresh_from_db()
    assert stock.num_allocated == (allocated or 0) + 3
    assert set(order.lines.values_list("status", flat=True)) == {order.status}
    assert basket.status == Basket.SUBMITTED
    assert services.quota_reconcile() == []


def test_early_refusal_reads_a_fixed_few_rows_and_writes_nothing(
    catalogue, unit, purchaser, capped_filing, django_assert_num_queries
):
    filing = capped_filing
    basket = basket_for(purchaser, (catalogue["pomegranate"], 15), (catalogue["rice"], 1))
    # Membership, the filing's year and balance, and the basket's lines read once with their
    # suppliers, product classes and stock records (not per line): a fixed number, whatever
    # the basket holds.
    with django_assert_num_queries(5), pytest.raises(exceptions.FilingSpendingCapError):
        submit(purchaser, unit, filing, basket)
    assert QuotaEntry.objects.count() == Order.objects.count() == 0
