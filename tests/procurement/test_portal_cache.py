"""The unit portal from the cache (issue #15): each user's copy shows only their unit's
figures, every write the page reads is visible on the next request, the query count stays
constant, and a cache that is down leaves the page rendering from the database."""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orders.models import OrderStatus
from orders.services import order_status_move
from procurement import services
from procurement.services.ledger import _balance_set
from tests.factories.catalog import make_credit_code
from tests.factories.payments import basket_for
from tests.factories.procurement import BudgetUnitFactory, BudgetUnitMemberFactory, FilingFactory
from tests.support.redis import cache_down, closed_port  # noqa: F401

from .conftest import ship, submit

pytestmark = pytest.mark.django_db

URL = reverse("procurement:portal")


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    cache.clear()


def figure(page: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}"[^>]*>([^<]*)<', page)
    return found.group(1) if found else ""


def to_do_count(page: str, name: str) -> int:
    found = re.search(rf'id="pc-todo-{name}">[^<]*<span class="pc-count">(\d+)</span>', page)
    return int(found.group(1))


def portal(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def other_unit(regions, policy_year, city_staff):
    """濉溪县实验小学 with its own purchaser and a filing reserving ¥3,000."""
    unit = BudgetUnitFactory(
        name="濉溪县实验小学", region=regions["濉溪县"], credit_code=make_credit_code(990031)
    )
    buyer = BudgetUnitMemberFactory(unit=unit, user__email="other-buyer@example.com").user
    filing = FilingFactory(
        unit=unit,
        user=buyer,
        year=policy_year.year,
        canteen_budget=Decimal("30000"),
        reserved_amount=Decimal("3000"),
        approved_by=city_staff,
    )
    return {"unit": unit, "buyer": buyer, "filing": filing}


def test_a_units_cached_figures_are_never_shown_to_another_unit(
    client, catalogue, unit, purchaser, filing, other_unit, committed
):
    with committed():
        order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    client.force_login(purchaser)
    first = portal(client)
    again = client.get(URL)

    client.force_login(other_unit["buyer"])
    other = portal(client)

    assert "procurement/portal.html" not in [t.name for t in again.templates]  # cached
    assert figure(again.content.decode(), "reserved") == "1,000.00元"
    assert figure(first, "reserved") == "1,000.00元"
    assert order.number in first
    assert figure(other, "reserved") == "3,000.00元"
    assert "淮北市第一中学" not in other
    assert order.number not in other


def test_two_members_of_one_unit_see_their_own_to_dos(
    client, catalogue, unit, purchaser, approver, approval_rule, filing, committed
):
    with committed():
        order = submit(purchaser, unit, filing, (catalogue["rice"], 4))  # ¥239.60
    assert order.status == OrderStatus.PENDING_APPROVAL
    client.force_login(purchaser)
    purchasers = portal(client)
    client.force_login(approver)
    approvers = portal(client)

    todo = reverse("procurement:order-detail", kwargs={"number": order.number})
    assert f'<a class="pc-todo" href="{todo}">' not in purchasers
    assert f'<a class="pc-todo" href="{todo}">' in approvers


def test_a_new_order_and_its_status_are_on_the_next_request(
    client, catalogue, unit, purchaser, filing, committed
):
    client.force_login(purchaser)
    assert figure(portal(client), "committed") == "0.00元"

    with committed():
        order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    page = portal(client)
    assert order.number in page
    assert figure(page, "committed") == "59.90元"

    with committed():
        order_status_move(order=order, status=OrderStatus.CANCELLED)
    assert "已取消" in portal(client)


def test_a_shipment_and_its_acceptance_are_on_the_next_request(
    client, catalogue, unit, purchaser, filing, committed
):
    with committed():
        order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    client.force_login(purchaser)
    assert to_do_count(portal(client), "accept") == 0

    with committed():
        event = ship(order)
    assert to_do_count(portal(client), "accept") == 1

    with committed():
        services.procurement_shipment_accept(shipping_event=event, user=purchaser)
    page = portal(client)
    assert to_do_count(page, "accept") == 0
    assert figure(page, "completed") == "59.90元"
    assert to_do_count(page, "pay") == 0


def test_the_ledgers_balance_update_alone_is_on_the_next_request(
    client, unit, purchaser, filing, committed
):
    client.force_login(purchaser)
    assert figure(portal(client), "completed") == "0.00元"

    with committed():  # an UPDATE, which sends no signal
        _balance_set(filing, Decimal("0"), Decimal("250.00"))
    assert figure(portal(client), "completed") == "250.00元"


def test_a_purchase_list_saved_in_bulk_is_on_the_next_request(
    client, catalogue, unit, purchaser, filing, committed
):
    client.force_login(purchaser)
    assert "还没有常购清单" in portal(client)

    with committed():
        services.purchase_list_save(
            unit=unit, user=purchaser, name="每周粮油", items=[(catalogue["rice"].pk, 2)]
        )
    assert "每周粮油" in portal(client)


def test_the_save_as_list_form_follows_this_requests_basket(
    client, catalogue, unit, purchaser, filing, committed
):
    client.force_login(purchaser)
    assert 'id="pc-list-name"' not in portal(client)

    with committed():
        basket_for(purchaser, (catalogue["rice"], 2))
    assert 'id="pc-list-name"' in portal(client)


def test_a_purchasers_new_name_is_on_the_next_request(
    client, catalogue, unit, purchaser, filing, committed
):
    with committed():
        submit(purchaser, unit, filing, (catalogue["rice"], 1))
    client.force_login(purchaser)
    buyer_cell = '<td data-label="采购员">{}</td>'
    assert buyer_cell.format("刘芳") in portal(client)

    purchaser.first_name = "芳芳"
    with committed():
        purchaser.save(update_fields=["first_name"])
    assert buyer_cell.format("刘芳芳") in portal(client)  # the orders table, not the header


def test_the_hosts_filing_moves_a_shared_canteen_members_page(
    client, catalogue, regions, unit, purchaser, filing, committed
):
    member = BudgetUnitFactory(
        name="濉溪县实验小学",
        region=regions["濉溪县"],
        credit_code=make_credit_code(990032),
        canteen_status="shared",
        canteen_host=unit,
    )
    member_buyer = BudgetUnitMemberFactory(unit=member, user__email="m@example.com").user
    client.force_login(member_buyer)
    assert figure(portal(client), "completed") == "0.00元"

    with committed():  # the host's balance, not the member's rows
        _balance_set(filing, Decimal("0"), Decimal("80.00"))
    assert figure(portal(client), "completed") == "80.00元"


def test_messages_waiting_are_shown_on_a_fresh_page(client, unit, purchaser, filing):
    client.force_login(purchaser)
    portal(client)
    session = client.session
    session["_messages"] = '[["__json_message",0,25,"清单已保存"]]'
    session.save()

    response = client.get(URL)
    assert "procurement/portal.html" in [t.name for t in response.templates]  # rendered


def test_the_cached_portal_runs_as_many_queries_with_more_orders(
    client, catalogue, unit, purchaser, filing, committed
):
    client.force_login(purchaser)
    with committed():
        submit(purchaser, unit, filing, (catalogue["rice"], 1))
    portal(client)
    with CaptureQueriesContext(connection) as one_order:
        portal(client)
    with committed():
        for _ in range(5):
            submit(purchaser, unit, filing, (catalogue["rice"], 1))
    portal(client)
    with CaptureQueriesContext(connection) as six_orders:
        portal(client)

    # The session (from Redis in production), the user, the user's units with their roles.
    assert len(one_order.captured_queries) == len(six_orders.captured_queries) <= 3


def test_the_portal_renders_from_the_database_when_the_cache_is_down(
    client,
    catalogue,
    unit,
    purchaser,
    filing,
    cache_down,  # noqa: F811
    committed,
):
    with committed():
        order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    client.force_login(purchaser)
    page = portal(client)
    assert order.number in page
    assert figure(page, "committed") == "59.90元"
