"""Browser tests: Playwright driving Debian's Chromium (the session's ``browser`` fixture, in
tests/support/browser.py) against pytest-django's live server."""

import os
from pathlib import Path

import pytest

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


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
