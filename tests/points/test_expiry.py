"""Expiry per rule-book policy: on the book's ``expires_on`` the points credited under it and
still unspent leave the ledger (spending counts first-in first-out), once per household."""

from points import services
from points.models import EntryKind, PointsEntry
from points.services import Item
from tests.factories.points import YEAR, day, rule_book

from .conftest import credit


def test_unspent_points_of_an_expired_book_leave_once_and_later_points_stay(world):
    home = world.households[0]
    credit(world, home, world.rules["army"], on=day(3, 2))  # 50 under this year's book
    services.redemption_create(
        user=world.manager,
        supermarket_id=world.supermarket.pk,
        household_code=home.code,
        items=[Item(world.goods["soap"].pk, 4)],
    )  # 20 spent: 30 old points left
    _next, rules = rule_book(world.regions["淮北市"], year=YEAR + 1)
    credit(world, home, rules["clean"], on=day(1, 5, YEAR + 1))  # +10 under next year's book
    world.book.expires_on = day(3, 31, YEAR + 1)
    world.book.save()

    assert services.points_expire_due(today=day(3, 30, YEAR + 1)) == 0
    assert services.points_expire_due(today=day(3, 31, YEAR + 1)) == 30
    assert services.points_expire_due(today=day(4, 1, YEAR + 1)) == 0

    home.refresh_from_db()
    assert home.balance == 10
    expiry = PointsEntry.objects.get(kind=EntryKind.EXPIRY)
    assert (expiry.delta, expiry.balance_after, expiry.rule_book) == (-30, 10, world.book)
    assert services.points_reconcile() == []


def test_a_countys_own_book_keeps_its_villages_out_of_the_citys_expiry(world):
    home = world.households[0]
    _county_book, rules = rule_book(world.regions["濉溪县"], name="濉溪县细则")
    credit(world, home, rules["clean"], on=day(3, 2))
    world.book.expires_on = day(1, 1, YEAR + 1)
    world.book.save()

    assert services.points_expire_due(today=day(1, 1, YEAR + 1)) == 0
    home.refresh_from_db()
    assert home.balance == 10
