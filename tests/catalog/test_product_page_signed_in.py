"""Signed-in shoppers share one cached copy of a product page (catalog.views), with their own
parts filled for each request: name and basket count in the header, the CSRF token, the
recently viewed row (their history cookie), the review link (none once they reviewed), the
exact stock count and the stock alert form. One user never sees another's; a price change
shows on the next request; a page from the shared copy costs a fixed number of queries."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ProductAlert = get_model("customer", "ProductAlert")
ProductReview = get_model("reviews", "ProductReview")


def shopper(first_name: str, *history) -> tuple[Client, object]:
    user = UserFactory(first_name=first_name, last_name="李")
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if history:
        client.cookies["oscar_history"] = json.dumps([p.pk for p in history])
    return client, user


def page(product, client) -> tuple[str, bool]:
    """The page's HTML, and whether it was rendered for this request (not from the cache)."""
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    rendered = "oscar/catalogue/detail.html" in [t.name for t in response.templates]
    return response.content.decode(), rendered


def recently_viewed(html: str) -> str:
    start = html.find('id="hn-viewed-title"')
    return "" if start < 0 else html[start : html.index("</section>", start)]


def test_two_shoppers_share_the_page_but_each_sees_only_their_own_parts(catalogue):
    pomegranate, rice, grapes = catalogue["pomegranate"], catalogue["rice"], catalogue["grapes"]
    first, first_user = shopper("晓燕", rice)
    second, _ = shopper("建国", grapes)
    ProductReview.objects.create(
        product=pomegranate, user=first_user, score=5, title="很甜", body="很甜"
    )

    first_page, first_rendered = page(pomegranate, first)
    second_page, second_rendered = page(pomegranate, second)

    assert first_rendered and not second_rendered  # the second from the shared copy
    assert "__HN_" not in first_page + second_page
    assert "晓燕" in first_page and "建国" not in first_page
    assert "建国" in second_page and "晓燕" not in second_page
    assert "濉溪大米" in recently_viewed(first_page)
    assert "濉溪葡萄" not in recently_viewed(first_page)
    assert "濉溪葡萄" in recently_viewed(second_page)
    assert "濉溪大米" not in recently_viewed(second_page)
    assert 'id="write_review"' not in first_page  # reviewed already
    assert 'id="write_review"' in second_page
    assert "库存 100 件" in first_page and "库存 100 件" in second_page
    first_token = TOKEN.search(first_page).group(1)
    second_token = TOKEN.search(second_page).group(1)
    assert first_token != second_token
    # The token in the shared copy's add-to-basket form is the second shopper's own: it posts.
    form = second_page[second_page.index('id="add_to_basket_form"') :]
    added = second.post(
        reverse("basket:add", kwargs={"pk": pomegranate.pk}),
        {"quantity": 1, "csrfmiddlewaretoken": TOKEN.search(form).group(1)},
    )
    assert added.status_code == 302


def test_each_shopper_sees_their_own_stock_alert_on_a_sold_out_product(catalogue):
    product = catalogue["pomegranate"]
    type(product.stockrecords.get()).objects.filter(product=product).update(num_in_stock=0)
    first, first_user = shopper("晓燕")
    second, _ = shopper("建国")
    ProductAlert.objects.create(
        product=product, user=first_user, status=ProductAlert.ACTIVE, key="k1"
    )

    first_page, _ = page(product, first)
    second_page, second_rendered = page(product, second)
    third_page, _ = page(product, first)

    assert not second_rendered
    assert "您已订阅该商品的到货提醒" in first_page and 'id="alert_form"' not in first_page
    assert "您已订阅该商品的到货提醒" not in second_page and 'id="alert_form"' in second_page
    assert "您已订阅该商品的到货提醒" in third_page and 'id="alert_form"' not in third_page


def test_a_price_change_shows_to_a_signed_in_shopper_on_the_next_request(catalogue, committed):
    product = catalogue["pomegranate"]
    client, _ = shopper("晓燕")
    page(product, client)
    cached, rendered = page(product, client)
    assert not rendered and "¥68.00" in cached
    record = product.stockrecords.get()
    record.price = "72.50"
    with committed():
        record.save()

    html, _ = page(product, client)

    assert "¥72.50" in html and "¥68.00" not in html


def test_the_exact_stock_count_of_the_shared_copy_is_read_for_each_request(catalogue):
    product = catalogue["pomegranate"]
    client, _ = shopper("晓燕")
    page(product, client)
    # A sale that leaves the product buyable retires no cache (StockRecord.shown_changed).
    type(product.stockrecords.get()).objects.filter(product=product).update(num_in_stock=97)

    html, rendered = page(product, client)

    assert not rendered and "库存 97 件" in html


def test_the_review_link_from_the_shared_copy_follows_the_users_own_review(catalogue):
    product = catalogue["pomegranate"]
    page(product, shopper("晓燕")[0])  # fills the shared copy
    client, user = shopper("建国")

    before, rendered = page(product, client)
    ProductReview.objects.create(product=product, user=user, score=4, title="不错", body="不错")
    after, _ = page(product, client)
    others, _ = page(product, shopper("秀兰")[0])

    assert not rendered
    assert 'id="write_review"' in before
    assert 'id="write_review"' not in after
    assert 'id="write_review"' in others


def test_a_page_from_the_shared_copy_costs_a_fixed_number_of_queries(catalogue):
    pomegranate, rice = catalogue["pomegranate"], catalogue["rice"]
    page(pomegranate, shopper("晓燕")[0])  # fills the shared copy
    page(rice, shopper("晓燕")[0])
    counts = []
    for product in (pomegranate, rice):
        client, _ = shopper("建国", catalogue["grapes"])
        client.get(reverse("basket:summary"))  # the user's chrome in the cache
        with CaptureQueriesContext(connection) as queries:
            _, rendered = page(product, client)
        assert not rendered
        counts.append(len(queries))

    # The session (the user comes from the cache), the product through its stock records
    # (the exact count) and whether the user reviewed it.
    assert counts == [2, 2]


def test_visitors_staff_and_shoppers_share_the_body_but_not_its_per_user_parts(catalogue):
    product = catalogue["pomegranate"]
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    edit_link = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})

    staff_response = staff.get(product.get_absolute_url())  # renders the body
    shopper_client, _ = shopper("晓燕")
    shopper_response = shopper_client.get(product.get_absolute_url())
    visitor_response = Client().get(product.get_absolute_url())

    body = "oscar/catalogue/partials/gallery.html"
    assert body in [t.name for t in staff_response.templates]
    for response in (shopper_response, visitor_response):
        assert body not in [t.name for t in response.templates]  # the staff user's copy
    assert edit_link in staff_response.content.decode()
    assert edit_link not in shopper_response.content.decode()
    assert edit_link not in visitor_response.content.decode()
    assert "库存 100 件" in shopper_response.content.decode()
    visitor_page = visitor_response.content.decode()
    assert "库存 100 件" not in visitor_page and "有货" in visitor_page


def test_a_signed_in_page_rendered_afresh_costs_a_fixed_number_of_queries(catalogue):
    client, _ = shopper("晓燕", catalogue["grapes"])
    client.get(catalogue["grapes"].get_absolute_url())  # the site's own caches
    counts = []
    for product in (catalogue["pomegranate"], catalogue["rice"]):
        cache.clear()
        client.get(reverse("basket:summary"))  # the user's chrome in the cache
        with CaptureQueriesContext(connection) as queries:
            _, rendered = page(product, client)
        assert rendered
        counts.append(len(queries))

    # The session and the site's chrome, then the product read once (through its stock
    # records, with whether the user reviewed it) for the page and its user parts (no
    # second read for them), and its body. The body no longer reads attribute values or
    # recommendations (the product's query says there are none): 13 before, 11 with the
    # stock records and the review read on their own.
    assert counts == [9, 9]
