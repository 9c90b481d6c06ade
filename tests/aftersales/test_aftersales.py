"""After-sales: a shopper asks on a paid line, the line's supplier answers, an agreed case is
refunded once through Stripe (localstripe) and counts as negative sales of that line."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from aftersales import services
from aftersales.exceptions import (
    AfterSalesAmountInvalidError,
    AfterSalesCaseOpenError,
    AfterSalesInputError,
    AfterSalesNotFoundError,
    AfterSalesStateError,
    AfterSalesWindowClosedError,
)
from aftersales.models import (
    AfterSalesAction,
    AfterSalesCase,
    AfterSalesEvent,
    AfterSalesPhoto,
    AfterSalesStatus,
    SupplierAfterSalesPolicy,
)
from aftersales.tasks import aftersales_auto_agree_task
from payments.models import Refund, RefundStatus
from reports.models import SalesFact
from suppliers.models import SupplierNotice
from tests.factories.accounts import UserFactory
from tests.factories.aftersales import case_open, line_deliver

pytestmark = pytest.mark.django_db

Notification = get_model("communication", "Notification")


def png(name="broken.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def stripe_refunds(localstripe, line):
    intent = line.order.stripe_payments.get().intent_id
    return localstripe.client().v1.refunds.list({"payment_intent": intent}).data


def agree(client, user, case, committed):
    client.force_login(user)
    with committed():
        return client.post(reverse("aftersales:supplier-case", args=[case.pk]), {"action": "agree"})


def line_facts(line):
    return sorted(SalesFact.objects.filter(line_id=line.pk).values_list("quantity", "amount"))


# ---------------------------------------------------------------------------
# The journey: ask, agree, refunded everywhere
# ---------------------------------------------------------------------------
def test_a_shopper_asks_on_the_order_page_and_the_supplier_is_told(
    client, shopper, order, line, seller, committed
):
    client.force_login(shopper)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    request_url = reverse("aftersales:request", args=[line.pk])
    assert request_url in page.content.decode()
    mail.outbox.clear()  # the order's confirmation

    with committed():
        response = client.post(
            request_url, {"kind": "refund", "reason": "果子有坏的", "amount": "20.00"}
        )

    case = AfterSalesCase.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "aftersales:case", args=[case.pk]
    )
    assert (case.status, case.amount, case.kind, case.partner, case.user) == (
        AfterSalesStatus.REQUESTED,
        Decimal("20.00"),
        "refund",
        line.partner,
        shopper,
    )
    assert case.reply_due_at > timezone.now() + datetime.timedelta(days=2)
    assert list(case.events.values_list("action", "to_status", "actor")) == [
        (AfterSalesAction.REQUEST, AfterSalesStatus.REQUESTED, shopper.pk)
    ]
    notice = SupplierNotice.objects.get(partner=line.partner)
    assert notice.kind == "aftersales" and case.number in notice.message
    assert [m.to for m in mail.outbox] == [["supplier@example.com"]]
    # The line's button is gone while the case is open; the case is listed instead.
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert request_url not in page.content.decode() and case.number in page.content.decode()


def test_the_supplier_agrees_and_the_refund_shows_for_both_in_the_dashboard_and_in_sales(
    client, shopper, order, line, rice_line, seller, localstripe, committed
):
    case = case_open(shopper, line, amount="20.00")
    mail.outbox.clear()
    before_rice = line_facts(rice_line)

    response = agree(client, seller, case, committed)

    assert response.status_code == 302
    case.refresh_from_db()
    refund = case.refund
    assert (case.status, refund.status, refund.amount, refund.line, refund.key) == (
        AfterSalesStatus.REFUNDED,
        RefundStatus.SUCCEEDED,
        Decimal("20.00"),
        line,
        f"aftersales-{case.pk}",
    )
    assert [r.amount for r in stripe_refunds(localstripe, line)] == [2000]
    assert list(case.events.values_list("action", "actor")) == [
        (AfterSalesAction.REQUEST, shopper.pk),
        (AfterSalesAction.AGREE, seller.pk),
        (AfterSalesAction.REFUNDED, None),
    ]
    assert Notification.objects.filter(recipient=shopper).count() == 2  # agreed, refunded
    assert {tuple(m.to) for m in mail.outbox} == {
        ("consumer@example.com",),
        ("supplier@example.com",),
    }
    # Shopper's order page, supplier's order page, Oscar's dashboard: the refund.
    client.force_login(shopper)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert "售后 " + case.number in page.content.decode()
    assert "¥20.00" in page.content.decode()
    client.force_login(seller)
    page = client.get(reverse("suppliers:order-detail", args=[order.number])).content.decode()
    assert case.number in page and "已退款" in page
    client.force_login(UserFactory(email="ops@example.com", is_staff=True, is_superuser=True))
    page = client.get(reverse("dashboard:order-detail", kwargs={"number": order.number}))
    assert "售后 " + case.number in page.content.decode()
    # Sales facts: -20.00 on the pomegranate line only; the rice line is untouched.
    assert line_facts(line) == [(0, Decimal("-20.00")), (1, Decimal("68.00"))]
    assert line_facts(rice_line) == before_rice


def test_agreeing_twice_refunds_once(client, shopper, line, seller, localstripe, committed):
    case = case_open(shopper, line)
    agree(client, seller, case, committed)

    again = agree(client, seller, case, committed)
    with pytest.raises(AfterSalesStateError):
        services.aftersales_agree(user=seller, case_id=case.pk)

    assert again.status_code == 400 and "不能改为" in again.content.decode()
    assert Refund.objects.count() == 1
    assert len(stripe_refunds(localstripe, line)) == 1
    assert case.events.filter(action=AfterSalesAction.AGREE).count() == 1


def test_the_refund_service_gives_back_the_same_refund_for_the_same_case(shopper, line, seller):
    from orders.services import order_lock
    from payments.services import refund_for_line

    case = case_open(shopper, line)
    first = refund_for_line(
        order=order_lock(line.order), line=line, amount=Decimal("20.00"), reason="x", key="k-1"
    )
    second = refund_for_line(
        order=order_lock(line.order), line=line, amount=Decimal("20.00"), reason="x", key="k-1"
    )
    assert first.pk == second.pk and Refund.objects.count() == 1
    assert first.idempotency_key == "k-1" and case.idempotency_key == f"aftersales-{case.pk}"


# ---------------------------------------------------------------------------
# The shopper's refusals
# ---------------------------------------------------------------------------
def test_outside_the_window_there_is_no_button_and_a_post_is_refused(
    client, shopper, order, line, seller
):
    line_deliver(line, at=timezone.now() - datetime.timedelta(days=8))  # default: 7 days
    client.force_login(shopper)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    url = reverse("aftersales:request", args=[line.pk])
    assert url not in page.content.decode()

    response = client.post(url, {"kind": "refund", "reason": "晚了", "amount": "10.00"})

    assert response.status_code == 400
    assert "已超过售后期限（签收后 7 天内" in response.content.decode()
    assert not AfterSalesCase.objects.exists() and not SupplierNotice.objects.exists()


def test_the_suppliers_own_window_counts(shopper, line, seller):
    from aftersales.selectors import line_aftersales_state

    SupplierAfterSalesPolicy.objects.create(partner=line.partner, window_days=15)
    line_deliver(line, at=timezone.now() - datetime.timedelta(days=8))
    later = timezone.now() + datetime.timedelta(days=8)

    assert isinstance(
        line_aftersales_state(line=line, now=later).refusal, AfterSalesWindowClosedError
    )
    assert case_open(shopper, line).status == AfterSalesStatus.REQUESTED


def test_a_line_shipped_but_never_signed_for_counts_as_received_ten_days_later(shopper, line):
    from tests.factories.aftersales import ShippingEvent

    line_deliver(line, at=timezone.now() - datetime.timedelta(days=18))
    ShippingEvent.objects.filter(event_type__code="delivered").delete()
    with pytest.raises(AfterSalesWindowClosedError):
        case_open(shopper, line)
    assert not AfterSalesCase.objects.exists()


@pytest.mark.parametrize("amount", ["68.01", "0", "-1.00"])
def test_more_than_the_line_paid_or_nothing_is_refused(client, shopper, line, amount):
    client.force_login(shopper)
    response = client.post(
        reverse("aftersales:request", args=[line.pk]),
        {"kind": "refund", "reason": "太多", "amount": amount},
    )
    assert response.status_code == 400
    assert not AfterSalesCase.objects.exists()
    with pytest.raises(AfterSalesAmountInvalidError, match=r"¥68\.00"):
        case_open(shopper, line, amount="68.01")


def test_what_was_refunded_already_is_not_refundable_again(
    client, shopper, line, seller, committed
):
    agree(client, seller, case_open(shopper, line, amount="50.00"), committed)

    with pytest.raises(AfterSalesAmountInvalidError, match=r"¥18\.00"):
        case_open(shopper, line, amount="18.01")
    assert case_open(shopper, line, amount="18.00").status == AfterSalesStatus.REQUESTED


def test_a_second_open_case_on_the_same_line_is_refused(client, shopper, line):
    first = case_open(shopper, line)
    client.force_login(shopper)
    response = client.post(
        reverse("aftersales:request", args=[line.pk]),
        {"kind": "return", "reason": "再来", "amount": "5.00"},
    )
    assert response.status_code == 400 and first.number in response.content.decode()
    with pytest.raises(AfterSalesCaseOpenError):
        case_open(shopper, line)
    assert list(AfterSalesCase.objects.values_list("pk", flat=True)) == [first.pk]


def test_another_users_order_line_is_not_found(client, line):
    stranger = UserFactory(email="stranger@example.com")
    client.force_login(stranger)
    url = reverse("aftersales:request", args=[line.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"kind": "refund", "reason": "x", "amount": "1"}).status_code == 404
    with pytest.raises(AfterSalesNotFoundError):
        case_open(stranger, line)
    assert not AfterSalesCase.objects.exists()


def test_another_users_case_is_not_found(client, shopper, line):
    case = case_open(shopper, line)
    client.force_login(UserFactory(email="stranger@example.com"))
    url = reverse("aftersales:case", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "cancel"}).status_code == 404
    case.refresh_from_db()
    assert case.status == AfterSalesStatus.REQUESTED


def test_an_unpaid_order_has_no_after_sales(shopper, catalogue):
    from tests.factories.payments import place_pending_order

    pending = place_pending_order(shopper, (catalogue["pomegranate"], 1))
    with pytest.raises(Exception, match="只有已付款的网购订单商品"):
        case_open(shopper, pending.lines.get())
    assert not AfterSalesCase.objects.exists()


def test_damage_needs_a_photo_and_only_images_pass(client, shopper, line, seller):
    with pytest.raises(AfterSalesInputError, match="至少一张照片"):
        case_open(shopper, line, kind="damaged")
    fake = SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")
    with pytest.raises(AfterSalesInputError, match="只接受"):
        case_open(shopper, line, kind="damaged", photos=[fake])
    assert not AfterSalesCase.objects.exists()

    client.force_login(shopper)
    response = client.post(
        reverse("aftersales:request", args=[line.pk]),
        {"kind": "damaged", "reason": "外箱压坏", "amount": "30.00", "photos": [png(), png()]},
    )
    case = AfterSalesCase.objects.get()
    assert response.status_code == 302 and case.photos.count() == 2
    photo = case.photos.first()
    assert photo.content_type == "image/png" and photo.file.name.endswith(".png")
    url = reverse("aftersales:photo", args=[photo.pk])
    assert client.get(url).status_code == 200
    client.force_login(seller)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(email="stranger@example.com"))
    assert client.get(url).status_code == 404


def test_the_shopper_withdraws_an_open_case(client, shopper, line, seller):
    case = case_open(shopper, line)
    client.force_login(shopper)
    response = client.post(reverse("aftersales:case", args=[case.pk]), {"action": "cancel"})
    case.refresh_from_db()
    assert response.status_code == 302 and case.status == AfterSalesStatus.CANCELLED
    assert case.reply_due_at is None
    # A withdrawn case is closed: the line may have a new one.
    assert case_open(shopper, line).status == AfterSalesStatus.REQUESTED


# ---------------------------------------------------------------------------
# The supplier's answers and refusals
# ---------------------------------------------------------------------------
def test_another_supplier_cannot_see_or_answer_the_case(
    client, shopper, line, other_seller, committed
):
    case = case_open(shopper, line)
    client.force_login(other_seller)
    url = reverse("aftersales:supplier-case", args=[case.pk])
    assert client.get(url).status_code == 404
    with committed():
        assert client.post(url, {"action": "agree"}).status_code == 404
    assert case.number not in client.get(reverse("aftersales:supplier-list")).content.decode()
    with pytest.raises(AfterSalesNotFoundError):
        services.aftersales_agree(user=other_seller, case_id=case.pk)
    case.refresh_from_db()
    assert case.status == AfterSalesStatus.REQUESTED and not Refund.objects.exists()


def test_a_refusal_needs_a_reason_and_tells_the_shopper(client, shopper, line, seller, committed):
    case = case_open(shopper, line)
    client.force_login(seller)
    url = reverse("aftersales:supplier-case", args=[case.pk])
    response = client.post(url, {"action": "refuse", "reason": " "})
    assert response.status_code == 400 and "拒绝售后必须填写原因" in response.content.decode()
    case.refresh_from_db()
    assert case.status == AfterSalesStatus.REQUESTED

    with committed():
        client.post(url, {"action": "refuse", "reason": "照片显示商品完好"})

    case.refresh_from_db()
    assert (case.status, case.refuse_reason, case.reply_due_at) == (
        AfterSalesStatus.REFUSED,
        "照片显示商品完好",
        None,
    )
    event = case.events.last()
    assert (event.action, event.actor, event.note) == ("refuse", seller, "照片显示商品完好")
    assert "照片显示商品完好" in Notification.objects.get(recipient=shopper).body
    assert not Refund.objects.exists()


def test_goods_back_then_receipt_then_refund(client, shopper, line, seller, localstripe, committed):
    case = case_open(shopper, line, kind="return", amount="68.00")
    client.force_login(seller)
    url = reverse("aftersales:supplier-case", args=[case.pk])
    with committed():
        client.post(
            url, {"action": "return", "return_address": "淮北市烈山区榴园路 8 号 合作社仓库"}
        )
    case.refresh_from_db()
    assert case.status == AfterSalesStatus.RETURN_REQUESTED and case.reply_due_at is None
    # The supplier cannot refund before the goods are on their way back.
    assert agree(client, seller, case, committed).status_code == 400

    client.force_login(shopper)
    shopper_url = reverse("aftersales:case", args=[case.pk])
    refused = client.post(
        shopper_url, {"action": "ship", "carrier": "顺丰速运", "tracking_number": "SF 1"}
    )
    assert refused.status_code == 400 and "运单号" in refused.content.decode()
    with committed():
        client.post(
            shopper_url,
            {"action": "ship", "carrier": "顺丰速运", "tracking_number": "SF1234567890123"},
        )
    case.refresh_from_db()
    assert (case.status, case.return_carrier, case.return_tracking) == (
        AfterSalesStatus.RETURN_SHIPPED,
        "顺丰速运",
        "SF1234567890123",
    )
    assert case.reply_due_at is not None

    agree(client, seller, case, committed)

    case.refresh_from_db()
    assert case.status == AfterSalesStatus.REFUNDED and case.refund.amount == Decimal("68.00")
    assert [e.action for e in case.events.all()] == [
        "request",
        "return_request",
        "return_ship",
        "return_receive",
        "refunded",
    ]
    assert [r.amount for r in stripe_refunds(localstripe, line)] == [6800]


# ---------------------------------------------------------------------------
# The deadline
# ---------------------------------------------------------------------------
def test_a_case_the_supplier_leaves_unanswered_is_agreed_by_the_beat_task(
    shopper, line, rice_line, seller, localstripe, committed
):
    due = case_open(shopper, line, amount="10.00")
    waiting = case_open(shopper, rice_line, amount="5.00")
    AfterSalesCase.objects.filter(pk=due.pk).update(
        reply_due_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    with committed():
        assert aftersales_auto_agree_task() == 1
    with committed():
        assert aftersales_auto_agree_task() == 0  # idempotent

    due.refresh_from_db()
    waiting.refresh_from_db()
    assert due.status == AfterSalesStatus.REFUNDED and due.refund.amount == Decimal("10.00")
    auto = due.events.get(action=AfterSalesAction.AUTO_AGREE)
    assert auto.actor is None and "系统自动同意" in auto.note
    assert waiting.status == AfterSalesStatus.REQUESTED and waiting.refund is None
    assert [r.amount for r in stripe_refunds(localstripe, line)] == [1000]


# ---------------------------------------------------------------------------
# Lists: queries do not grow with rows
# ---------------------------------------------------------------------------
def test_the_list_pages_cost_the_same_queries_for_one_case_or_many(
    client, shopper, catalogue, seller, localstripe, django_assert_num_queries
):
    from tests.factories.aftersales import card_paid_order

    def new_case():
        order = card_paid_order(
            shopper, localstripe.payment_method(), (catalogue["pomegranate"], 1)
        )
        case_open(shopper, order.lines.get(), amount="1.00")

    def count(user, url):
        client.force_login(user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client.get(url)  # the site's chrome cached
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    new_case()
    few = (
        count(shopper, reverse("aftersales:mine")),
        count(seller, reverse("aftersales:supplier-list")),
    )
    new_case()
    new_case()
    many = (
        count(shopper, reverse("aftersales:mine")),
        count(seller, reverse("aftersales:supplier-list")),
    )
    assert few == many


# ---------------------------------------------------------------------------
# Supplier terms
# ---------------------------------------------------------------------------
def test_the_supplier_sets_its_window_within_bounds(client, seller, catalogue):
    client.force_login(seller)
    url = reverse("aftersales:supplier-list")
    refused = client.post(url, {"window_days": "90", "return_address": ""})
    assert refused.status_code == 400 and "1 到 60 天" in refused.content.decode()
    assert not SupplierAfterSalesPolicy.objects.exists()
    client.post(url, {"window_days": "15", "return_address": "烈山区榴园路 8 号"})
    policy = SupplierAfterSalesPolicy.objects.get()
    assert (policy.partner, policy.window_days) == (catalogue["supplier"], 15)


def test_every_move_is_an_audited_event(shopper, line, seller):
    case = case_open(shopper, line)
    services.aftersales_refuse(user=seller, case_id=case.pk, reason="不符合售后条件")
    assert AfterSalesEvent.objects.filter(case=case).count() == 2
    with pytest.raises(AfterSalesStateError):
        services.aftersales_cancel(user=shopper, case_id=case.pk)
    assert AfterSalesEvent.objects.filter(case=case).count() == 2
    assert AfterSalesPhoto.objects.count() == 0
