"""Content-Security-Policy and Permissions-Policy on every kind of page: the storefront, the
supplier and unit portals, the payment page (which alone may load Stripe.js), Wagtail's admin
(its relaxed policy) and the 500 page. Every inline script a page carries has the nonce of
its header, and no page carries an on*= attribute (the policy would not run it)."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from payments.checkout.views import stripe_csp_sources
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order
from tests.procurement.conftest import purchaser, unit  # noqa: F401
from tests.suppliers.conftest import suppliers  # noqa: F401

pytestmark = pytest.mark.django_db

STRICT = {
    "default-src": "'self'",
    "script-src-attr": "'none'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}
PERMISSIONS = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), hid=(), magnetometer=(), microphone=(), midi=(), "
    'payment=(self "https://js.stripe.com"), serial=(), usb=(), xr-spatial-tracking=()'
)
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def directives(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    found = {}
    for part in filter(None, (part.strip() for part in header.split(";"))):
        name, _, value = part.partition(" ")
        found[name] = value
    return found


def nonce_of(policy: dict[str, str]) -> str:
    match = re.search(r"'nonce-([^']+)'", policy["script-src"])
    assert match, policy["script-src"]
    return match.group(1)


def assert_strict(response):
    """The strict policy; a page with no inline script or style sheet gets no nonce."""
    assert response.status_code == 200
    policy = directives(response)
    match = re.search(r"'nonce-([^']+)'", policy["script-src"])
    nonce = match.group(1) if match else None
    allowed = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    assert policy["script-src"] == allowed
    assert policy["style-src-elem"] == allowed
    assert {key: policy[key] for key in STRICT} == STRICT
    assert response["Permissions-Policy"] == PERMISSIONS
    html = response.content.decode()
    for tag in INLINE_SCRIPT.findall(html):
        assert nonce and f'nonce="{nonce}"' in tag, tag
    assert not HANDLER.findall(html)
    return policy


def test_the_storefront_home_and_catalogue_send_the_strict_policy(client, catalogue):
    home = assert_strict(client.get("/"))
    assert_strict(client.get("/shop/catalogue/"))

    assert "'nonce-" in home["script-src"]  # Oscar's onbodyload script
    assert_strict(client.get(catalogue["pomegranate"].get_absolute_url()))


def test_each_response_has_a_nonce_of_its_own(client, catalogue):
    first = nonce_of(directives(client.get("/shop/catalogue/")))
    second = nonce_of(directives(client.get("/shop/catalogue/")))

    assert first != second


def test_the_supplier_portal_sends_the_strict_policy(client, suppliers):  # noqa: F811
    client.force_login(suppliers["user1"])

    assert_strict(client.get(reverse("suppliers:home")))


def test_the_unit_portal_sends_the_strict_policy(client, catalogue, unit, purchaser):  # noqa: F811
    client.force_login(purchaser)

    assert_strict(client.get(reverse("procurement:portal")))


def test_only_the_payment_page_may_load_stripe_js(client, catalogue):
    consumer = UserFactory(email="consumer@example.com")
    client.force_login(consumer)
    order = place_pending_order(consumer, (catalogue["rice"], 1))

    page = client.get(reverse("checkout:pay", kwargs={"order_number": order.number}))

    # settings.test: Stripe.js at http://127.0.0.1:9/js.stripe.com/v3/
    policy = directives(page)
    nonce = nonce_of(policy)
    assert policy["script-src"] == f"'self' 'nonce-{nonce}' http://127.0.0.1:9"
    assert policy["connect-src"] == "'self' http://127.0.0.1:9"
    assert policy["frame-src"] == "'self' http://127.0.0.1:9"
    assert f'<script src="{settings.STRIPE_JS_URL}"></script>' in page.content.decode()
    basket = directives(client.get(reverse("basket:summary")))
    assert "127.0.0.1:9" not in client.get(reverse("basket:summary"))["Content-Security-Policy"]
    assert basket["connect-src"] == "'self'"


def test_with_stripes_own_js_the_payment_page_allows_stripes_hosts(settings):
    settings.STRIPE_JS_URL = "https://js.stripe.com/v3/"
    settings.STRIPE_API_BASE = ""

    assert stripe_csp_sources() == {
        "script-src": ["https://js.stripe.com", "https://*.js.stripe.com"],
        "frame-src": [
            "https://js.stripe.com",
            "https://*.js.stripe.com",
            "https://hooks.stripe.com",
        ],
        "connect-src": ["https://js.stripe.com", "https://api.stripe.com"],
    }


def test_wagtail_admin_gets_the_relaxed_policy_that_still_loads_only_from_the_site(
    client, home_page
):
    admin = get_user_model().objects.create_superuser(email="admin@example.com", password="x")
    client.force_login(admin)

    response = client.get("/cms/")

    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src-attr"] == "'unsafe-inline'"
    assert policy["style-src-elem"] == "'self' 'unsafe-inline'"
    assert "nonce" not in response["Content-Security-Policy"]
    relaxed = {"script-src-attr", "style-src-attr"}
    assert {key: policy[key] for key in STRICT.keys() - relaxed} == {
        key: value for key, value in STRICT.items() if key not in relaxed
    }
    assert response["Permissions-Policy"] == PERMISSIONS


def test_the_django_admin_and_the_api_docs_keep_the_strict_policy(client):
    admin = get_user_model().objects.create_superuser(email="admin@example.com", password="x")
    client.force_login(admin)

    assert_strict(client.get("/django-admin/"))
    assert_strict(client.get("/api/v1/docs"))


@pytest.mark.urls("tests.frontend.boom_urls")
def test_the_500_page_styles_itself_with_the_nonce_of_its_header(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    nonce = nonce_of(directives(response))
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert response["Permissions-Policy"] == PERMISSIONS


@pytest.mark.usefixtures("page_cache_on")
def test_a_page_served_from_the_page_cache_carries_its_own_responses_nonce(catalogue):
    for url in ["/", "/shop/catalogue/", catalogue["pomegranate"].get_absolute_url()]:
        first = Client().get(url)  # rendered, and kept for stateless visitors
        second = Client().get(url)  # from the cache

        assert_strict(first)
        policy = assert_strict(second)  # every inline script has this response's nonce
        assert nonce_of(policy) != nonce_of(directives(first)), url
        assert "__HN_" not in second.content.decode(), url
