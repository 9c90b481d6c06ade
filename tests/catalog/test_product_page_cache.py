"""The product page served whole from the cache to visitors without a session or basket
(catalog.views): no queries, a valid CSRF token of their own, their own "recently viewed"
row and history cookie, views counted and written in batches; never served for a wrong
slug, never shown to (nor filled by) a signed-in shopper or one with a basket; price, stock
and listing changes show at once."""

import json
import re
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from catalog import services
from catalog.models import ListingStatus
from catalog.tasks import product_views_flush_task
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="[^"]+"')
HISTORY = "oscar_history"
ProductRecord = get_model("analytics", "ProductRecord")
UserProductView = get_model("analytics", "UserProductView")


def page_of(product, client=None):
    return (client or Client()).get(product.get_absolute_url())


def text(response) -> str:
    return response.content.decode()


def visitor_with_history(*products) -> Client:
    visitor = Client()
    visitor.cookies[HISTORY] = json.dumps([p.pk for p in products])
    return visitor


def basket_add_url(product) -> str:
    return reverse("basket:add", kwargs={"pk": product.pk})


def rendered(response) -> bool:
    """Whether the page was rendered for this request (not served from the cache)."""
    return "oscar/catalogue/detail.html" in [t.name for t in response.templates]


def views_of(product) -> int:
    record = ProductRecord.objects.filter(product=product).first()
    return record.num_views if record else 0


def test_a_visitor_without_a_session_is_served_the_cached_product_page_without_queries(
    catalogue,
):
    product = catalogue["pomegranate"]
    first = page_of(product)
    visitor = Client(enforce_csrf_checks=True)

    with CaptureQueriesContext(connection) as queries:
        response = page_of(product, visitor)

    assert response.status_code == 200
    assert len(queries) == 0
    assert not rendered(response)
    page = text(response)
    assert "塔山石榴 精品礼盒 6枚装" in page and "¥68.00" in page
    assert "__HN_" not in page
    # The same page but for the visitor's own CSRF token and CSP nonce.
    assert NONCE.sub("", TOKEN.sub("", page)) == NONCE.sub("", TOKEN.sub("", text(first)))
    # The token put into the cached add-to-basket form is this visitor's own: it posts.
    token = TOKEN.search(page[page.index('id="add_to_basket_form"') :]).group(1)
    added = visitor.post(basket_add_url(product), {"quantity": 1, "csrfmiddlewaretoken": token})
    assert added.status_code == 302
    assert visitor.get(reverse("basket:summary")).context["basket"].num_items == 1


def test_a_visitor_with_a_history_cookie_sees_their_recently_viewed_products_from_the_cache(
    catalogue,
):
    pomegranate, rice = catalogue["pomegranate"], catalogue["rice"]
    assert "最近浏览" not in text(page_of(pomegranate))  # fills the cache, no history

    response = page_of(pomegranate, visitor_with_history(rice, pomegranate))

    assert not rendered(response)
    page = text(response)
    viewed = page[page.index("最近浏览") :]
    assert "濉溪大米 10kg" in viewed
    assert "塔山石榴 精品礼盒 6枚装" not in viewed  # not the product shown
    assert "最近浏览" not in text(page_of(pomegranate))  # nor anyone else's row


def test_the_recently_viewed_row_costs_the_card_queries_for_one_product_or_three_then_none(
    catalogue,
):
    pomegranate = catalogue["pomegranate"]
    page_of(pomegranate)  # fills the cache
    three = [catalogue["rice"], catalogue["grapes"], pomegranate]

    counts = []
    for history in ([catalogue["rice"]], three):
        with CaptureQueriesContext(connection) as queries:
            response = page_of(pomegranate, visitor_with_history(*history))
        assert not rendered(response)
        counts.append(len(queries))
    with CaptureQueriesContext(connection) as queries:
        page_of(pomegranate, visitor_with_history(*three))

    # The cards not cached yet cost product_card_queryset's three queries, however many;
    # cached (frontend.cards), none.
    assert counts[0] == 3
    assert counts[1] <= 3
    assert len(queries) == 0


def test_the_history_cookie_is_updated_on_a_cache_hit(catalogue):
    pomegranate, rice = catalogue["pomegranate"], catalogue["rice"]
    page_of(pomegranate)  # fills the cache

    response = page_of(pomegranate, visitor_with_history(pomegranate, rice))

    assert not rendered(response)
    assert json.loads(response.cookies[HISTORY].value) == [rice.pk, pomegranate.pk]
    assert response.cookies[HISTORY]["httponly"] is True


def test_views_are_counted_hit_or_miss_and_flushed_exactly_once(catalogue):
    pomegranate, rice = catalogue["pomegranate"], catalogue["rice"]
    ProductRecord.objects.create(product=rice, num_views=10, num_purchases=4)
    for _ in range(5):
        page_of(pomegranate)
    for _ in range(3):
        page_of(rice)
    assert (views_of(pomegranate), views_of(rice)) == (0, 10)  # no write per view

    assert product_views_flush_task() == 8

    assert (views_of(pomegranate), views_of(rice)) == (5, 13)
    assert ProductRecord.objects.get(product=rice).num_purchases == 4  # left alone
    assert product_views_flush_task() == 0  # nothing is written twice
    page_of(rice)
    assert product_views_flush_task() == 1
    assert (views_of(pomegranate), views_of(rice)) == (5, 14)


def test_a_flush_that_fails_keeps_what_it_did_not_write_for_the_next_one(catalogue):
    pomegranate, rice = catalogue["pomegranate"], catalogue["rice"]  # in this pk order
    for _ in range(4):
        page_of(pomegranate)
    for _ in range(2):
        page_of(rice)
    write = services._views_write

    def fails_on_rice(counts):
        if rice.pk in counts:
            raise ConnectionError("database went away")
        write(counts)

    with (
        mock.patch.object(services, "FLUSH_BATCH", 1),  # one product per transaction
        mock.patch.object(services, "_views_write", fails_on_rice),
        pytest.raises(ConnectionError),
    ):
        services.product_views_flush()
    assert (views_of(pomegranate), views_of(rice)) == (4, 0)
    page_of(rice)  # counted while the flush was down

    assert services.product_views_flush() == 3

    assert (views_of(pomegranate), views_of(rice)) == (4, 3)


def test_a_signed_in_shopper_gets_the_page_rendered_and_the_view_recorded_by_the_flush(
    catalogue,
):
    product = catalogue["pomegranate"]
    page_of(product)  # fills the cache
    shopper = Client()
    user = UserFactory(first_name="晓燕", last_name="李")
    shopper.force_login(user)

    response = page_of(product, shopper)

    assert rendered(response)  # for the shopper, not from the cache
    assert "晓燕" in text(response)
    # Nothing written on the request's path: queued in the cache for the flush task, whose
    # first run writes what the run before it saw.
    assert UserProductView.objects.filter(user=user, product=product).count() == 0
    product_views_flush_task()
    product_views_flush_task()
    assert UserProductView.objects.filter(user=user, product=product).count() == 1
    assert views_of(product) == 2  # the visitor's who filled the cache, and the shopper's
    assert "晓燕" not in text(page_of(product))


def test_a_visitor_with_a_basket_gets_the_page_rendered(catalogue):
    pomegranate, rice = catalogue["pomegranate"], catalogue["rice"]
    page_of(pomegranate)  # the cached page shows an empty basket
    shopper = Client()
    shopper.post(basket_add_url(rice), {"quantity": 2})
    shopper.get(reverse("basket:summary"))  # shows (and uses up) the "added" message

    response = page_of(pomegranate, shopper)

    assert rendered(response)
    assert '<span class="hn-cart__count">2</span>' in text(response)
    stateless = page_of(pomegranate)
    assert not rendered(stateless)
    assert 'hn-cart__count is-empty">0</span>' in text(stateless)


def test_visitors_who_are_not_signed_in_see_whether_it_is_in_stock_not_how_many(catalogue):
    product = catalogue["pomegranate"]  # 100 in stock
    shopper = Client()
    shopper.force_login(UserFactory())

    assert "有货" in text(page_of(product))
    assert "库存 100 件" not in text(page_of(product))
    assert "库存 100 件" in text(page_of(product, shopper))


def test_a_price_change_shows_at_once(catalogue, committed):
    product = catalogue["pomegranate"]
    page_of(product)  # fills the cache
    cached = page_of(product)
    assert not rendered(cached) and "¥68.00" in text(cached)
    record = product.stockrecords.get()
    record.price = "72.50"
    with committed():
        record.save()

    page = text(page_of(product))

    assert "¥72.50" in page and "¥68.00" not in page


def test_selling_out_shows_at_once(catalogue, committed):
    product = catalogue["pomegranate"]
    record = product.stockrecords.get()
    type(record).objects.filter(pk=record.pk).update(num_in_stock=2)
    assert 'id="add_to_basket_form"' in text(page_of(product))
    record.refresh_from_db()

    with committed():
        record.allocate(2)

    page = text(page_of(product))
    assert 'id="add_to_basket_form"' not in page
    assert "售罄" in page


def test_delisting_shows_at_once(catalogue, committed):
    product = catalogue["pomegranate"]
    page_of(product)  # fills the cache
    cached = page_of(product)
    assert not rendered(cached) and 'id="add_to_basket_form"' in text(cached)
    product.listing_status = ListingStatus.DELISTED
    with committed():
        product.save()

    page = text(page_of(product))

    assert 'id="add_to_basket_form"' not in page
    assert "未上架" in page


def test_a_wrong_slug_still_redirects_when_the_page_is_cached(catalogue):
    product = catalogue["pomegranate"]
    page_of(product)  # fills the cache
    wrong = reverse("catalogue:detail", kwargs={"product_slug": "old-name", "pk": product.pk})

    response = Client().get(wrong)

    assert response.status_code == 301
    assert response["Location"] == product.get_absolute_url()
    assert product_views_flush_task() == 1  # the redirect is no view
