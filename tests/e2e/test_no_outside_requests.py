"""Nothing leaves the site: each role signs in and walks its main pages in Chromium, and
every request the browser makes (documents, scripts, styles, fonts, images, XHR) goes to the
live server's own origin. Stripe's script, on the payment page only, is not visited here.

Chromium may drop a request the Content-Security-Policy blocks before it shows as a request,
so the elements that load something (img, script, link, iframe, source) are read too, and the
``contexts`` fixture fails on any CSP violation (how Wagtail's update check to
releases.wagtail.org showed up)."""

import pytest
from django.contrib.auth import get_user_model

from tests.factories.accounts import UserFactory
from tests.factories.payments import paid_order
from tests.factories.procurement import FilingFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOADED_URLS = """
() => Array.from(document.querySelectorAll(
  'img[src], img[srcset], script[src], iframe[src], source[src], source[srcset], ' +
  'link[href]:not([rel~=canonical]):not([rel~=alternate])'
)).flatMap((el) => [
  el.src || el.href,
  ...(el.srcset || '').split(',').map((s) => s.trim().split(' ')[0]),
]).filter(Boolean)
"""


def walk(contexts, user, paths):
    """Sign ``user`` in and visit ``paths``; every URL the browser asked for or an element loads."""
    page = contexts(user)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    loaded = []
    for path in paths:
        response = page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
        assert response.status in (200, 403, 404), f"{path}: {response.status}"
        loaded += [(path, url) for url in page.evaluate(LOADED_URLS)]
    return page.base_url, requested, loaded


def outside(origin, urls):
    return [url for url in urls if not url.startswith((origin + "/", "data:", "blob:"))]


def test_every_role_s_pages_request_only_the_site_itself(
    contexts, catalogue, home_page, purchaser, unit, policy_year, city_staff, supplier_staff
):
    consumer = UserFactory(email="shopper@example.com")
    order = paid_order(consumer, (catalogue["pomegranate"], 1))
    FilingFactory(unit=unit, user=purchaser, year=policy_year.year, approved_by=city_staff)
    editor = get_user_model().objects.create_superuser(
        email="editor@example.com", password="huinong-test"
    )
    product = catalogue["pomegranate"].get_absolute_url()

    walks = {
        "consumer": (
            consumer,
            [
                "/",
                "/shop/catalogue/",
                product,
                "/shop/search/?q=石榴",
                "/shop/basket/",
                "/shop/accounts/",
                "/shop/accounts/orders/",
                f"/shop/accounts/orders/{order.number}/",
                "/stats/",
                "/no-such-page/",  # the 404 page
                "/reports/",  # the 403 page
            ],
        ),
        "supplier staff": (
            supplier_staff,
            [
                "/supplier/",
                "/supplier/orders/",
                f"/supplier/orders/{order.number}/",
                "/supplier/products/",
                "/supplier/sales/",
                "/supplier/profile/",
            ],
        ),
        "purchaser": (
            purchaser,
            ["/procurement/", "/procurement/filings/", "/procurement/orders/", product],
        ),
        "bureau staff": (
            city_staff,
            [
                "/reports/",
                "/reports/annual/",
                "/procurement/bureau/",
                "/procurement/bureau/filings/",
                "/supplier/review/",
            ],
        ),
        "editor": (editor, ["/cms/", "/cms/pages/", "/dashboard/", "/dashboard/orders/"]),
    }

    found = {}
    for role, (user, paths) in walks.items():
        origin, requested, loaded = walk(contexts, user, paths)
        assert len(requested) > len(paths), f"{role}: the request listener saw nothing"
        left = outside(origin, requested) + [
            f"{path}: {url}" for path, url in loaded if outside(origin, [url])
        ]
        if left:
            found[role] = left
    assert found == {}, f"requests left the site: {found}"
