"""The bureau's unit pages, the unit's member page and the supplier's settlement page run the
same number of SQL queries whatever the number of units, members, audit entries,
settlements and refunds they show (measured at N and 3N rows)."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement import services
from procurement.models import BudgetUnit, BudgetUnitMember, Settlement, UnitDecision
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import accepted_order

pytestmark = pytest.mark.django_db

N = 2
SERIAL = itertools.count(700001)


def queries_for(client, url) -> tuple[int, str]:
    """The page's query count (after a first request warms per-process caches) and its
    HTML, which the tests check for the rows they added so that an empty page cannot pass."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def add_members(unit, n, *, actor):
    """``n`` members (each with a role) and one audit entry for each, by ``actor``."""
    emails = []
    for _ in range(n):
        serial = next(SERIAL)
        user = UserFactory(email=f"member{serial}@example.com", first_name=f"成员{serial}")
        BudgetUnitMember.objects.create(unit=unit, user=user, role="approver")
        UnitDecision.objects.create(
            unit=unit, actor=actor, action="member_added", detail=f"{user.email} · 审批人"
        )
        emails.append(user.email)
    return emails


def add_units(regions, n):
    """``n`` approved units with a member each, and ``n`` registrations waiting for review
    by their registrants, spread over the counties."""
    counties = [regions[name] for name in ("杜集区", "相山区", "烈山区", "濉溪县")]
    names = []
    for i in range(n):
        region = counties[i % len(counties)]
        serial = next(SERIAL)
        unit = BudgetUnit.objects.create(
            name=f"测试单位{serial}",
            credit_code=make_credit_code(serial),
            region=region,
            unit_type="school",
        )
        BudgetUnitMember.objects.create(
            unit=unit, user=UserFactory(email=f"u{serial}@example.com"), role="admin"
        )
        serial = next(SERIAL)
        registrant = UserFactory(email=f"r{serial}@example.com")
        pending = BudgetUnit.objects.create(
            name=f"待审单位{serial}",
            credit_code=make_credit_code(serial),
            region=region,
            unit_type="hospital",
            is_active=False,
            registration_status="pending",
            registered_by=registrant,
        )
        BudgetUnitMember.objects.create(unit=pending, user=registrant, role="admin")
        names += [unit.name, pending.name]
    return names


def test_bureau_unit_list_is_constant_in_units(client, regions, unit, city_staff):
    client.force_login(city_staff)
    url = reverse("procurement:bureau-units")

    first = add_units(regions, N)
    few, html = queries_for(client, url)
    assert all(name in html for name in first)

    more = add_units(regions, 2 * N)
    many, html = queries_for(client, url)
    assert all(name in html for name in more)
    assert html.count("测试单位") == 3 * N

    assert many == few


def test_bureau_unit_detail_is_constant_in_members_and_audit_entries(
    client, unit, purchaser, city_staff
):
    client.force_login(city_staff)
    url = reverse("procurement:bureau-unit", kwargs={"pk": unit.pk})

    first = add_members(unit, N, actor=city_staff)
    few, html = queries_for(client, url)
    assert all(email in html for email in first)

    more = add_members(unit, 2 * N, actor=city_staff)
    many, html = queries_for(client, url)
    assert all(email in html for email in more)
    assert html.count("· 审批人</span>") == 3 * N  # every audit entry is on the page

    assert many == few


def test_member_page_is_constant_in_members_and_audit_entries(client, unit, purchaser):
    admin = UserFactory(email="unit-admin@example.com")
    BudgetUnitMember.objects.create(unit=unit, user=admin, role="admin")
    client.force_login(admin)
    url = reverse("procurement:members")

    first = add_members(unit, N, actor=admin)
    few, html = queries_for(client, url)
    assert all(email in html for email in first)
    assert 'value="member-remove"' in html  # the admin's view, with its forms

    more = add_members(unit, 2 * N, actor=admin)
    many, html = queries_for(client, url)
    assert all(email in html for email in more)

    assert many == few


def add_refunded_settlements(catalogue, unit, purchaser, filing, staff, n):
    """``n`` orders of two of the supplier's products, shipped and accepted in full, each
    with one refund of one unit: ``n`` settlements with a refund and two lines each."""
    numbers = []
    for _ in range(n):
        order = accepted_order(
            purchaser, unit, filing, (catalogue["pomegranate"], 1), (catalogue["grapes"], 1)
        )
        line = order.lines.get(product=catalogue["pomegranate"])
        services.procurement_refund_record(
            order=order,
            partner=catalogue["supplier"],
            user=staff,
            quantities={line.pk: 1},
            reason=f"果皮破损退货{order.number}",
        )
        numbers.append(order.number)
    return numbers


def test_supplier_settlement_page_is_constant_in_settlements_and_refunds(
    client, catalogue, unit, purchaser, filing, supplier_staff
):
    client.force_login(supplier_staff)
    url = reverse("procurement:supplier-orders")

    first = add_refunded_settlements(catalogue, unit, purchaser, filing, supplier_staff, N)
    few, html = queries_for(client, url)
    assert all(f"果皮破损退货{number}" in html for number in first)

    more = add_refunded_settlements(catalogue, unit, purchaser, filing, supplier_staff, 2 * N)
    many, html = queries_for(client, url)
    assert all(f"果皮破损退货{number}" in html for number in more)
    assert Settlement.objects.filter(refunded__gt=0).count() == 3 * N
    assert html.count('name="refund-') == 3 * N  # the grapes of each are still refundable

    assert many == few


def test_bureau_unit_list_pages_fifty_units_at_a_time(client, regions, unit, city_staff):
    client.force_login(city_staff)
    url = reverse("procurement:bureau-units")
    add_units(regions, 30)  # 60 units in scope besides the fixture's unit
    total = BudgetUnit.objects.count()

    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()

    rows = first.count('data-label="类型"'), second.count('data-label="类型"')
    assert rows == (50, total - 50)
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
