"""Races on PostgreSQL: two acceptances of the same delivery at once put it on the shelf once;
the funding of a restocking order must add up to its order's total at commit (the deferred
constraint trigger)."""

from collections import Counter
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from points import services
from points.models import Goods, RestockFunding, StockMove
from procurement import services as procurement
from tests.factories.procurement import shipment
from tests.procurement.conftest import policy_year  # noqa: F401 (fixture)
from tests.support.threads import at_once

from .restock_support import place, shop_open

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite lets one writer in at a "
        "time, so it cannot show a race",
    ),
    pytest.mark.django_db(transaction=True),
]


def test_two_acceptances_of_one_line_at_once_enter_stock_once(
    world,
    catalogue,
    policy_year,  # noqa: F811
):
    shop = shop_open(world, catalogue)
    pomegranate = catalogue["pomegranate"]
    restock = place(shop, (pomegranate, 3), funding={"donation": "204.00"})
    procurement.procurement_order_approve(order=restock.order, user=shop.approver)
    event = shipment(restock.order, partner=catalogue["supplier"])
    line = restock.order.lines.get()

    def accept():
        services.restock_shipment_accept(
            user=world.manager,
            number=restock.order.number,
            shipping_event_id=event.pk,
            quantities={line.pk: (3, 0, 0)},
            points_prices={pomegranate.pk: 70},
        )
        return "ok"

    outcomes = at_once([accept, accept])

    kinds = Counter(o if o == "ok" else o.split("(")[0] for o in outcomes)
    assert kinds == Counter({"ok": 1, "ProcurementOrderStateError": 1})
    goods = Goods.objects.get(supermarket=world.supermarket, product=pomegranate)
    assert goods.stock == 3
    assert StockMove.objects.filter(order_line=line).count() == 1
    assert services.points_reconcile() == []


def test_funding_that_does_not_add_up_is_refused_at_commit(
    world,
    catalogue,
    policy_year,  # noqa: F811
):
    shop = shop_open(world, catalogue)
    restock = place(shop, (catalogue["rice"], 1), funding={"subsidy": "59.90"})
    with pytest.raises(IntegrityError), transaction.atomic():
        RestockFunding.objects.filter(restock=restock).update(amount=Decimal("50.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RestockFunding.objects.create(restock=restock, source="donation", amount=Decimal("1"))
    assert [f.amount for f in restock.funding.all()] == [Decimal("59.90")]
