"""Registration through Oscar's pages, with django-axes' lockout on (issue #14)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "Huinong-Register-2026"


@pytest.fixture(autouse=True)
def _axes_on(settings):
    settings.AXES_ENABLED = True


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_register_page_creates_the_shopper_and_signs_them_in(client):
    response = client.post(
        reverse("customer:register"),
        {"email": "new.shopper@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    user = User.objects.get(email="new.shopper@example.com")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)
    assert client.get(reverse("customer:profile-view")).status_code == 200


def test_the_login_page_registration_form_signs_the_shopper_in(client):
    response = client.post(
        reverse("customer:login"),
        {
            "registration-email": "second.shopper@example.com",
            "registration-password1": PASSWORD,
            "registration-password2": PASSWORD,
            "registration_submit": "1",
        },
    )

    user = User.objects.get(email="second.shopper@example.com")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(user.pk)


def test_an_address_locked_on_this_client_is_registered_but_not_signed_in(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("customer:login"),
            {
                "login-username": "locked.shopper@example.com",
                "login-password": "wrong-password",
                "login_submit": "1",
            },
        )
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT

    response = client.post(
        reverse("customer:register"),
        {"email": "locked.shopper@example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 429
    assert User.objects.filter(email="locked.shopper@example.com").count() == 1
    assert signed_in_user_id(client) is None


def test_a_refused_registration_creates_nobody_and_signs_nobody_in(client):
    response = client.post(
        reverse("customer:register"),
        {"email": "mismatch@example.com", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="mismatch@example.com").exists()
    assert signed_in_user_id(client) is None
