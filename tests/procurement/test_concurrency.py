"""Races on PostgreSQL: many purchasers submit against one filing at once. The reserve is a
floor, so without a cap every order goes through and the ledger counts each exactly once;
under a policy year that caps spending at the filed canteen budget, asking for five times the
cap, the ledger commits exactly what fits. One purchaser's basket posted many times at once is
one order. And the ledger refuses rewrites."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from oscar.core.loading import get_model

from procurement import services
from procurement.exceptions import FilingSpendingCapError
from procurement.models import BudgetUnitMember, QuotaEntry
from tests.factories.accounts import UserFactory
from tests.factories.payments import basket_for, with_strategy
from tests.support.threads import posts_at_once

from .conftest import CHECKOUT_DETAILS, balance, reviewed, submit

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
@pytest.mark.parametrize("quantity", [3, 10])
def test_one_basket_posted_twenty_times_at_once_places_one_order(
    client, catalogue, unit, purchaser, filing, quantity
):
    # 3 x ¥68 = ¥204: the balance would take four such orders, the basket lock allows one.
    # 10 x ¥68 = ¥680 of ¥1,000: a post after the first order's commit is also short of
    # balance (¥320 left); it is answered with the one order all the same.
    client.force_login(purchaser)
    client.post(
        reverse("basket:add", kwargs={"pk": catalogue["pomegranate"].pk}), {"quantity": quantity}
    )
    form = {"filing": filing.pk, **CHECKOUT_DETAILS, **reviewed(client)}

    responses = posts_at_once(client, reverse("procurement:checkout"), form, 20)

    order = Order.objects.get()
    detail = reverse("procurement:order-detail", kwargs={"number": order.number})
    assert [getattr(r, "status_code", r) for r in responses] == [302] * 20
    assert {r.url for r in responses} == {detail}
    assert order.basket_id == int(form["basket_id"])
    assert Basket.objects.get(pk=order.basket_id).status == Basket.SUBMITTED
    assert QuotaEntry.objects.filter(filing=filing).count() == 1
    committed = Decimal("68.00") * quantity
    assert balance(filing) == (Decimal("1000.00"), committed, Decimal("0.00"))
    assert catalogue["pomegranate"].stockrecords.get().num_allocated == quantity
    assert services.quota_reconcile() == []


def _race(catalogue, unit, filing) -> tuple[Counter, list[int]]:
    """BUYERS purchasers of ``unit``, each with a basket of 3 x ¥68 = ¥204, submit against
    ``filing`` at once. Returns the outcomes and the baskets' ids."""
    buyers = []
    for n in range(BUYERS):
        user = UserFactory(email=f"buyer{n}@example.com")
        BudgetUnitMember.objects.create(unit=unit, user=user, role="purchaser")
        buyers.append(basket_for(user, (catalogue["pomegranate"], 3)).pk)
    start = threading.Barrier(BUYERS)
    outcomes = []

    def run(basket_id):
        try:
            basket = with_strategy(Basket.objects.select_related("owner").get(pk=basket_id))
            start.wait(timeout=30)
            submit(basket.owner, unit, filing, basket=basket)
            outcomes.append("ordered")
        except FilingSpendingCapError:
            outcomes.append("capped")
        except Exception as exc:
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(basket_id,)) for basket_id in buyers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes), buyers


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_beyond_the_reserve_all_count_exactly_once(catalogue, unit, filing):
    # ¥1,000 reserved, no cap: 24 orders of ¥204 (¥4,896) all go through.
    outcomes, baskets = _race(catalogue, unit, filing)

    assert outcomes == {"ordered": BUYERS}
    committed = Decimal("204.00") * BUYERS
    assert balance(filing) == (Decimal("1000.00"), committed, Decimal("0.00"))
    entries = QuotaEntry.objects.filter(filing=filing)
    assert entries.count() == BUYERS
    assert sum(e.committed_delta for e in entries) == committed
    assert Order.objects.count() == BUYERS
    assert catalogue["pomegranate"].stockrecords.get().num_allocated == 3 * BUYERS
    assert set(Basket.objects.filter(pk__in=baskets).values_list("status", flat=True)) == {
        Basket.SUBMITTED
    }
    assert services.quota_reconcile() == []


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_beyond_the_spending_cap_never_over_commit(
    catalogue, unit, capped_filing
):
    # The year caps spending at the filed budget, ¥1,000: four orders of ¥204 fit (¥816),
    # 24 try (¥4,896).
    outcomes, baskets = _race(catalogue, unit, capped_filing)

    assert outcomes == {"ordered": 4, "capped": BUYERS - 4}
    assert balance(capped_filing) == (Decimal("1000.00"), Decimal("816.00"), Decimal("0.00"))
    entries = QuotaEntry.objects.filter(filing=capped_filing)
    assert entries.count() == 4
    assert sum(e.committed_delta for e in entries) == Decimal("816.00")
    assert Order.objects.count() == 4
    assert catalogue["pomegranate"].stockrecords.get().num_allocated == 12
    statuses = Counter(Basket.objects.filter(pk__in=baskets).values_list("status", flat=True))
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
def test_the_database_refuses_a_negative_balance_and_takes_one_above_the_reserve(filing):
    from procurement.models import Filing

    with pytest.raises(IntegrityError), transaction.atomic():
        Filing.objects.filter(pk=filing.pk).update(completed=Decimal("-0.01"))
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
    Filing.objects.filter(pk=filing.pk).update(
        committed=Decimal("600.00"), completed=Decimal("400.01")
    )
    assert balance(filing) == (Decimal("1000.00"), Decimal("600.00"), Decimal("400.01"))
