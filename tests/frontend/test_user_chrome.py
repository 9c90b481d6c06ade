"""Signed-in pages from the caches (frontend.chrome, huinong.cached_fragment): each user sees
their own name, basket count, notices, portal links and CSRF token, never another's; a
basket, notice, role, permission, price or stock change shows on the next request; the
product page writes nothing to the database and its views reach Oscar's analytics through
the flush task; each page's queries stay few and constant."""

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from oscar.core.loading import get_model

from catalog.tasks import product_views_flush_task
from suppliers.strategy import Selector
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

Basket = get_model("basket", "Basket")
Notification = get_model("communication", "Notification")
UserProductView = get_model("analytics", "UserProductView")
UserRecord = get_model("analytics", "UserRecord")
ProductRecord = get_model("analytics", "ProductRecord")

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CART_COUNT = re.compile(r'class="hn-cart__count[^"]*">(\d+)<')


def signed_in(**fields):
    user = UserFactory(**fields)
    client = Client()
    client.force_login(user)
    return user, client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def cart_count(html: str) -> int:
    return int(CART_COUNT.search(html).group(1))


def basket_with(user, product, quantity):
    basket = Basket.open.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    basket.add_product(product, quantity)
    return basket


@pytest.fixture
def shoppers(catalogue, committed):
    """Two signed-in shoppers: 王芳 with 3 items in her basket, 李强 with 1."""
    with committed():
        wang, wang_client = signed_in(first_name="芳", last_name="王", email="wang@example.com")
        li, li_client = signed_in(first_name="强", last_name="李", email="li@example.com")
        basket_with(wang, catalogue["pomegranate"], 3)
        basket_with(li, catalogue["rice"], 1)
    return {"wang": (wang, wang_client), "li": (li, li_client)}


def urls(catalogue):
    fruit = catalogue["pomegranate"].get_categories().first()
    return [
        "/",
        fruit.get_absolute_url(),
        catalogue["pomegranate"].get_absolute_url(),
        reverse("search:search") + "?q=石榴",
    ]


@pytest.fixture(params=["page cache off", "page cache on"])
def page_cache(request, settings):
    """Both ways: with the signed-in copy of whole pages (core.caching; on in production)
    and with the fragments and header figures alone."""
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300 if request.param == "page cache on" else 0


@pytest.mark.usefixtures("page_cache")
def test_no_signed_in_user_sees_another_users_name_basket_count_or_csrf_token(catalogue, shoppers):
    _, wang = shoppers["wang"]
    _, li = shoppers["li"]
    for url in urls(catalogue):
        wang_first = page(wang, url)  # fills every cache as 王芳
        li_page = page(li, url)
        wang_again = page(wang, url)

        assert "王芳" in wang_first and "王芳" in wang_again, url
        assert "李强" in li_page and "王芳" not in li_page, url
        assert cart_count(wang_first) == 3 and cart_count(wang_again) == 3, url
        assert cart_count(li_page) == 1, url
        li_tokens = set(TOKEN.findall(li_page))
        wang_tokens = set(TOKEN.findall(wang_first))
        assert li_tokens and wang_tokens, url
        assert li_tokens.isdisjoint(wang_tokens), url
        assert li.cookies["csrftoken"].value[:32] != wang.cookies["csrftoken"].value[:32]


SIGNED_IN = "退出"  # the header's sign-out link


@pytest.mark.usefixtures("page_cache")
def test_a_name_change_shows_on_the_next_request(catalogue, shoppers, committed):
    wang_user, wang = shoppers["wang"]
    url = catalogue["rice"].get_absolute_url()
    assert "王芳" in page(wang, url)

    with committed():
        wang_user.first_name = "芳芳"
        wang_user.save()

    assert "王芳芳" in page(wang, url)


@pytest.mark.usefixtures("page_cache")
def test_a_deactivated_or_deleted_user_is_signed_out_on_the_next_request(
    catalogue, shoppers, committed
):
    wang_user, wang = shoppers["wang"]
    li_user, li = shoppers["li"]
    url = catalogue["rice"].get_absolute_url()
    assert SIGNED_IN in page(wang, url) and SIGNED_IN in page(li, url)

    with committed():
        wang_user.is_active = False
        wang_user.save()
        li_user.delete()

    for client in (wang, li):
        html = page(client, url)
        assert SIGNED_IN not in html and "王芳" not in html and "李强" not in html


@pytest.mark.usefixtures("page_cache")
def test_a_password_changed_elsewhere_signs_the_other_sessions_out(catalogue, shoppers, committed):
    wang_user, wang = shoppers["wang"]
    url = catalogue["rice"].get_absolute_url()
    assert SIGNED_IN in page(wang, url)

    with committed():
        wang_user.set_password("a-new-secret-2026")
        wang_user.save()

    assert SIGNED_IN not in page(wang, url)


@pytest.mark.usefixtures("page_cache")
def test_the_language_switch_returns_to_the_page_it_is_on(catalogue, shoppers):
    _, wang = shoppers["wang"]
    next_field = re.compile(r'name="next" value="([^"]*)"')
    seen = set()
    for url in urls(catalogue):
        for _ in range(2):  # rendered, then from the cache
            response = wang.get(url)
            found = next_field.search(response.content.decode()).group(1)
            assert found == escape(response.wsgi_request.get_full_path()), url
            seen.add(found)
    assert len(seen) == len(urls(catalogue))


@pytest.mark.usefixtures("page_cache")
def test_a_basket_change_shows_in_the_header_on_the_next_request(catalogue, shoppers, committed):
    wang_user, wang = shoppers["wang"]
    url = catalogue["rice"].get_absolute_url()
    assert cart_count(page(wang, url)) == 3

    with committed():
        basket = Basket.open.get(owner=wang_user)
        basket.strategy = Selector().strategy(user=wang_user)
        basket.add_product(catalogue["rice"], 2)
    assert cart_count(page(wang, url)) == 5

    with committed():
        Basket.open.get(owner=wang_user).flush()
    assert cart_count(page(wang, url)) == 0


def test_adding_to_the_basket_through_the_page_shows_in_the_header(catalogue, shoppers, committed):
    _, li = shoppers["li"]
    product = catalogue["pomegranate"]
    html = page(li, product.get_absolute_url())
    token = TOKEN.search(html[html.index('id="add_to_basket_form"') :]).group(1)

    with committed():  # the request's transaction commits
        added = li.post(
            reverse("basket:add", kwargs={"pk": product.pk}),
            {"quantity": 2, "csrfmiddlewaretoken": token},
        )

    assert added.status_code == 302
    assert cart_count(page(li, product.get_absolute_url())) == 3


@pytest.mark.usefixtures("page_cache")
def test_a_new_notice_and_a_read_one_show_on_the_next_request(catalogue, shoppers, committed):
    wang_user, wang = shoppers["wang"]
    badge = re.compile(r'hn-badge-dot">(\d+)<')
    assert not badge.search(page(wang, "/"))

    with committed():
        notice = Notification.objects.create(recipient=wang_user, subject="订单已发货")
    assert badge.search(page(wang, "/")).group(1) == "1"
    assert not badge.search(page(shoppers["li"][1], "/"))

    with committed():
        notice.date_read = notice.date_sent
        notice.save()
    assert not badge.search(page(wang, "/"))


@pytest.mark.usefixtures("page_cache")
def test_a_new_role_and_a_new_permission_show_on_the_next_request(catalogue, shoppers, committed):
    wang_user, wang = shoppers["wang"]
    supplier = catalogue["pomegranate"].stockrecords.first().partner
    assert "供应商中心" not in page(wang, "/")
    assert "管理后台" not in page(wang, "/")

    with committed():
        supplier.users.add(wang_user)
    html = page(wang, "/")
    assert "供应商中心" in html
    assert "供应商中心" not in page(shoppers["li"][1], "/")

    with committed():
        group = Group.objects.create(name="后台")
        wang_user.groups.add(group)
    assert "管理后台" not in page(wang, "/")
    with committed():
        group.permissions.add(Permission.objects.get(codename="dashboard_access"))
    assert "管理后台" in page(wang, "/")

    with committed():
        supplier.users.remove(wang_user)
        group.permissions.clear()
    html = page(wang, "/")
    assert "供应商中心" not in html and "管理后台" not in html


def test_a_price_and_stock_change_show_to_a_signed_in_shopper_on_the_next_request(
    catalogue, shoppers, committed
):
    _, wang = shoppers["wang"]
    product = catalogue["pomegranate"]
    record = product.stockrecords.first()
    assert "¥68.00" in page(wang, product.get_absolute_url())

    with committed():
        record.price = "72.50"
        record.save()
    html = page(wang, product.get_absolute_url())
    assert "¥72.50" in html and "¥68.00" not in html

    # A count that leaves the product buyable retires no cache: the exact count is read per
    # request for signed-in shoppers.
    with committed():
        record.num_in_stock = 17
        record.num_allocated = 0
        record.save()
    assert "17" in page(wang, product.get_absolute_url())
    with committed():
        record.num_in_stock = 11
        record.save()
    html = page(wang, product.get_absolute_url())
    assert "11" in html and "库存 17" not in html and "17 件" not in html


@pytest.mark.usefixtures("page_cache")
def test_a_delisted_product_is_gone_from_the_category_page_on_the_next_request(
    catalogue, shoppers, committed
):
    from catalog.models import ListingStatus

    _, wang = shoppers["wang"]
    product = catalogue["pomegranate"]
    category_url = product.get_categories().first().get_absolute_url()
    assert product.title in page(wang, category_url)

    with committed():
        product.listing_status = ListingStatus.DELISTED
        product.save()
    assert product.title not in page(wang, category_url)


@pytest.mark.usefixtures("page_cache")
def test_the_staff_edit_links_are_shown_to_staff_only_whoever_filled_the_cache(
    catalogue, committed
):
    with committed():
        _, staff = signed_in(is_staff=True, email="staff@example.com")
        _, shopper = signed_in(email="shopper@example.com")
    product = catalogue["pomegranate"]
    for url in [product.get_absolute_url(), product.get_categories().first().get_absolute_url()]:
        assert "hn-staff-edit" not in page(shopper, url), url
        assert "hn-staff-edit" in page(staff, url), url
        assert "hn-staff-edit" not in page(shopper, url), url


@pytest.mark.usefixtures("page_cache_on")
def test_a_signed_in_user_with_a_message_waiting_gets_the_page_rendered_with_it(
    catalogue, shoppers, committed
):
    _, wang = shoppers["wang"]
    url = catalogue["rice"].get_categories().first().get_absolute_url()
    assert cart_count(page(wang, url)) == 3  # the signed-in copy is cached
    with committed():
        wang.post(reverse("basket:add", kwargs={"pk": catalogue["rice"].pk}), {"quantity": 1})

    html = page(wang, url)

    assert 'class="alert alert-dismissible' in html  # the message, shown once
    assert catalogue["rice"].title in html[html.index('id="messages"') :]
    assert cart_count(html) == 4
    assert "王芳" in html


def test_a_signed_in_view_writes_nothing_and_reaches_the_analytics_through_the_flush(
    catalogue, shoppers, django_assert_num_queries
):
    wang_user, wang = shoppers["wang"]
    product = catalogue["pomegranate"]
    page(wang, product.get_absolute_url())  # warm
    before = UserProductView.objects.filter(user=wang_user).count()
    page(wang, product.get_absolute_url())
    page(wang, catalogue["rice"].get_absolute_url())
    assert UserProductView.objects.filter(user=wang_user).count() == before

    # The first flush writes what the one before it saw: two flushes write everything.
    product_views_flush_task()
    product_views_flush_task()

    views = UserProductView.objects.filter(user=wang_user)
    assert views.filter(product=product).count() == 2
    assert views.filter(product=catalogue["rice"]).count() == 1
    assert UserRecord.objects.get(user=wang_user).num_product_views == 3
    assert ProductRecord.objects.get(product=product).num_views == 2
    # Nothing is written twice.
    product_views_flush_task()
    product_views_flush_task()
    assert UserProductView.objects.filter(user=wang_user).count() == 3


# Query counts of the bench's signed-in rows, with warm caches, in the test settings
# (SQLite, sessions in the database: one query more than production's cached_db sessions).
# The user's row comes from the cache (frontend.auth).
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("home", 5),  # session, Wagtail's site, page, aliases, view restrictions
        ("category", 3),  # session, the category (2)
        ("product", 2),  # session, the product through its stock records with the review
        ("search", 3),  # session, Wagtail's page search (2)
    ],
)
def test_signed_in_pages_run_few_queries_with_warm_caches(
    catalogue, shoppers, name, expected, django_assert_num_queries
):
    url = dict(zip(["home", "category", "product", "search"], urls(catalogue), strict=True))[name]
    _, wang = shoppers["wang"]
    page(wang, url)
    with django_assert_num_queries(expected):
        page(wang, url)
