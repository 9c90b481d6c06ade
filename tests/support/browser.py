"""One Chromium per test session (per xdist worker), shared by every folder's browser tests:
Playwright's sync API may be started only once in a thread."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make browsers` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


# Chromium reports each blocked script, style, frame or request on the console; the event
# listener also catches what it reports only to the page.
_REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error(`Content Security Policy violation: ${e.effectiveDirective} ${e.blockedURI}`);
});
"""


def watch_csp_violations(page) -> list[str]:
    """The Content-Security-Policy violations of ``page`` from now on, as Chromium logs them
    (the list grows as the page runs)."""
    found: list[str] = []
    page.add_init_script(_REPORT_VIOLATIONS)
    page.on(
        "console",
        lambda msg: (
            found.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    return found
