"""The lockout counts an address trimmed and lower-cased on every login path (issue #14):
case and whitespace variants of a locked address stay locked."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.lockout import lockout_username
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "someone@example.com"
PASSWORD = "Huinong-Lockout-2026"
VARIANTS = [
    "Someone@Example.com",
    "SOMEONE@EXAMPLE.COM",
    " someone@example.com",
    "someone@example.com\t",
]


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def someone(db):
    # Staff and superuser, so that the right password would open /cms/ and /django-admin/ too.
    return UserFactory(email=EMAIL, password=PASSWORD, is_staff=True, is_superuser=True)


def storefront(client, username, password, next_url=None):
    url = reverse("customer:login") + (f"?next={next_url}" if next_url else "")
    data = {"login-username": username, "login-password": password, "login_submit": "1"}
    return client.post(url, data)


def cms(client, username, password):
    return client.post("/cms/login/", {"username": username, "password": password})


def django_admin(client, username, password):
    data = {"username": username, "password": password, "next": "/django-admin/"}
    return client.post("/django-admin/login/", data)


def api_tokens(client, username, password):
    """The API tokens page sends its visitors through the storefront login."""
    assert client.get(reverse("accounts:api-tokens")).status_code == 302
    return storefront(client, username, password, next_url=reverse("accounts:api-tokens"))


LOGIN_PATHS = {
    "storefront": storefront,
    "cms": cms,
    "django-admin": django_admin,
    "api-tokens": api_tokens,
}


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_lockout_key_is_the_trimmed_lower_cased_address(rf):
    assert lockout_username(rf.get("/"), {"username": " SomeOne@Example.COM\n"}) == EMAIL
    assert lockout_username(rf.post("/", {"username": "A@B.CN "})) == "a@b.cn"
    assert lockout_username(rf.post("/", {}), None) is None


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_the_right_password_signs_in_with_any_variant_before_a_lockout(client, someone, path):
    response = LOGIN_PATHS[path](client, "  SomeOne@EXAMPLE.com ", PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_case_and_whitespace_variants_of_a_locked_address_stay_locked(
    client, someone, settings, path
):
    login = LOGIN_PATHS[path]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, EMAIL, "wrong-password")
    assert AccessAttempt.objects.get().username == EMAIL

    for variant in [EMAIL, *VARIANTS]:
        response = login(client, variant, PASSWORD)
        assert response.status_code == 429, variant
        assert not signed_in(client)
    assert AccessAttempt.objects.count() == 1


@pytest.mark.parametrize("path", LOGIN_PATHS)
def test_failures_under_variants_add_up_to_one_lockout(client, someone, settings, path):
    login = LOGIN_PATHS[path]
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, VARIANTS[i % len(VARIANTS)], "wrong-password")

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == (EMAIL, settings.AXES_FAILURE_LIMIT)
    response = login(client, EMAIL, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_a_lockout_on_the_storefront_holds_on_cms_and_django_admin(client, someone, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        storefront(client, "Someone@Example.com", "wrong-password")

    assert cms(client, " SOMEONE@example.com", PASSWORD).status_code == 429
    assert django_admin(client, "someone@EXAMPLE.com", PASSWORD).status_code == 429
    assert not signed_in(client)
