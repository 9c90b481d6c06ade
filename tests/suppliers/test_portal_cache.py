"""The supplier portal home from the cache (issue #15): a supplier's copy is never shown to
another supplier's staff, every write the home reads is visible on the next request (bulk
and UPDATE writes included), the query count stays constant, and a cache that is down
leaves the page rendering from the database."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import SalesFact
from reports.services.facts import sales_facts_sync
from suppliers.models import NoticeKind
from suppliers.services import notice_create, notices_mark_read, shipment_create
from suppliers.services.listings import products_delist_uncertified
from tests.factories.accounts import UserFactory
from tests.support.redis import cache_down, closed_port  # noqa: F401

from .conftest import paid_order

pytestmark = pytest.mark.django_db

URL = reverse("suppliers:home")


@pytest.fixture(autouse=True)
def _page_cache(page_cache_on):
    cache.clear()


def kpi(page: str, name: str) -> str:
    return re.search(rf'data-kpi="{name}">([^<]*)<', page).group(1)


def home(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def test_a_suppliers_cached_home_is_never_shown_to_another_supplier(
    client, suppliers, shared_order
):
    client.force_login(suppliers["user1"])
    tashan = home(client)
    again = client.get(URL)
    client.force_login(suppliers["user2"])
    kouzi = home(client)

    assert "suppliers/portal/home.html" not in [t.name for t in again.templates]  # cached
    assert kpi(tashan, "sales") == kpi(again.content.decode(), "sales") == "¥204.00"
    assert kpi(kouzi, "sales") == "¥256.00"
    assert "淮北塔山石榴专业合作社" in tashan
    assert "淮北塔山石榴专业合作社" not in kouzi


def test_a_new_order_and_its_shipment_are_on_the_next_request(
    client, suppliers, shared_order, committed
):
    client.force_login(suppliers["user1"])
    assert kpi(home(client), "to-ship") == "1"

    with committed():
        order = paid_order(UserFactory(email="b2@example.com"), (suppliers["pomegranate"], 1))
    page = home(client)
    assert kpi(page, "to-ship") == "2"
    assert order.number in page

    own = order.lines.get()
    with committed():
        shipment_create(
            partner=suppliers["tashan"],
            order=order,
            quantities={own.pk: 1},
            carrier="顺丰速运",
            tracking_number="SF1234567890123",
            user=suppliers["user1"],
        )
    assert kpi(home(client), "to-ship") == "1"


def test_sales_facts_written_in_bulk_are_on_the_next_request(
    client, suppliers, shared_order, committed
):
    client.force_login(suppliers["user1"])
    sales = kpi(home(client), "sales")
    SalesFact.objects.filter(order=shared_order["order"]).delete()
    cache.clear()
    assert kpi(home(client), "sales") == "¥0.00"

    with committed():  # bulk_create, which sends no signal
        sales_facts_sync(order_id=shared_order["order"].pk)
    assert kpi(home(client), "sales") == sales


def test_notices_marked_read_by_update_are_on_the_next_request(client, suppliers, committed):
    with committed():
        notice_create(
            partner=suppliers["tashan"], kind=NoticeKind.EXPIRY_30, message="认定即将到期"
        )
    client.force_login(suppliers["user1"])
    assert 'hn-badge-dot">1</span>' in home(client)

    with committed():  # an UPDATE, which sends no signal
        notices_mark_read(partner=suppliers["tashan"])
    assert 'hn-badge-dot">' not in home(client)


def test_products_delisted_by_update_are_on_the_next_request(client, suppliers, committed):
    client.force_login(suppliers["user1"])
    assert "已上架 1 · 待审核 0" in home(client)
    suppliers["tashan"].certified_until = None
    with committed():
        suppliers["tashan"].save(update_fields=["certified_until"])
    home(client)

    with committed():  # an UPDATE of the products, which sends no signal
        products_delist_uncertified(partners=[suppliers["tashan"]], reason="认定失效")
    assert "已上架 0 · 待审核 0" in home(client)


def test_the_cached_home_runs_as_many_queries_with_more_orders(
    client, suppliers, shared_order, committed
):
    client.force_login(suppliers["user1"])
    home(client)
    with CaptureQueriesContext(connection) as one_order:
        home(client)
    with committed():
        for n in range(5):
            paid_order(UserFactory(email=f"b{n}@example.com"), (suppliers["pomegranate"], 1))
    home(client)
    with CaptureQueriesContext(connection) as six_orders:
        home(client)

    # The session (from Redis in production), the user, the user's supplier.
    assert len(one_order.captured_queries) == len(six_orders.captured_queries) <= 3


def test_the_home_renders_from_the_database_when_the_cache_is_down(
    client,
    suppliers,
    shared_order,
    cache_down,  # noqa: F811
):
    client.force_login(suppliers["user1"])
    page = home(client)
    assert kpi(page, "sales") == "¥204.00"
    assert kpi(page, "to-ship") == "1"
