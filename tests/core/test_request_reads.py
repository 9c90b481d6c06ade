"""Within one request each cache version counter is read once (core.caching's
RequestReadsMiddleware), and a counter moved in the request is read again; outside a
request every read goes to the cache."""

import pytest
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.test import RequestFactory

from core.caching import (
    VERSION_KEY,
    RequestReadsMiddleware,
    catalogue_version,
    request_reads,
    version_bump,
)


def in_request(view):
    """``view()`` run inside the middleware, as a request's view would be."""
    result = {}

    def get_response(request):
        result["value"] = view()
        return HttpResponse()

    RequestReadsMiddleware(get_response)(RequestFactory().get("/"))
    return result["value"]


@pytest.fixture
def counting_gets(monkeypatch):
    calls = []
    backend = type(caches["default"])
    original = backend.get

    def get(self, key, *args, **kwargs):
        calls.append(key)
        return original(self, key, *args, **kwargs)

    monkeypatch.setattr(backend, "get", get)
    return calls


def test_a_request_reads_the_catalogue_version_from_the_cache_once(counting_gets):
    version_bump(VERSION_KEY)
    expected = catalogue_version()
    counting_gets.clear()

    seen = in_request(lambda: [catalogue_version() for _ in range(5)])

    assert seen == [expected] * 5
    assert counting_gets.count(VERSION_KEY) == 1


def test_a_version_moved_within_the_request_is_read_again():
    before = catalogue_version()

    def view():
        first = catalogue_version()
        version_bump(VERSION_KEY)
        return first, catalogue_version()

    assert in_request(view) == (before, before + 1)


def test_another_process_moving_the_version_is_seen_by_the_next_request():
    first = in_request(catalogue_version)
    cache.incr(VERSION_KEY)  # as another worker's bump would

    assert in_request(catalogue_version) == first + 1


def test_outside_a_request_nothing_is_kept(counting_gets):
    version_bump(VERSION_KEY)
    counting_gets.clear()
    catalogue_version()
    catalogue_version()

    assert request_reads() is None
    assert counting_gets.count(VERSION_KEY) == 2
