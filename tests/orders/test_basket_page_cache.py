"""The signed-in basket page from the cache (frontend.basket_cache): each shopper sees their
own basket, never another's; a change of the basket, a price, the stock or an offer shows on
the next request; the page's queries stay few and constant in its lines; with the cache
down the page renders from the database."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model
from oscar.test.factories import create_offer

from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="[^"]+"')


def per_request_parts_out(html: str) -> str:
    return NONCE.sub("", TOKEN.sub("", html))


@pytest.fixture(autouse=True)
def basket_page_cache_on(settings):
    settings.BASKET_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def shopper(client, committed):
    """A signed-in shopper whose requests commit (their on-commit work runs)."""
    user = UserFactory(first_name="芳", last_name="王")
    client.force_login(user)

    class Shopper:
        def __init__(self):
            self.user, self.client = user, client

        def add(self, product, quantity=1):
            with committed():
                response = client.post(
                    reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}
                )
            assert response.status_code == 302

        def page(self) -> str:
            with committed():
                response = client.get(reverse("basket:summary"))
            assert response.status_code == 200
            return response.content.decode()

        def post_lines(self, **fields):
            basket = Basket.open.get(owner=user)
            lines = list(basket.lines.order_by("pk"))
            data = {
                "form-TOTAL_FORMS": len(lines),
                "form-INITIAL_FORMS": len(lines),
                "form-MIN_NUM_FORMS": 0,
                "form-MAX_NUM_FORMS": 1000,
            }
            for i, line in enumerate(lines):
                data[f"form-{i}-id"] = line.pk
                data[f"form-{i}-quantity"] = line.quantity
            data.update(fields)
            with committed():
                response = client.post(reverse("basket:summary"), data)
            assert response.status_code == 302

    return Shopper()


def served_from_cache(shopper) -> bool:
    """Whether the basket page comes from the cache (no line query) the second time from
    now (the first may be a page with a message, which is never cached, or fill the cache)."""
    shopper.page()
    with CaptureQueriesContext(connection) as captured:
        shopper.page()
    return not any('FROM "basket_line"' in q["sql"] for q in captured.captured_queries)


def test_the_page_is_served_from_the_cache_the_second_time_the_same(shopper, catalogue):
    shopper.add(catalogue["rice"], 2)
    shopper.page()  # with the message "added to your basket", never cached
    first = shopper.page()

    assert served_from_cache(shopper)
    second = shopper.page()
    assert per_request_parts_out(second) == per_request_parts_out(first)
    assert TOKEN.search(second).group(1) != TOKEN.search(first).group(1)
    assert "濉溪大米 10kg" in second and "¥119.80" in second


def test_two_shoppers_never_see_each_others_basket_name_or_csrf_token(catalogue, committed):
    pages = {}
    for name, product in (("王", catalogue["rice"]), ("李", catalogue["pomegranate"])):
        client = Client()
        client.force_login(UserFactory(last_name=name, first_name="一"))
        with committed():
            client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
        pages[name] = client
    # Each page twice: the second from the cache.
    html = {
        name: [client.get("/shop/basket/").content.decode() for _ in range(2)]
        for name, client in pages.items()
    }

    for wang in html["王"]:
        assert "濉溪大米 10kg" in wang and "塔山石榴" not in wang
        assert "王一" in wang and "李一" not in wang
    for li in html["李"]:
        assert "塔山石榴" in li and "濉溪大米" not in li
        assert "李一" in li and "王一" not in li
    tokens = {name: {TOKEN.search(h).group(1) for h in pages_} for name, pages_ in html.items()}
    assert tokens["王"].isdisjoint(tokens["李"])


def test_adding_changing_and_removing_lines_show_on_the_next_request(shopper, catalogue):
    shopper.add(catalogue["rice"])
    assert "濉溪大米 10kg" in shopper.page() and served_from_cache(shopper)

    shopper.add(catalogue["pomegranate"])
    html = shopper.page()
    assert "塔山石榴 精品礼盒 6枚装" in html and "¥127.90" in html

    shopper.post_lines(**{"form-0-quantity": 3})
    html = shopper.page()
    assert "¥179.70" in html and "¥247.70" in html  # 3 × 59.90, + 68.00

    shopper.post_lines(**{"form-1-DELETE": "on"})
    html = shopper.page()
    assert "塔山石榴" not in html and "¥179.70" in html


def test_a_price_change_shows_on_the_next_request(shopper, catalogue, committed):
    shopper.add(catalogue["rice"], 2)
    assert "¥119.80" in shopper.page() and served_from_cache(shopper)

    record = catalogue["rice"].stockrecords.get()
    with committed():
        record.price = "60.00"
        record.save()

    html = shopper.page()
    assert "¥120.00" in html and "¥119.80" not in html


def test_a_stock_change_that_leaves_the_product_buyable_shows_on_the_next_request(
    shopper, catalogue, committed
):
    shopper.add(catalogue["rice"])
    assert "库存 100 件" in shopper.page() and served_from_cache(shopper)

    record = catalogue["rice"].stockrecords.get()
    with committed():
        record.allocate(3)  # another shopper's checkout

    html = shopper.page()
    assert "库存 97 件" in html and "库存 100 件" not in html


def test_a_new_site_offer_and_its_end_show_on_the_next_request(shopper, catalogue, committed):
    shopper.add(catalogue["rice"], 2)
    assert "¥119.80" in shopper.page() and served_from_cache(shopper)

    with committed():
        offer = create_offer(name="丰收节八折")
    html = shopper.page()
    assert "丰收节八折" in html and "¥95.84" in html  # 20% off 119.80

    with committed():
        offer.suspend()
    html = shopper.page()
    assert "丰收节八折" not in html and "¥95.84" not in html


def test_the_page_runs_the_same_few_queries_for_one_line_or_three(shopper, catalogue):
    shopper.page()  # the site's own caches (menus, settings) warm
    shopper.add(catalogue["rice"])
    shopper.page()  # with the message "added to your basket", never cached
    with CaptureQueriesContext(connection) as rendered_one:
        shopper.page()
    with CaptureQueriesContext(connection) as cached_one:
        shopper.page()
    shopper.add(catalogue["pomegranate"])
    shopper.add(catalogue["grapes"], 2)
    shopper.page()

    with CaptureQueriesContext(connection) as rendered_three:
        shopper.page()
    with CaptureQueriesContext(connection) as cached_three:
        shopper.page()

    assert len(rendered_three) == len(rendered_one)
    assert len(cached_three) == len(cached_one)
    # The session row and the user (production reads the session from Redis).
    assert len(cached_one) <= 2
    assert len(rendered_one) <= 13


def test_with_the_cache_down_the_page_renders_from_the_database(shopper, catalogue, settings):
    shopper.add(catalogue["rice"], 2)
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }

    for _ in range(2):
        html = shopper.page()
        assert "濉溪大米 10kg" in html and "¥119.80" in html
    assert not served_from_cache(shopper)
