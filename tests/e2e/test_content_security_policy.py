"""The storefront's Content-Security-Policy in Chromium: a script injected into a real page
(inline without the nonce, an on*= handler, or from another host) does not run, and the
violation is seen by the watcher every other browser test relies on."""

from tests.support.browser import watch_csp_violations

INJECTED = (
    "<script>window.injected = 'inline'</script>"
    "<img src='data:,' onerror=\"window.injected = 'handler'\">"
    "<script src='http://127.0.0.1:9/evil.js'></script>"
)


def test_an_injected_script_does_not_run_under_the_storefront_policy(browser, live_server, db):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    violations = watch_csp_violations(page)

    def inject(route):
        response = route.fetch()
        body = response.text().replace("</main>", INJECTED + "</main>")
        route.fulfill(response=response, body=body)

    page.route(f"{live_server.url}/shop/catalogue/", inject)
    page.goto(f"{live_server.url}/shop/catalogue/")
    page.wait_for_load_state("load")

    assert page.evaluate("window.injected") is None
    assert page.evaluate("typeof oscar") == "object"  # the site's own scripts ran
    directives = {v.split(": ", 1)[-1].split(" ")[0] for v in violations if "violation:" in v}
    assert directives == {"script-src-elem", "script-src-attr"}
    context.close()
