"""The consumer's checkout and payment pages, the order pages and the dashboard's refund form,
through Django's test client (payments against localstripe where money moves)."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from orders import reference
from orders.models import OrderStatus
from payments import services
from payments.checkout.views import PaymentDetailsView
from payments.models import PaymentStatus, Refund, StripePayment
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order
from tests.support.localstripe import free_port

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

ADDRESS = {
    "first_name": "王小明",
    "phone_number": "138 1234 5678",
    "state": "安徽省",
    "line4": "淮北市",
    "line3": "烈山区",
    "line1": "烈山镇榴园路 8 号",
    "postcode": "",
    "notes": "工作日送货",
}


@pytest.fixture
def consumer(client):
    user = UserFactory(email="consumer@example.com")
    client.force_login(user)
    return user


def fill_basket(client, *items):
    for product, quantity in items:
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def checkout_to_preview(client):
    assert client.get(reverse("checkout:index")).url == reverse("checkout:shipping-address")
    response = client.post(reverse("checkout:shipping-address"), ADDRESS)
    assert response.status_code == 302, response.context["form"].errors
    # One shipping method: chosen automatically; card is the only payment method.
    response = client.get(reverse("checkout:shipping-method"))
    response = client.get(response.url)
    assert response.url == reverse("checkout:preview")
    return client.get(reverse("checkout:preview"))


def place(client):
    return client.post(reverse("checkout:preview"), {"action": "place_order"})


def texts(response):
    return [str(m) for m in response.context["messages"]]


def test_checkout_needs_a_signed_in_customer(client, catalogue):
    fill_basket(client, (catalogue["rice"], 1))
    response = client.get(reverse("checkout:index"))
    assert response.status_code == 302
    assert reverse("customer:login") in response.url


def test_the_address_form_wants_a_mainland_mobile_and_a_full_address(client, consumer, catalogue):
    fill_basket(client, (catalogue["rice"], 1))

    response = client.post(
        reverse("checkout:shipping-address"), {**ADDRESS, "phone_number": "12345", "line3": ""}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["phone_number"] == ["请输入正确的 11 位手机号码，如 13812345678。"]
    assert "line3" in errors
    html = response.content.decode()
    for label in ("收货人", "手机号码", "省/自治区/直辖市", "市", "区/县", "详细地址"):
        assert label in html


def test_the_preview_groups_lines_by_supplier_with_each_suppliers_shipping(
    client, consumer, catalogue
):
    fill_basket(
        client, (catalogue["pomegranate"], 1), (catalogue["grapes"], 1), (catalogue["rice"], 1)
    )

    response = checkout_to_preview(client)

    quotes = response.context["supplier_quotes"]
    assert [(q.partner.name, q.subtotal, q.fee) for q in quotes] == [
        ("淮北塔山石榴专业合作社", Decimal("107.90"), Decimal("0.00")),
        ("濉溪县濉河农业发展有限公司", Decimal("59.90"), Decimal("8.00")),
    ]
    assert response.context["order_total"].incl_tax == Decimal("175.80")
    html = response.content.decode()
    assert "安徽省 淮北市 烈山区 烈山镇榴园路 8 号" in html
    assert "提交订单并支付" in html and "¥175.80" in html


def test_placing_the_order_leads_to_its_payment_page_and_only_its_owner_sees_it(
    client, consumer, catalogue, localstripe
):
    fill_basket(client, (catalogue["rice"], 2))
    checkout_to_preview(client)

    response = place(client)

    order = Order.objects.get()
    assert response.url == reverse("checkout:pay", kwargs={"order_number": order.number})
    assert order.status == OrderStatus.PENDING
    page = client.get(response.url)
    html = page.content.decode()
    assert f'src="{localstripe.js_url}"' in html
    assert "确认付款 ¥119.80" in html
    assert "返回购物车修改" in html
    assert client.get(reverse("basket:summary")).context["basket"].is_empty

    client.force_login(UserFactory())
    assert client.get(response.url).status_code == 404
    pay_card = reverse("checkout:pay-card", kwargs={"order_number": order.number})
    assert client.post(pay_card, {"payment_method": "pm_x"}).status_code == 404


def test_placing_an_order_when_stock_ran_out_keeps_the_basket_with_a_clear_message(
    client, consumer, catalogue, monkeypatch
):
    fill_basket(client, (catalogue["rice"], 2))
    checkout_to_preview(client)
    # Others buy the stock after the checkout's own availability checks have passed.
    monkeypatch.setattr(PaymentDetailsView, "check_basket_is_valid", lambda self, request: None)
    record = catalogue["rice"].stockrecords.get()
    record.num_allocated = 99
    record.save()

    response = place(client)

    assert response.url == reverse("basket:summary")
    basket_page = client.get(response.url)
    assert texts(basket_page) == ["“濉溪大米 10kg”库存不足：需要 2 件，仅剩 1 件。"]
    assert Order.objects.count() == 0
    assert basket_page.context["basket"].num_items == 2


def test_paying_with_a_good_card_shows_the_order_paid(client, consumer, catalogue, localstripe):
    order = place_pending_order(consumer, (catalogue["pomegranate"], 1), (catalogue["rice"], 1))
    pay_card = reverse("checkout:pay-card", kwargs={"order_number": order.number})

    response = client.post(pay_card, {"payment_method": localstripe.payment_method()})

    assert response.json() == {"status": "succeeded", "redirect": reverse("checkout:thank-you")}
    thank_you = client.get(reverse("checkout:thank-you")).content.decode()
    assert "付款成功" in thank_you and order.number in thank_you
    assert (
        '<span class="hn-order-status hn-order-status--paid" id="order-status">已付款</span>'
        in (thank_you)
    )
    detail = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert "已付款" in detail.content.decode()
    listing = client.get(reverse("customer:order-list")).content.decode()
    assert order.number in listing and "已付款" in listing


def test_a_declined_card_is_a_chinese_message_and_another_card_can_be_tried(
    client, consumer, catalogue, localstripe
):
    order = place_pending_order(consumer, (catalogue["rice"], 1))
    pay_card = reverse("checkout:pay-card", kwargs={"order_number": order.number})

    declined = client.post(
        pay_card, {"payment_method": localstripe.payment_method("4000000000000341")}
    )

    assert declined.status_code == 402
    assert declined.json() == {
        "status": "failed",
        "message": "银行卡被拒绝，未扣款。请更换银行卡或联系发卡银行。",
    }
    page = client.get(reverse("checkout:pay", kwargs={"order_number": order.number}))
    assert "银行卡被拒绝" in page.content.decode()  # shown again after a reload
    assert (
        client.post(pay_card, {"payment_method": localstripe.payment_method()}).json()["status"]
        == "succeeded"
    )


def test_3d_secure_hands_the_client_secret_to_the_browser_then_confirms(
    client, consumer, catalogue, localstripe
):
    order = place_pending_order(consumer, (catalogue["rice"], 1))
    kwargs = {"order_number": order.number}

    first = client.post(
        reverse("checkout:pay-card", kwargs=kwargs),
        {"payment_method": localstripe.payment_method("4000002760003184")},
    ).json()
    assert first["status"] == "requires_action"
    payment = StripePayment.objects.get(pk=first["payment"])
    assert first["client_secret"] == payment.client_secret

    localstripe.authenticate(payment.intent_id, payment.client_secret)
    confirmed = client.post(reverse("checkout:pay-confirm", kwargs=kwargs), {"payment": payment.pk})

    assert confirmed.json()["status"] == "succeeded"
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_stripe_unreachable_withdraws_the_order_and_gives_the_basket_back(
    client, consumer, catalogue, stripe_down
):
    order = place_pending_order(consumer, (catalogue["rice"], 2))
    kwargs = {"order_number": order.number}

    response = client.post(
        reverse("checkout:pay-card", kwargs=kwargs), {"payment_method": "pm_1234"}
    )

    assert response.status_code == 503
    message = "支付服务暂时不可用，订单未提交，商品已放回购物车，请稍后再试。"
    assert response.json() == {
        "status": "failed",
        "message": message,
        "redirect": reverse("basket:summary"),
    }
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert not Order.objects.filter(user=consumer).exclude(status=OrderStatus.CANCELLED).exists()
    assert catalogue["rice"].stockrecords.get().num_allocated == 0
    assert list(order.stripe_payments.values_list("intent_id", flat=True)) == [None]

    basket_page = client.get(reverse("basket:summary"))
    assert texts(basket_page) == [message]
    assert {
        line.product.title: line.quantity for line in basket_page.context["basket"].all_lines()
    } == {"濉溪大米 10kg": 2}


def test_stripe_unreachable_on_a_retry_keeps_an_order_whose_earlier_attempt_is_live(
    client, consumer, catalogue, localstripe, settings
):
    order = place_pending_order(consumer, (catalogue["rice"], 1))
    kwargs = {"order_number": order.number}
    first = client.post(
        reverse("checkout:pay-card", kwargs=kwargs),
        {"payment_method": localstripe.payment_method("4000002760003184")},
    ).json()
    assert first["status"] == "requires_action"

    settings.STRIPE_API_BASE = f"http://127.0.0.1:{free_port()}"  # nobody listens
    response = client.post(
        reverse("checkout:pay-card", kwargs=kwargs), {"payment_method": "pm_1234"}
    )

    assert response.status_code == 503
    assert response.json()["message"] == "支付服务暂时不可用，请稍后再试。"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING
    assert catalogue["rice"].stockrecords.get().num_allocated == 1


def test_the_order_page_shows_shipments_per_supplier_and_the_status_follows_them(
    client, consumer, catalogue, localstripe
):
    order = place_pending_order(consumer, (catalogue["pomegranate"], 1), (catalogue["rice"], 1))
    services.payment_attempt_create(order=order, payment_method_id=localstripe.payment_method())
    shipped = reference.shipping_event_type(reference.SHIPPING_EVENT_SHIPPED)
    delivered = reference.shipping_event_type(reference.SHIPPING_EVENT_DELIVERED)
    staff = UserFactory(email="ops@example.com", is_staff=True, is_superuser=True)
    lines = {line.partner_name: line for line in order.lines.all()}
    dashboard = reverse("dashboard:order-detail", kwargs={"number": order.number})

    def ship(line, event_type, reference_text):
        client.force_login(staff)
        client.post(
            dashboard,
            {
                "line_action": "create_shipping_event",
                "selected_line": [line.pk],
                f"selected_line_qty_{line.pk}": line.quantity,
                "shipping_event_type": event_type.code,
                "reference": reference_text,
            },
        )
        client.force_login(consumer)
        order.refresh_from_db()
        return order.status

    assert ship(lines["淮北塔山石榴专业合作社"], shipped, "SF1001") == OrderStatus.PAID
    assert ship(lines["濉溪县濉河农业发展有限公司"], shipped, "YT2002") == OrderStatus.SHIPPED
    assert catalogue["rice"].stockrecords.get().num_in_stock == 99  # consumed on shipping
    html = client.get(
        reverse("customer:order", kwargs={"order_number": order.number})
    ).content.decode()
    assert "已发货" in html and "SF1001" in html and "YT2002" in html
    assert html.index("淮北塔山石榴专业合作社") < html.index("塔山石榴 精品礼盒 6枚装")

    ship(lines["淮北塔山石榴专业合作社"], delivered, "")
    assert ship(lines["濉溪县濉河农业发展有限公司"], delivered, "") == OrderStatus.COMPLETED


def test_staff_refund_from_the_dashboard_order_page(
    client, consumer, catalogue, localstripe, django_capture_on_commit_callbacks
):
    order = place_pending_order(consumer, (catalogue["rice"], 1))  # 59.90 + 8.00
    services.payment_attempt_create(order=order, payment_method_id=localstripe.payment_method())
    staff = UserFactory(email="ops@example.com", is_staff=True, is_superuser=True)
    client.force_login(staff)
    dashboard = reverse("dashboard:order-detail", kwargs={"number": order.number})
    refund_url = reverse("payments:order-refund-create", kwargs={"number": order.number})

    page = client.get(dashboard).content.decode()
    assert "可退金额 ¥67.90" in page and refund_url in page

    with django_capture_on_commit_callbacks(execute=True):  # the refund task, after commit
        response = client.post(refund_url, {"amount": "67.90", "reason": "顾客拒收"}, follow=True)

    assert texts(response) == ["已提交退款 ¥67.90，结果见下方退款记录。"]
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    too_much = client.post(refund_url, {"amount": "1.00", "reason": "再退"}, follow=True)
    assert texts(too_much) == ["订单状态为“已退款”，不能退款。"]
    assert Refund.objects.count() == 1

    client.force_login(consumer)
    html = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content
    assert "顾客拒收" in html.decode() and "已退款" in html.decode()


def test_a_customer_cannot_refund(client, consumer, catalogue, localstripe):
    order = place_pending_order(consumer, (catalogue["rice"], 1))
    services.payment_attempt_create(order=order, payment_method_id=localstripe.payment_method())
    refund_url = reverse("payments:order-refund-create", kwargs={"number": order.number})

    response = client.post(refund_url, {"amount": "1.00", "reason": "x"})

    assert response.status_code == 302 and "login" in response.url
    assert Refund.objects.count() == 0
    assert StripePayment.objects.get().status == PaymentStatus.SUCCEEDED
