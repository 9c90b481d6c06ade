"""Races on PostgreSQL: many purchasers submit against one filing at once, asking for five
times its balance; the ledger commits exactly what fits. And the ledger refuses rewrites."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from oscar.core.loading import get_model

from procurement import services
from procurement.exceptions import QuotaBalanceShortError
from procurement.models import BudgetUnitMember, QuotaEntry
from tests.factories.accounts import UserFactory
from tests.factories.payments import basket_for, with_strategy

from .conftest import balance, submit

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite lets one writer in at a "
        "time, so it cannot show a race",
    ),
]

BUYERS = 24


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_beyond_the_balance_never_over_commit(catalogue, unit, filing):
    # ¥1,000 reserved; each order is 3 x ¥68 = ¥204: four fit (¥816), 24 try (¥4,896).
    buyers = []
    for n in range(BUYERS):
        user = UserFactory(email=f"buyer{n}@example.com")
        BudgetUnitMember.objects.create(unit=unit, user=user, role="purchaser")
        buyers.append((user.pk, basket_for(user, (catalogue["pomegranate"], 3)).pk))
    start = threading.Barrier(BUYERS)
    outcomes = []

    def run(basket_id):
        try:
            basket = with_strategy(Basket.objects.select_related("owner").get(pk=basket_id))
            start.wait(timeout=30)
            submit(basket.owner, unit, filing, basket=basket)
            outcomes.append("ordered")
        except QuotaBalanceShortError:
            outcomes.append("short")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(basket_id,)) for _, basket_id in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert Counter(outcomes) == {"ordered": 4, "short": BUYERS - 4}
    assert balance(filing) == (Decimal("1000.00"), Decimal("816.00"), Decimal("0.00"))
    entries = QuotaEntry.objects.filter(filing=filing)
    assert entries.count() == 4
    assert sum(e.committed_delta for e in entries) == Decimal("816.00")
    assert Order.objects.count() == 4
    assert catalogue["pomegranate"].stockrecords.get().num_allocated == 12
    statuses = Counter(
        Basket.objects.filter(pk__in=[b for _, b in buyers]).values_list("status", flat=True)
    )
    assert statuses == {Basket.SUBMITTED: 4, Basket.OPEN: BUYERS - 4}
    assert services.quota_reconcile() == []


@pytest.mark.django_db
def test_the_ledger_refuses_update_and_delete(catalogue, unit, purchaser, filing):
    submit(purchaser, unit, filing, (catalogue["rice"], 1))
    entry = QuotaEntry.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaEntry.objects.filter(pk=entry.pk).update(committed_delta=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        QuotaEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.committed_delta == Decimal("59.90")


@pytest.mark.django_db
def test_the_database_refuses_a_balance_above_the_reserved_amount(filing):
    from procurement.models import Filing

    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.filter(pk=filing.pk).update(
            committed=Decimal("600.00"), completed=Decimal("400.01")
        )
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
