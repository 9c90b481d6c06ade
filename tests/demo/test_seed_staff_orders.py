"""The staff demo of 淮北市第一中学: each of the ten linked staff pays a personal order by
card at localstripe; every one counts for the school in channel ``staff`` through the
payment's own hook, the school sees ten orders and their amount and no names, and a second
run pays nothing more."""

from decimal import Decimal

import pytest

from demo.services.aftersales import seed_staff_orders
from demo.services.base import Tally
from demo.services.organisations import STAFF
from orders.models import OrderStatus, SalesChannel
from procurement import services
from procurement.models import BudgetUnitMember, StaffPurchase
from procurement.selectors import staff_purchase_totals
from tests.factories.accounts import UserFactory
from tests.organisations.conftest import *  # noqa: F403 (unit, types and the rest)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_ten_linked_staff_each_pay_one_order_counted_for_the_school(
    catalogue, unit, types, localstripe
):
    admin = UserFactory(email="school-admin@example.com")
    BudgetUnitMember.objects.create(unit=unit, user=admin, role="admin")
    invite = services.staff_invite_rotate(unit=unit, user=admin)
    users = {}
    for i, email in enumerate(STAFF):
        users[email] = UserFactory(email=email, last_name="职", first_name=f"工{i}")
        services.staff_link_by_code(user=users[email], code=invite.code)

    assert seed_staff_orders(users=users, tally=Tally()) == 10
    assert seed_staff_orders(users=users, tally=Tally()) == 10

    purchases = list(StaffPurchase.objects.select_related("order", "link__user"))
    assert sorted(p.link.user.email for p in purchases) == sorted(STAFF)
    assert {(p.unit_id, p.order.channel) for p in purchases} == {(unit.pk, SalesChannel.STAFF)}
    assert {p.order.status for p in purchases} == {OrderStatus.PAID}
    year = purchases[0].paid_at.year
    totals = staff_purchase_totals(unit=unit, year=year)
    assert totals == {
        "linked": 10,
        "orders": 10,
        "amount": sum((p.amount for p in purchases), Decimal("0.00")),
    }
