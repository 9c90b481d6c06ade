"""A page's SQL query count must not grow with the number of products it shows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.catalog import ProductFactory

pytestmark = pytest.mark.django_db

CATEGORY_PAGE_CEILING = 12


def queries_for(client, url) -> int:
    client.get(url)  # warm caches that are per-process (navigation, thumbnails, sites)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def add_products(catalogue, n):
    for _ in range(n):
        ProductFactory(
            categories=[catalogue["fruit"]],
            stockrecord__partner=catalogue["supplier"],
        )


@pytest.mark.parametrize(
    "url_of",
    [
        lambda c: c["fruit"].get_absolute_url(),
        lambda c: reverse("catalogue:index"),
        lambda c: reverse("search:search") + "?q=测试",
        lambda c: "/",
    ],
    ids=["category", "catalogue", "search", "home"],
)
def test_list_pages_run_a_constant_number_of_queries(client, catalogue, url_of):
    add_products(catalogue, 2)
    few = queries_for(client, url_of(catalogue))

    add_products(catalogue, 20)
    many = queries_for(client, url_of(catalogue))

    assert many == few
    assert few <= CATEGORY_PAGE_CEILING
