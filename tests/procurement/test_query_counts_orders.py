"""The unit portal, the unit's order list and the bureau's filing review list run the same
number of SQL queries whatever the number of orders and filings they show (measured at N
and 3N rows); the order list shows 50 orders a page and keeps its filter in the page links."""

import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from orders.models import OrderStatus
from procurement import services
from procurement.models import BudgetUnit, BudgetUnitMember, Filing
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import ship, submit
from .test_query_counts import queries_for

pytestmark = pytest.mark.django_db

N = 2
SERIAL = itertools.count(760001)


@pytest.fixture
def roomy_filing(filing):
    """The unit's approved filing with room for every order of these tests (¥10,000)."""
    Filing.objects.filter(pk=filing.pk).update(
        canteen_budget=Decimal("100000"), reserved_amount=Decimal("10000")
    )
    filing.refresh_from_db()
    return filing


def assert_constant_in_rows(client, url, add) -> str:
    """``add(n)`` adds n rows and returns what each shows: the page shows them all, and runs
    as many queries with 3N rows as with N. The page's HTML at 3N."""
    first = add(N)
    few, html = queries_for(client, url)
    assert all(text in html for text in first)

    more = add(2 * N)
    many, html = queries_for(client, url)
    assert all(text in html for text in more)

    assert many == few
    return html


def add_orders(catalogue, unit, purchaser, filing, supplier_staff, n) -> list[str]:
    """``n`` times three orders: one waiting for approval (¥204, above the rule), one shipped
    and not accepted yet, one accepted and invoiced (a transfer to make). Their numbers."""
    numbers = []
    for _ in range(n):
        waiting = submit(purchaser, unit, filing, (catalogue["pomegranate"], 3))
        shipped = submit(purchaser, unit, filing, (catalogue["rice"], 1))
        ship(shipped)
        invoiced = submit(
            purchaser, unit, filing, (catalogue["pomegranate"], 1), (catalogue["grapes"], 1)
        )
        services.procurement_shipment_accept(shipping_event=ship(invoiced), user=purchaser)
        settlement = invoiced.procurement.settlements.get()
        services.settlement_invoice(
            settlement=settlement,
            user=supplier_staff,
            invoice_number=f"3400{invoiced.pk:04d}",
            invoice_date=invoiced.date_placed.date(),
            amount=settlement.amount,
        )
        numbers += [waiting.number, shipped.number, invoiced.number]
    return numbers


def test_portal_is_constant_in_orders_approvals_acceptances_and_transfers(
    client, catalogue, unit, purchaser, approver, roomy_filing, approval_rule, supplier_staff
):
    client.force_login(approver)
    html = assert_constant_in_rows(
        client,
        reverse("procurement:portal"),
        lambda n: add_orders(catalogue, unit, purchaser, roomy_filing, supplier_staff, n),
    )
    assert html.count('class="pc-todo"') == 3 * 3 * N  # each order waits for someone


def test_order_list_is_constant_in_orders(
    client, catalogue, unit, purchaser, roomy_filing, approval_rule, supplier_staff
):
    client.force_login(purchaser)
    html = assert_constant_in_rows(
        client,
        reverse("procurement:orders"),
        lambda n: add_orders(catalogue, unit, purchaser, roomy_filing, supplier_staff, n),
    )
    assert html.count('data-label="订单号"') == 3 * 3 * N


def test_order_list_pages_fifty_orders_at_a_time_and_keeps_the_filter(
    client, catalogue, unit, purchaser, roomy_filing, approval_rule
):
    waiting = submit(purchaser, unit, roomy_filing, (catalogue["pomegranate"], 3))
    approved = [submit(purchaser, unit, roomy_filing, (catalogue["rice"], 1)) for _ in range(55)]
    client.force_login(purchaser)
    url = reverse("procurement:orders")
    status = {"status": OrderStatus.APPROVED}

    first = client.get(url, status).content.decode()
    second = client.get(url, {**status, "page": 2}).content.decode()

    rows = first.count('data-label="订单号"'), second.count('data-label="订单号"')
    assert rows == (50, 5)
    assert "第 1 / 2 页" in first and "第 2 / 2 页" in second
    assert 'href="?status=%E5%B7%B2%E5%AE%A1%E6%89%B9&amp;page=2"' in first
    assert 'href="?status=%E5%B7%B2%E5%AE%A1%E6%89%B9&amp;page=1"' in second
    # Newest first, each once, and the filter holds on both pages.
    shown = [o.number for o in reversed(approved)]
    assert [n for n in shown if n in first] == shown[:50]
    assert [n for n in shown if n in second] == shown[50:]
    assert waiting.number not in first + second

    unfiltered = client.get(url, {"page": 2}).content.decode()  # the oldest: last page
    assert "第 2 / 2 页" in unfiltered and waiting.number in unfiltered


def add_filings(regions, policy_year, staff, n) -> list[str]:
    """``n`` times two filings waiting for review, in counties of the city: a first filing,
    and an amendment of an approved one. The names of their units."""
    counties = [regions[name] for name in ("杜集区", "相山区", "烈山区", "濉溪县")]
    names = []
    for i in range(2 * n):
        serial = next(SERIAL)
        unit = BudgetUnit.objects.create(
            name=f"送审单位{serial}",
            credit_code=make_credit_code(serial),
            region=counties[i % len(counties)],
            unit_type="school",
        )
        user = UserFactory(email=f"filer{serial}@example.com")
        BudgetUnitMember.objects.create(unit=unit, user=user, role="purchaser")
        figures = {
            "unit": unit,
            "year": policy_year.year,
            "user": user,
            "canteen_budget": Decimal("10000"),
            "reserved_amount": Decimal("1000"),
            "contact_name": "王老师",
            "contact_phone": "0561-3012345",
        }
        filing = services.filing_submit(**figures)
        if i % 2:
            services.filing_approve(filing=filing, user=staff)
            services.filing_submit(**{**figures, "reserved_amount": Decimal("1200")})
        names.append(unit.name)
    return names


def test_bureau_filing_review_list_is_constant_in_filings(client, regions, policy_year, city_staff):
    client.force_login(city_staff)
    html = assert_constant_in_rows(
        client,
        reverse("procurement:bureau-filings"),
        lambda n: add_filings(regions, policy_year, city_staff, n),
    )
    assert html.count("首次填报 v1") == 3 * N and html.count("修改 v2") == 3 * N
