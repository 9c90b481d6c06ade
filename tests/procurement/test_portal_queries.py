"""The unit portal (the bench's "unit portal" row) runs at most 15 queries, as many with
eight orders as with one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_the_unit_portal_runs_at_most_15_queries_whatever_the_orders(
    client, catalogue, unit, purchaser, filing, django_assert_max_num_queries
):
    client.force_login(purchaser)
    url = reverse("procurement:portal")
    submit(purchaser, unit, filing, (catalogue["rice"], 1))
    client.get(url)  # caches warm
    with CaptureQueriesContext(connection) as one_order:
        assert client.get(url).status_code == 200
    for _ in range(7):
        submit(purchaser, unit, filing, (catalogue["rice"], 1))

    with django_assert_max_num_queries(len(one_order.captured_queries)):
        assert client.get(url).status_code == 200
    # 15, and the session row that production reads from Redis (cached_db sessions).
    assert len(one_order.captured_queries) <= 16
