"""A consumer pays for a two-supplier basket in the browser with the test card and sees 已付款.

Stripe.js is localstripe's stand-in, served by the localstripe process on 127.0.0.1, and
localstripe delivers the signed webhook to the live server: no request leaves the machine.
"""

import re
import time

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from orders.models import OrderStatus
from payments.models import StripeEvent
from tests.e2e.conftest import SCREENSHOTS
from tests.factories.accounts import UserFactory
from tests.support.browser import watch_csp_violations

pytestmark = pytest.mark.django_db(transaction=True)

Order = get_model("order", "Order")


@pytest.fixture
def shop(browser, live_server, localstripe, home_page):
    """A page that may talk to the live server and to localstripe, both on this machine."""
    localstripe.register_webhook(f"{live_server.url}/payments/stripe/webhook/")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = watch_csp_violations(page)
    allowed = (live_server.url, localstripe.url, "data:", "blob:")
    outside = []
    page.on("request", lambda req: None if req.url.startswith(allowed) else outside.append(req.url))
    page.base_url = live_server.url
    yield page
    context.close()
    # The live server outlives this test: later tests' payments must not be delivered to it.
    localstripe.register_webhook("http://127.0.0.1:9/")
    assert outside == [], f"requests left the machine: {outside}"


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def wait_for(condition, *, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def add_to_basket(page, title):
    page.goto(page.base_url + "/shop/catalogue/")
    page.get_by_role("link", name=title).first.click()
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_consumer_pays_for_a_two_supplier_basket_with_the_test_card(shop, catalogue, localstripe):
    page = shop
    UserFactory(email="consumer@example.com", password="huinong-test")

    page.goto(page.base_url + "/")
    page.get_by_role("link", name="塔山石榴 精品礼盒 6枚装").first.click()
    page.locator("#add_to_basket_form button[type=submit]").click()
    page.wait_for_load_state()
    add_to_basket(page, "濉溪大米 10kg")
    page.goto(page.base_url + "/shop/basket/")
    page.locator("#hn-checkout").click()

    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.locator("#login_form input[name=login-username]").fill("consumer@example.com")
    page.locator("#login_form input[name=login-password]").fill("huinong-test")
    page.locator("#login_form button[name=login_submit]").click()

    page.wait_for_url(re.compile(r"/shop/checkout/shipping-address/"))
    page.get_by_label("收货人").fill("王小明")
    page.get_by_label("手机号码").fill("13812345678")
    # The cascading picker (bundled division table) turns the three inputs into selects.
    page.locator("select#id_state").wait_for()
    page.get_by_label("省/自治区/直辖市").select_option("安徽省")
    page.get_by_label("市", exact=True).select_option("淮北市")
    page.get_by_label("区/县").select_option("烈山区")
    assert page.locator("input[name=region_code]").input_value() == "340604"
    page.get_by_label("详细地址").fill("烈山镇榴园路 8 号")
    screenshot(page, "checkout-address")
    page.get_by_role("button", name="下一步：确认订单").click()

    page.wait_for_url(re.compile(r"/shop/checkout/preview/"))
    suppliers = page.locator(".hn-co-supplier h2").all_inner_texts()
    assert [s.strip() for s in suppliers] == [
        "淮北塔山石榴专业合作社",
        "濉溪县濉河农业发展有限公司",
    ]
    expect(page.locator("#order-total")).to_have_text("¥143.90")
    screenshot(page, "checkout-preview")
    page.get_by_role("button", name="提交订单并支付").click()

    page.wait_for_url(re.compile(r"/shop/checkout/pay/"))
    # Stripe.js runs under the payment page's Content-Security-Policy.
    policy = page.evaluate(
        "async () => (await fetch(location.href)).headers.get('content-security-policy')"
    )
    assert "script-src 'self' 'nonce-" in policy and localstripe.url in policy
    card = page.locator("#hn-card-element")
    card.locator("input[placeholder=number]").fill("4242424242424242")
    card.locator("input[placeholder=exp_month]").fill("12")
    card.locator("input[placeholder=exp_year]").fill("34")
    card.locator("input[placeholder=cvc]").fill("123")
    screenshot(page, "checkout-pay")
    page.locator("#hn-pay-submit").click()

    page.wait_for_url(re.compile(r"/shop/checkout/thank-you/"))
    expect(page.locator("#order-status")).to_have_text("已付款")
    screenshot(page, "checkout-paid")

    order = Order.objects.get()
    assert order.status == OrderStatus.PAID
    assert wait_for(
        lambda: StripeEvent.objects.filter(
            type="payment_intent.succeeded", processed_at__isnull=False
        ).exists()
    ), "localstripe's signed webhook reached the shop and was processed"
    assert order.payment_events.filter(event_type__code="paid").count() == 1

    page.goto(f"{page.base_url}/shop/accounts/orders/{order.number}/")
    expect(page.locator("#order-status")).to_have_text("已付款")
    expect(page.get_by_text("濉溪县濉河农业发展有限公司").first).to_be_visible()
    screenshot(page, "order-detail")
    assert page.csp_violations == [], "the Content-Security-Policy blocked part of the journey"
