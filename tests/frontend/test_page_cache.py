"""List pages served whole from the cache to visitors without a session or basket
(core.caching.anonymous_page): no queries, a valid CSRF token of their own, retired by a
catalogue change; never shown to, nor filled by, a signed-in shopper or one with a basket."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import engines
from django.template.response import SimpleTemplateResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.caching import VERSION_KEY, RequestReadsMiddleware, anonymous_page, version_bump
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]

SEARCH = reverse("search:search") + "?q=%E7%9F%B3%E6%A6%B4"  # ?q=石榴
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'nonce="[^"]+"')


def test_a_visitor_without_a_session_is_served_the_cached_page_without_queries(catalogue):
    first = Client(enforce_csrf_checks=True).get(SEARCH)
    visitor = Client(enforce_csrf_checks=True)

    with CaptureQueriesContext(connection) as queries:
        response = visitor.get(SEARCH)

    assert response.status_code == 200
    assert len(queries) == 0
    assert response.context is None  # not rendered again
    page = response.content.decode()
    assert "塔山<mark>石榴</mark> 精品礼盒 6枚装" in page
    assert "__HN_CSRF_TOKEN__" not in page
    # The same page but for the visitor's own CSRF token and CSP nonce.
    assert NONCE.sub("", TOKEN.sub("", page)) == NONCE.sub(
        "", TOKEN.sub("", first.content.decode())
    )
    # The token put into the cached page is this visitor's own: its forms post.
    token = TOKEN.search(page).group(1)
    switched = visitor.post(
        reverse("set_language"), {"language": "en", "next": SEARCH, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302


def test_a_signed_in_shopper_sees_their_own_header_and_never_fills_the_visitors_copy(catalogue):
    shopper = Client()
    shopper.force_login(UserFactory(first_name="晓燕", last_name="李"))

    signed_in = shopper.get(SEARCH)
    visitor = Client().get(SEARCH)
    again = shopper.get(SEARCH)

    assert "晓燕" in signed_in.content.decode()
    assert "晓燕" not in visitor.content.decode()
    assert "晓燕" in again.content.decode()


def test_a_visitor_with_a_basket_sees_their_basket_count(catalogue):
    Client().get(SEARCH)  # the cached page shows an empty basket
    shopper = Client()
    shopper.post(reverse("basket:add", kwargs={"pk": catalogue["pomegranate"].pk}), {"quantity": 2})
    shopper.get(reverse("basket:summary"))  # shows (and uses up) the "added" message

    response = shopper.get(SEARCH)

    assert response.context is not None
    assert '<span class="hn-cart__count">2</span>' in response.content.decode()
    assert 'hn-cart__count is-empty">0</span>' in Client().get(SEARCH).content.decode()


def test_a_catalogue_change_retires_the_cached_page_once_committed(
    catalogue, django_capture_on_commit_callbacks
):
    assert "精品礼盒" in Client().get(SEARCH).content.decode()
    product = catalogue["pomegranate"]
    product.title = "塔山石榴 新果礼盒 8枚装"
    with django_capture_on_commit_callbacks(execute=True):  # the commit
        product.save()

    page = Client().get(SEARCH).content.decode()

    assert "新果礼盒" in page
    assert "精品礼盒" not in page


def test_the_cache_keeps_one_copy_per_language(catalogue):
    assert "搜索结果" in Client().get(SEARCH).content.decode()
    english = Client()
    english.cookies["django_language"] = "en"

    page = english.get(SEARCH).content.decode()

    assert "Search results" in page


def test_a_site_settings_change_retires_the_cached_page(
    catalogue, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    from frontend.models import SiteChrome

    chrome = SiteChrome.for_site(Site.objects.get(is_default_site=True))
    assert "惠农集市" in Client().get(SEARCH).content.decode()
    chrome.tagline = "淮北好物 产地直发"
    with django_capture_on_commit_callbacks(execute=True):  # the commit
        chrome.save()

    assert "淮北好物 产地直发" in Client().get(SEARCH).content.decode()


def test_a_page_change_moves_the_pages_version_only_when_it_commits(
    catalogue, django_capture_on_commit_callbacks
):
    from core.caching import pages_changed, pages_version

    version = pages_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pages_changed()
        assert pages_version() == version  # not before the commit

    for callback in callbacks:  # the commit
        callback()
    assert pages_version() == version + 1


def test_a_page_rendered_while_a_change_commits_is_rendered_again_for_the_next_visitor(rf):
    """The page is stored with the versions read before it was rendered: a change that
    commits meanwhile retires it, as if it had committed before (core.caching)."""
    renders = []

    def view(request):
        def render():
            renders.append(request)
            if len(renders) == 1:
                version_bump(VERSION_KEY)  # a change commits while the first copy renders
            return SimpleTemplateResponse(engines["django"].from_string(f"render {len(renders)}"))

        return anonymous_page(request, render)

    def get() -> bytes:
        request = rf.get("/a-list/")
        request.user = AnonymousUser()
        return RequestReadsMiddleware(view)(request).content

    assert get() == b"render 1"
    assert get() == b"render 2"  # the first copy was stored under the old versions
    assert get() == b"render 2"  # and this one is served from the cache
    assert len(renders) == 2
