"""Browser tests: Playwright driving Debian's Chromium (the session's ``browser`` fixture, in
tests/support/browser.py) against pytest-django's live server."""

import os
from pathlib import Path

import pytest

from tests.organisations.conftest import (  # noqa: F401 (the union's group order journey)
    types,
    union,
    union_approver,
    union_buyer,
    union_rule,
)
from tests.procurement.conftest import (  # noqa: F401 (the procurement journeys' fixtures)
    approval_rule,
    approver,
    city_staff,
    county_staff,
    filing,
    policy_year,
    purchaser,
    registrant,
    registration,
    rice_staff,
    supplier_staff,
    unit,
)
from tests.support.browser import watch_csp_violations

SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp/huinong-e2e"))


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = watch_csp_violations(page)
    outside = []
    page.on(
        "request",
        lambda req: (
            outside.append(req.url)
            if not req.url.startswith((live_server.url, "data:", "blob:"))
            else None
        ),
    )
    page.base_url = live_server.url
    yield page
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert violations == [], "the Content-Security-Policy blocked something"


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def contexts(browser, live_server):
    """``contexts(user, width=..., height=...)``: a Chromium page (zh-CN) signed in as
    ``user``, in a context of its own (1280 x 900 unless told); ``page.base_url`` is the live
    server's."""
    opened = []
    violations = []

    def open_as(user, *, width: int = 1280, height: int = 900):
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.csp_violations = watch_csp_violations(page)
        violations.append(page.csp_violations)
        page.base_url = live_server.url
        page.goto(live_server.url + "/shop/accounts/login/")
        page.fill("#id_login-username", user.email)
        page.fill("#id_login-password", "huinong-test")
        page.click("button[name=login_submit]")
        page.wait_for_load_state()
        opened.append(context)
        return page

    yield open_as
    for context in opened:
        context.close()
    assert [found for found in violations if found] == [], "the CSP blocked something"
