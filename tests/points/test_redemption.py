"""Redemption: the points leave the ledger and the goods the shelf in one transaction; a
reversal puts both back once; every refusal writes nothing."""

from decimal import Decimal

import pytest

from points import services
from points.exceptions import (
    BalanceShortError,
    HouseholdNotFoundError,
    PointsPermissionError,
    RedemptionInvalidError,
    StockShortError,
)
from points.models import Goods, RedemptionStatus
from points.services import Item
from tests.factories.points import day

from .conftest import credit, state


@pytest.fixture
def rich(world):
    """The first household with 70 points (10 + 50 + 10)."""
    home = world.households[0]
    credit(world, home, world.rules["clean"], on=day(3, 2))
    credit(world, home, world.rules["army"], on=day(3, 2))
    credit(world, home, world.rules["clean"], on=day(4, 2))
    assert home.balance == 70
    return home


def redeem(world, home, *items, user=None, supermarket=None):
    return services.redemption_create(
        user=user or world.manager,
        supermarket_id=(supermarket or world.supermarket).pk,
        household_code=home.code,
        items=[Item(world.goods[name].pk, q) for name, q in items],
    )


def test_a_redemption_moves_points_and_stock_together(world, rich):
    redemption = redeem(world, rich, ("oil", 1), ("soap", 2), ("soap", 0))

    rich.refresh_from_db()
    oil, soap = (world.goods[n] for n in ("oil", "soap"))
    oil.refresh_from_db()
    soap.refresh_from_db()
    assert (redemption.total_points, redemption.total_value) == (70, Decimal("66.90"))
    assert redemption.number.startswith("DH") and len(redemption.number) == 14
    assert (rich.balance, oil.stock, soap.stock) == (0, 3, 48)
    assert list(redemption.lines.values_list("goods__name", "quantity", "points_price")) == [
        ("食用油 5L", 1, 60),
        ("洗衣皂", 2, 5),
    ]
    assert list(redemption.entries.values_list("kind", "delta", "balance_after")) == [
        ("redemption", -70, 0)
    ]
    assert services.points_reconcile() == []


def test_a_reversal_puts_points_and_stock_back_once(world, rich):
    redemption = redeem(world, rich, ("oil", 1))

    services.redemption_reverse(user=world.manager, redemption_id=redemption.pk, reason="油桶破损")

    rich.refresh_from_db()
    world.goods["oil"].refresh_from_db()
    redemption.refresh_from_db()
    assert (rich.balance, world.goods["oil"].stock) == (70, 4)
    assert (redemption.status, redemption.reversal_reason) == (
        RedemptionStatus.REVERSED,
        "油桶破损",
    )
    assert services.points_reconcile() == []
    before = state()
    with pytest.raises(RedemptionInvalidError, match="已退兑过"):
        services.redemption_reverse(user=world.manager, redemption_id=redemption.pk, reason="再退")
    assert state() == before


def refused(error, call, message=None):
    before = state()
    with pytest.raises(error) as caught:
        call()
    assert state() == before
    if message is not None:
        assert caught.value.message == message


def test_a_redemption_above_the_balance_is_refused(world, rich):
    refused(
        BalanceShortError,
        lambda: redeem(world, rich, ("oil", 1), ("soap", 3)),
        "积分余额不足：当前余额 70 分，本次需要 75 分。",
    )


def test_a_redemption_above_the_stock_is_refused_with_the_goods_name(world, rich):
    rice = Goods.objects.create(
        supermarket=world.supermarket,
        name="大米 5kg",
        unit="袋",
        points_price=5,
        unit_value=Decimal("25.00"),
    )
    services.goods_restock(user=world.manager, goods_id=rice.pk, quantity=2, reason="捐赠")
    world.goods["rice"] = rice
    refused(
        StockShortError,
        lambda: redeem(world, rich, ("soap", 1), ("rice", 3)),
        "“大米 5kg”库存不足：现有 2袋，本次需要 3袋。",
    )


def test_unknown_household_empty_basket_foreign_goods_and_strangers_are_refused(world, rich):
    refused(
        HouseholdNotFoundError,
        lambda: services.redemption_create(
            user=world.manager,
            supermarket_id=world.supermarket.pk,
            household_code="X999",
            items=[Item(world.goods["soap"].pk, 1)],
        ),
    )
    refused(RedemptionInvalidError, lambda: redeem(world, rich), "请至少选择一件商品。")
    refused(
        RedemptionInvalidError,
        lambda: services.redemption_create(
            user=world.manager,
            supermarket_id=world.supermarket.pk,
            household_code=rich.code,
            items=[Item(999999, 1)],
        ),
        "所选商品不在本超市货架上。",
    )
    refused(PointsPermissionError, lambda: redeem(world, rich, ("soap", 1), user=world.clerk))
    refused(
        RedemptionInvalidError,
        lambda: redeem(world, rich, ("soap", -1)),
        "兑换数量须在 1 到 999 之间。",
    )


def test_a_household_of_a_village_the_supermarket_does_not_serve_is_refused(world, rich):
    from points.models import Supermarket, Village

    elsewhere = Supermarket.objects.create(name="别处超市", town=world.regions["烈山镇"])
    Village.objects.filter(pk=world.village.pk).update(supermarket=elsewhere)
    refused(RedemptionInvalidError, lambda: redeem(world, rich, ("soap", 1)))


def test_only_the_supermarkets_managers_reverse(world, rich):
    redemption = redeem(world, rich, ("soap", 1))
    refused(
        PointsPermissionError,
        lambda: services.redemption_reverse(
            user=world.clerk, redemption_id=redemption.pk, reason="x"
        ),
    )
    refused(
        RedemptionInvalidError,
        lambda: services.redemption_reverse(
            user=world.manager, redemption_id=redemption.pk, reason="  "
        ),
        "退兑须填写原因。",
    )
