"""Refusals around budget-unit members and supplier refunds that the feature tests leave out:
each is refused with the right status and leaves members, audit trail, refunds, ledger and
settlements as they were."""

from decimal import Decimal

import pytest
from django.urls import reverse

from procurement import services
from procurement.models import (
    BudgetUnit,
    BudgetUnitMember,
    ProcurementRefund,
    QuotaEntry,
    Settlement,
    UnitDecision,
)
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import accepted_order, balance

pytestmark = pytest.mark.django_db


def members_of(unit):
    return sorted(unit.memberships.values_list("user__email", "role"))


def decisions_of(unit):
    return list(UnitDecision.objects.filter(unit=unit).values_list("action", flat=True))


@pytest.fixture
def other_county_unit(regions):
    """An approved unit of 烈山区 with its admin."""
    unit = BudgetUnit.objects.create(
        name="烈山区实验小学",
        credit_code=make_credit_code(660001),
        region=regions["烈山区"],
        unit_type="school",
    )
    BudgetUnitMember.objects.create(
        unit=unit, user=UserFactory(email="lieshan-admin@example.com"), role="admin"
    )
    return unit


def test_a_purchaser_sees_the_members_read_only_and_cannot_remove_one(
    client, unit, purchaser, approver
):
    client.force_login(purchaser)
    url = reverse("procurement:members")
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200  # members see who is in their unit
    assert approver.email in html
    assert "成员由单位管理员或所在地乡村振兴局添加和移除。" in html
    assert 'value="member-add"' not in html and 'value="member-remove"' not in html

    membership = BudgetUnitMember.objects.get(user=approver)
    response = client.post(url, {"action": "member-remove", "membership": membership.pk})

    assert response.status_code == 403
    assert members_of(unit) == [
        ("boss@example.com", "approver"),
        ("buyer@example.com", "purchaser"),
    ]
    assert decisions_of(unit) == []


def test_the_registrant_of_a_unit_waiting_for_review_cannot_open_its_members(client, regions):
    registrant = UserFactory(email="principal@example.com")
    registration = services.unit_register(
        user=registrant,
        name="濉溪县实验小学",
        credit_code=make_credit_code(660002),
        region=regions["濉溪县"],
        unit_type="school",
    )
    UserFactory(email="cook@example.com")
    client.force_login(registrant)
    url = reverse("procurement:members")

    page = client.get(url)
    assert page.status_code == 403
    assert 'data-registration="pending"' in page.content.decode()
    added = client.post(url, {"action": "member-add", "email": "cook@example.com", "role": "admin"})
    assert added.status_code == 403
    assert members_of(registration) == [
        ("principal@example.com", "admin"),
        ("principal@example.com", "purchaser"),
    ]
    assert decisions_of(registration) == ["registered"]


def test_a_unit_admin_cannot_remove_a_member_of_another_unit(
    client, unit, purchaser, other_county_unit
):
    admin = UserFactory(email="unit-admin@example.com")
    BudgetUnitMember.objects.create(unit=unit, user=admin, role="admin")
    theirs = other_county_unit.memberships.get()
    client.force_login(admin)

    response = client.post(
        reverse("procurement:members"), {"action": "member-remove", "membership": theirs.pk}
    )

    assert response.status_code == 404
    assert BudgetUnitMember.objects.filter(pk=theirs.pk).exists()
    assert decisions_of(other_county_unit) == decisions_of(unit) == []


def test_county_staff_cannot_open_or_change_the_members_of_another_countys_unit(
    client, county_staff, other_county_unit
):
    UserFactory(email="cook@example.com")
    membership = other_county_unit.memberships.get()
    client.force_login(county_staff)
    url = reverse("procurement:bureau-unit", kwargs={"pk": other_county_unit.pk})

    assert client.get(url).status_code == 404
    add = {"action": "member-add", "email": "cook@example.com", "role": "purchaser"}
    assert client.post(url, add).status_code == 404
    remove = {"action": "member-remove", "membership": membership.pk}
    assert client.post(url, remove).status_code == 404

    assert members_of(other_county_unit) == [("lieshan-admin@example.com", "admin")]
    assert decisions_of(other_county_unit) == []
    listing = client.get(reverse("procurement:bureau-units")).content.decode()
    assert other_county_unit.name not in listing


def test_a_supplier_cannot_refund_another_suppliers_lines_of_a_shared_order(
    client, catalogue, unit, purchaser, filing, supplier_staff, rice_staff
):
    order = accepted_order(
        purchaser, unit, filing, (catalogue["pomegranate"], 2), (catalogue["rice"], 1)
    )
    pomegranate = order.lines.get(product=catalogue["pomegranate"])
    tashan = Settlement.objects.get(partner=catalogue["supplier"])
    own = Settlement.objects.exclude(pk=tashan.pk).get()
    before = (balance(filing), QuotaEntry.objects.count(), tashan.refunded, own.refunded)
    assert balance(filing)[2] == Decimal("195.90")  # both suppliers' goods counted
    client.force_login(rice_staff)
    data = {f"refund-{pomegranate.pk}": "1", "reason": "退货"}

    # The other supplier's settlement of the same order is not theirs to see.
    response = client.post(reverse("procurement:supplier-refund", kwargs={"pk": tashan.pk}), data)
    assert response.status_code == 404
    # Their own settlement does not reach the other supplier's line either.
    response = client.post(
        reverse("procurement:supplier-refund", kwargs={"pk": own.pk}), data, follow=True
    )
    assert "退款的商品不是本供应商在该订单中的商品。" in response.content.decode()

    tashan.refresh_from_db()
    own.refresh_from_db()
    assert ProcurementRefund.objects.count() == 0
    assert (balance(filing), QuotaEntry.objects.count(), tashan.refunded, own.refunded) == before
