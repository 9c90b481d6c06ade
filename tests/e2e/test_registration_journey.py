"""A new shopper registers from the login page, with the lockout on, and is signed in."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_new_shopper_registers_and_lands_signed_in_on_their_account(
    page, home_page, settings, screenshot
):
    settings.AXES_ENABLED = True
    page.goto(page.base_url + "/shop/accounts/login/")
    form = page.locator("#register_form")
    form.locator("input[name=registration-email]").fill("journey.shopper@example.com")
    form.locator("input[name=registration-password1]").fill("Huinong-Journey-2026")
    form.locator("input[name=registration-password2]").fill("Huinong-Journey-2026")
    screenshot("register-filled")
    form.get_by_role("button", name="注册").click()

    page.wait_for_url(re.compile(r"/shop/accounts/profile/"))
    expect(page.get_by_text("journey.shopper@example.com").first).to_be_visible()
    screenshot("register-signed-in")
    assert User.objects.filter(email="journey.shopper@example.com").count() == 1

    # Still signed in on the next page: the account pages do not send the shopper to login.
    page.goto(page.base_url + "/shop/accounts/addresses/")
    assert "/shop/accounts/login/" not in page.url
