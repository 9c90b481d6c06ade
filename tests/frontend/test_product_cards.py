"""Product cards cached once for everyone (frontend.cards): the product page's 相关推荐 and
最近浏览 rows read them from the cache, yet a price change shows on the next request, each
signed-in user's card forms carry their own CSRF token, and a product that cannot be
bought is left out."""

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.models import ListingStatus
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def related_row(response) -> str:
    page = response.content.decode()
    return page[page.index('id="hn-related-title"') :]


def signed_in(**kwargs) -> Client:
    client = Client()
    client.force_login(UserFactory(**kwargs))
    return client


def test_the_related_row_shows_a_price_change_on_the_next_request(catalogue, committed):
    pomegranate, grapes = catalogue["pomegranate"], catalogue["grapes"]
    record = grapes.stockrecords.get()
    record.price = "30.00"
    with committed():
        record.save()
    assert "¥30.00" in related_row(Client().get(pomegranate.get_absolute_url()))
    record.price = "31.50"

    with committed():
        record.save()
    row = related_row(Client().get(pomegranate.get_absolute_url()))

    assert "¥31.50" in row and "¥30.00" not in row


def test_a_delisted_product_leaves_the_related_row_at_once(catalogue, committed):
    pomegranate, grapes = catalogue["pomegranate"], catalogue["grapes"]
    assert "濉溪葡萄 5斤装" in related_row(Client().get(pomegranate.get_absolute_url()))

    grapes.listing_status = ListingStatus.DELISTED
    with committed():
        grapes.save()
    page = Client().get(pomegranate.get_absolute_url()).content.decode()

    assert "濉溪葡萄 5斤装" not in page


def test_two_signed_in_users_get_the_cached_cards_with_their_own_csrf_token(catalogue):
    pomegranate = catalogue["pomegranate"]
    alice, bob = signed_in(first_name="爱丽丝"), signed_in(first_name="鲍勃")
    for client in (alice, bob):
        client.cookies["oscar_history"] = json.dumps([catalogue["rice"].pk])
    first = alice.get(pomegranate.get_absolute_url())

    with CaptureQueriesContext(connection) as queries:
        second = bob.get(pomegranate.get_absolute_url())

    card_queries = [q for q in queries.captured_queries if "partner_stockrecord" in q["sql"]]
    assert len(card_queries) <= 1  # bob's cards came from the cache (the page's own record)
    page_a, page_b = first.content.decode(), second.content.decode()
    tokens_a, tokens_b = set(TOKEN.findall(page_a)), set(TOKEN.findall(page_b))
    assert len(tokens_a) == len(tokens_b) == 1  # every form of the page: one token, its user's
    assert tokens_a != tokens_b
    assert "鲍勃" in page_b and "爱丽丝" not in page_b
    assert "濉溪大米 10kg" in page_b[page_b.index("最近浏览") :]
