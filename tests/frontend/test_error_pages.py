"""The 403, 404 and 500 pages: styled like the site, in Chinese, in English for a visitor who
chose English (the language cookie: ChineseFirstLocaleMiddleware ignores Accept-Language), each
with a way home and a product search."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from frontend.views import server_error
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def assert_way_out(html):
    assert 'action="/shop/search/"' in html
    assert 'name="q"' in html
    assert 'href="/"' in html


def test_an_unknown_page_is_a_styled_404_in_chinese(client, home_page):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "抱歉，您访问的页面不存在" in html
    assert 'class="hn-error"' in html
    assert_way_out(html)


def test_an_unknown_page_is_a_404_in_english_for_an_english_visitor(english, home_page):
    response = english.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Sorry, the page you requested doesn't exist" in html
    assert "抱歉" not in html
    assert_way_out(html)


def test_a_shopper_opening_the_reports_gets_the_styled_403_with_the_reason(client, home_page):
    client.force_login(UserFactory())

    response = client.get("/reports/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "抱歉，您无权访问该页面" in html
    assert "仅乡村振兴局、财政局工作人员可以查看统计报表。" in html
    assert 'class="hn-error"' in html
    assert_way_out(html)


def test_the_403_speaks_english_to_an_english_visitor(english, home_page):
    english.force_login(UserFactory(email="shopper@example.com"))

    html = english.get("/reports/").content.decode()

    assert "Sorry, you don't have permission to open this page" in html
    assert "Only staff of the rural revitalization bureau" in html
    assert "You are signed in as shopper@example.com." in html


def test_a_portal_refusal_uses_the_styled_403(client, home_page):
    """A shopper who is no bureau reviewer opens the supplier review queue (ReviewerMixin)."""
    client.force_login(UserFactory())

    response = client.get("/supplier/review/")

    assert response.status_code == 403
    assert "抱歉，您无权访问该页面" in response.content.decode()


@pytest.mark.urls("tests.frontend.boom_urls")
def test_the_500_page_in_chinese_and_in_english(client):
    client.raise_request_exception = False

    chinese = client.get("/boom/")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/boom/")

    assert chinese.status_code == english.status_code == 500
    assert "服务器开小差了" in chinese.content.decode()
    assert "Our server hit a snag" in english.content.decode()
    assert "服务器开小差了" not in english.content.decode()


def test_the_500_page_renders_without_the_database(django_assert_num_queries):
    request = RequestFactory().get("/")

    with django_assert_num_queries(0), translation.override("zh-hans"):
        response = server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器开小差了" in html
    assert 'action="/shop/search/"' in html
    assert 'href="/"' in html


def test_a_form_sent_without_its_csrf_token_gets_the_styled_expired_page(home_page):
    csrf_checking = Client(enforce_csrf_checks=True)

    chinese = csrf_checking.post("/shop/accounts/login/", {"login-username": "a@example.com"})
    csrf_checking.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = csrf_checking.post("/shop/accounts/login/", {"login-username": "a@example.com"})

    assert chinese.status_code == english.status_code == 403
    assert "页面已过期" in chinese.content.decode()
    assert_way_out(chinese.content.decode())
    assert "This page has expired" in english.content.decode()
