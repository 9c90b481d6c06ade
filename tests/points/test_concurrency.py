"""Races on PostgreSQL: many redemptions of one household at once, asking for far more than
its balance (and some goods' stock), take exactly what fits; two clerks recording the same
one-off award at once write one."""

from collections import Counter

import pytest
from django.conf import settings

from points import services
from points.models import Award, Goods, Household, PointsEntry, Redemption
from points.services import Item
from tests.factories.points import day
from tests.support.threads import at_once

from .conftest import credit

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL (DATABASE_URL=postgres://...): SQLite lets one writer in at a "
        "time, so it cannot show a race",
    ),
    pytest.mark.django_db(transaction=True),
]

TRIES = 16


def test_parallel_redemptions_beyond_the_balance_never_overdraw(world):
    home = world.households[0]
    credit(world, home, world.rules["clean"], on=day(3, 2))
    credit(world, home, world.rules["army"], on=day(3, 2))
    # 60 points; each try takes 3 soap = 15 points: four fit, sixteen try (240 points).
    soap = world.goods["soap"]

    def redeem():
        return services.redemption_create(
            user=world.manager,
            supermarket_id=world.supermarket.pk,
            household_code=home.code,
            items=[Item(soap.pk, 3)],
        ).number

    outcomes = at_once([redeem] * TRIES)

    kinds = Counter("ok" if o.startswith("DH") else o.split("(")[0] for o in outcomes)
    assert kinds == Counter({"ok": 4, "BalanceShortError": TRIES - 4})
    home.refresh_from_db()
    soap.refresh_from_db()
    assert (home.balance, soap.stock) == (0, 50 - 12)
    assert Redemption.objects.count() == 4
    assert sorted(
        PointsEntry.objects.filter(kind="redemption").values_list("balance_after", flat=True)
    ) == [0, 15, 30, 45]
    assert services.points_reconcile() == []


def test_parallel_redemptions_beyond_the_stock_never_oversell(world):
    # Four barrels of oil; sixteen households with 60 points each want one.
    homes = world.households[:1]
    homes += [
        Household.objects.create(
            village=world.village, code=f"P{n:03d}", head_name="某某", phone_last4="0000"
        )
        for n in range(TRIES - 1)
    ]
    for home in homes:
        credit(world, home, world.rules["clean"], on=day(3, 2))
        credit(world, home, world.rules["army"], on=day(3, 2))
    oil = world.goods["oil"]

    def redeem_for(code):
        return lambda: (
            services.redemption_create(
                user=world.manager,
                supermarket_id=world.supermarket.pk,
                household_code=code,
                items=[Item(oil.pk, 1)],
            ).number
        )

    outcomes = at_once([redeem_for(h.code) for h in homes])

    kinds = Counter("ok" if o.startswith("DH") else o.split("(")[0] for o in outcomes)
    assert kinds == Counter({"ok": 4, "StockShortError": TRIES - 4})
    oil.refresh_from_db()
    assert oil.stock == 0
    assert Goods.objects.get(pk=oil.pk).moves.filter(kind="redemption").count() == 4
    assert services.points_reconcile() == []


def test_two_clerks_recording_a_one_off_award_at_once_write_one(world):
    home = world.households[0]

    def record(user):
        return lambda: (
            services.award_record(
                user=user,
                household_code=home.code,
                rule_id=world.rules["army"].pk,
                awarded_on=day(3, 2),
                today=day(3, 2),
            ).pk
        )

    outcomes = at_once([record(world.clerk), record(world.clerk2)] * 4)

    assert Award.objects.filter(household=home, rule=world.rules["army"]).count() == 1
    assert sum(isinstance(o, int) for o in outcomes) == 1
