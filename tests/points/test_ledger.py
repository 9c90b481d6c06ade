"""The points ledger: entries move the cached balance by exactly their delta, keep the
running balance on each row, never let it go below zero, and reconcile_points finds any
difference (a tampered entry, a balance written behind the ledger's back)."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from points import services
from points.exceptions import BalanceShortError
from points.models import AwardStep, EntryKind, Household, PointsEntry, StockMove

from .conftest import credit, state

on_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"], reason="needs PostgreSQL"
)


def test_entries_move_the_balance_and_record_the_running_balance(world):
    home = world.households[0]
    credit(world, home, world.rules["clean"])
    credit(world, home, world.rules["army"])

    with transaction.atomic():
        locked = services.household_lock(household_id=home.pk)
        services.ledger_append(household=locked, kind=EntryKind.EXPIRY, delta=-15, reason="测试")

    home.refresh_from_db()
    assert home.balance == 45
    assert list(
        PointsEntry.objects.filter(household=home).values_list("kind", "delta", "balance_after")
    ) == [("award", 10, 10), ("award", 50, 60), ("expiry", -15, 45)]
    assert services.points_reconcile() == []


def test_an_entry_that_would_take_the_balance_below_zero_writes_nothing(world):
    home = world.households[0]
    credit(world, home, world.rules["clean"])
    before = state()

    with pytest.raises(BalanceShortError) as refused, transaction.atomic():
        locked = services.household_lock(household_id=home.pk)
        services.ledger_append(household=locked, kind=EntryKind.EXPIRY, delta=-11, reason="x")

    assert refused.value.message == "积分余额不足：当前余额 10 分，本次需要 11 分。"
    assert state() == before


def test_the_database_refuses_a_negative_balance_even_behind_the_services(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=world.households[0].pk).update(balance=-1)


def test_reconcile_points_exits_zero_when_all_agrees(world, capsys):
    credit(world, world.households[0], world.rules["clean"])

    call_command("reconcile_points")

    assert "积分台账核对一致" in capsys.readouterr().out


def _tamper(sql: str, params: list) -> None:
    """Write behind the ledger's back (on PostgreSQL, past its append-only trigger)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_reconcile_points_catches_a_tampered_entry_and_exits_non_zero(world, capsys):
    home = world.households[0]
    award = credit(world, home, world.rules["clean"])
    entry = PointsEntry.objects.get(award=award)

    _tamper("UPDATE points_pointsentry SET delta = %s WHERE id = %s", [100, entry.pk])

    with pytest.raises(SystemExit) as exited:
        call_command("reconcile_points")
    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert f"台账 #{entry.pk}：变动后余额 10，按逐笔累计应为 100。" in err
    assert "农户 CQ001：余额 10，台账合计 100。" in err
    assert f"积分记录 #{award.pk}（credited）：台账入账 100，应为 10。" in err


def test_reconcile_points_catches_a_balance_changed_behind_the_ledger(world):
    home = world.households[0]
    credit(world, home, world.rules["clean"])

    Household.objects.filter(pk=home.pk).update(balance=9)

    assert services.points_reconcile() == ["农户 CQ001：余额 9，台账合计 10。"]


def test_reconcile_points_catches_stock_changed_behind_its_moves(world):
    oil = world.goods["oil"]
    oil.__class__.objects.filter(pk=oil.pk).update(stock=7)

    assert services.points_reconcile() == [f"商品 食用油 5L（#{oil.pk}）：库存 7，库存变动合计 4。"]


@on_postgres
def test_the_ledger_refuses_update_and_delete_on_postgresql(world):
    award = credit(world, world.households[0], world.rules["clean"])
    entry = PointsEntry.objects.get(award=award)
    move = StockMove.objects.first()
    step = AwardStep.objects.filter(award=award).first()
    for statement, pk in (
        ("UPDATE points_pointsentry SET delta = 1 WHERE id = %s", entry.pk),
        ("DELETE FROM points_pointsentry WHERE id = %s", entry.pk),
        ("UPDATE points_stockmove SET delta = 1 WHERE id = %s", move.pk),
        ("DELETE FROM points_awardstep WHERE id = %s", step.pk),
    ):
        with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [pk])
    assert PointsEntry.objects.get(pk=entry.pk).delta == 10
