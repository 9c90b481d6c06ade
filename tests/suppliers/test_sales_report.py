"""The supplier's sales (portal home, 销售统计 page, CSV) are its sales facts: net of consumer
refunds, of units short or damaged at a procurement acceptance and of procurement refunds,
dated as the bureau's reports date them. The facts are written by the app's own services and
the task they enqueue on commit (the hooks run here as a commit would run them)."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from orders.models import SalesChannel
from payments.models import Refund
from payments.services import refund_record_from_stripe
from procurement import services as procurement
from procurement.models import CountingEvent
from reports.models import FactSource, SalesFact
from reports.selectors.dashboard import drilldown
from reports.selectors.scope import ReportFilters
from suppliers.selectors import supplier_kpis, supplier_sales_facts
from tests.factories.accounts import UserFactory
from tests.factories.payments import place_pending_order
from tests.procurement.conftest import ship, submit
from tests.reports.conftest import at, pay

pytestmark = pytest.mark.django_db
D = Decimal
Line = get_model("order", "Line")

HEADER = ["日期", "订单号", "渠道", "商品", "SKU", "数量", "金额", "说明"]
POMEGRANATE = "塔山石榴 精品礼盒 6枚装"


def committed():
    """Run the on-commit hooks (the facts sync task) at the end of the block."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def paid(order, when):
    with committed():
        pay(order, when)
    return order


def refunded(order, amount: str, when):
    """A consumer refund as Stripe confirms it (the payments service applies it), dated
    ``when``."""
    with committed():
        payment = order.stripe_payments.get()
        refund = Refund.objects.create(
            order=order, payment=payment, amount=D(amount), reason="石榴开裂"
        )
        refund_record_from_stripe(
            stripe_refund={
                "id": f"re_{refund.pk}",
                "status": "succeeded",
                "metadata": {"refund_pk": str(refund.pk)},
            },
            payment=payment,
        )
        Refund.objects.filter(pk=refund.pk).update(applied_at=when)


def page(client, date_from, date_to) -> dict:
    """The figures of the sales page for the range, by ``data-kpi``."""
    response = client.get(
        reverse("suppliers:sales"),
        {"date_from": str(date_from), "date_to": str(date_to)},
    )
    assert response.status_code == 200
    return {
        "summary": response.context["summary"],
        "html": response.content.decode(),
    }


def kpi(html: str, name: str) -> str:
    start = html.index(f'data-kpi="{name}">') + len(f'data-kpi="{name}">')
    return html[start : html.index("<", start)]


def export(client, date_from, date_to) -> list[list[str]]:
    response = client.get(
        reverse("suppliers:sales"),
        {"date_from": str(date_from), "date_to": str(date_to), "format": "csv"},
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def tashan(client, catalogue, supplier_staff):
    """塔山 (the pomegranates' supplier) signed in."""
    client.force_login(supplier_staff)
    return catalogue["supplier"]


@pytest.fixture
def refunded_order(catalogue):
    """Two pomegranates (136.00, shipping free) paid on 3 March 2025, ¥68.00 refunded on
    10 March."""
    order = place_pending_order(UserFactory(), (catalogue["pomegranate"], 2))
    assert order.total_incl_tax == D("136.00")
    paid(order, at("2025-03-03"))
    refunded(order, "68.00", at("2025-03-10"))
    return order


def test_a_paid_then_partly_refunded_consumer_order_shows_the_net_and_the_refund_row(
    client, tashan, refunded_order, regions
):
    march = (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    shown = page(client, *march)
    html = shown["html"]
    assert kpi(html, "amount") == "¥68.00"
    assert kpi(html, "refunds") == "-¥68.00"
    assert (kpi(html, "quantity"), kpi(html, "orders")) == ("2", "1")
    summary = shown["summary"]
    assert [(r["date"], r["quantity"], r["amount"]) for r in summary["by_day"]] == [
        (datetime.date(2025, 3, 3), 2, D("136.00")),
        (datetime.date(2025, 3, 10), 0, D("-68.00")),
    ]
    assert [(r["title"], r["quantity"], r["amount"]) for r in summary["by_product"]] == [
        (POMEGRANATE, 2, D("68.00"))
    ]
    assert [(r["label"], r["amount"]) for r in summary["by_channel"]] == [
        ("消费者网购", D("68.00"))
    ]
    assert "消费者订单在付款当日计入" in html

    sku = refunded_order.lines.get().partner_sku
    number = refunded_order.number
    assert export(client, *march) == [
        HEADER,
        ["2025-03-03", number, "消费者网购", POMEGRANATE, sku, "2", "136.00", "计入销售"],
        ["2025-03-10", number, "消费者网购", POMEGRANATE, sku, "0", "-68.00", "退款"],
    ]
    # the home page's month is the same net figure, and so is the bureau's for the supplier
    assert supplier_kpis(partner=tashan, today=datetime.date(2025, 3, 31)).sales_month == D("68.00")
    bureau = drilldown(
        filters=ReportFilters(region=regions["淮北市"], date_from=march[0], date_to=march[1]),
        supplier_id=tashan.pk,
    )
    assert bureau["total"] == D("68.00")


def test_a_range_that_ends_before_the_refund_shows_the_gross(client, tashan, refunded_order):
    shown = page(client, datetime.date(2025, 3, 1), datetime.date(2025, 3, 9))
    assert (kpi(shown["html"], "amount"), kpi(shown["html"], "refunds")) == ("¥136.00", "¥0.00")
    rows = export(client, datetime.date(2025, 3, 1), datetime.date(2025, 3, 9))
    assert [row[6] for row in rows[1:]] == ["136.00"]
    # and a range holding only the refund shows it alone, with no order counted
    shown = page(client, datetime.date(2025, 3, 10), datetime.date(2025, 3, 10))
    html = shown["html"]
    assert (kpi(html, "amount"), kpi(html, "quantity"), kpi(html, "orders")) == (
        "-¥68.00",
        "0",
        "0",
    )


def test_an_order_placed_but_not_paid_counts_nothing(client, tashan, catalogue):
    with committed():
        order = place_pending_order(UserFactory(), (catalogue["pomegranate"], 2))
    today = timezone.localdate()
    html = page(client, today.replace(day=1), today)["html"]
    assert (kpi(html, "amount"), kpi(html, "quantity"), kpi(html, "orders")) == ("¥0.00", "0", "0")
    assert "该时间段没有销售。" in html
    assert export(client, today.replace(day=1), today) == [HEADER]
    assert supplier_kpis(partner=tashan).sales_month == D("0.00")
    assert not SalesFact.objects.filter(order=order).exists()


@pytest.mark.parametrize("counting", [CountingEvent.ACCEPTED, CountingEvent.PLACED])
def test_a_procurement_order_counts_the_accepted_units_less_its_refunds(
    client, tashan, catalogue, unit, purchaser, filing, policy_year, supplier_staff, counting
):
    """5 pomegranates ordered, 4 accepted and 1 damaged: 4 units' worth, whether the year
    counts on acceptance or counted all 5 on placing and takes the damaged one back."""
    policy_year.counting_event = counting
    policy_year.save()
    filing.refresh_from_db()
    with committed():
        order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 5))
    (line,) = order.lines.all()
    with committed():
        procurement.procurement_shipment_accept(
            shipping_event=ship(order), user=purchaser, quantities={line.pk: (4, 0, 1)}
        )
    today = timezone.localdate()
    html = page(client, today, today)["html"]
    released = "-¥68.00" if counting == CountingEvent.PLACED else "¥0.00"
    assert (kpi(html, "amount"), kpi(html, "refunds"), kpi(html, "quantity")) == (
        "¥272.00",
        released,
        "4",
    )
    assert '<tr data-channel="procurement"><td>预算单位采购</td>' in html

    with committed():
        procurement.procurement_refund_record(
            order=order,
            partner=tashan,
            user=supplier_staff,
            quantities={line.pk: 1},
            reason="石榴开裂，退回",
        )
    html = page(client, today, today)["html"]
    assert (kpi(html, "amount"), kpi(html, "quantity"), kpi(html, "orders")) == (
        "¥204.00",
        "3",
        "1",
    )
    rows = export(client, today, today)
    assert [(row[2], row[5], row[6], row[7]) for row in rows[1:]] == [
        *(
            [
                ("预算单位采购", "5", "340.00", "计入销售"),
                ("预算单位采购", "-1", "-68.00", "退款/冲减"),
            ]
            if counting == CountingEvent.PLACED
            else [("预算单位采购", "4", "272.00", "计入销售")]
        ),
        ("预算单位采购", "-1", "-68.00", "退款/冲减"),
    ]
    assert supplier_kpis(partner=tashan).sales_month == D("204.00")


def test_a_supplier_never_sees_another_suppliers_sales(client, tashan, catalogue, rice_staff):
    """One order with 塔山's pomegranates and 濉河's rice: each supplier sees its own."""
    order = place_pending_order(
        UserFactory(), (catalogue["pomegranate"], 2), (catalogue["rice"], 1)
    )
    paid(order, at("2025-03-03"))
    march = (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))

    html = page(client, *march)["html"]
    assert (kpi(html, "amount"), kpi(html, "quantity")) == ("¥136.00", "2")
    assert "濉溪大米" not in html and "59.90" not in html
    rows = export(client, *march)
    assert [row[3] for row in rows[1:]] == [POMEGRANATE]
    assert "濉溪大米" not in str(rows) and "59.90" not in str(rows)

    client.force_login(rice_staff)
    html = page(client, *march)["html"]
    assert (kpi(html, "amount"), kpi(html, "quantity")) == ("¥59.90", "1")
    assert "石榴" not in html.split('data-kpi="amount"')[1]
    assert [row[3] for row in export(client, *march)[1:]] == ["濉溪大米 10kg"]


def test_a_user_without_a_supplier_is_sent_to_the_application_page(client, refunded_order):
    client.force_login(UserFactory())
    for params in ({}, {"format": "csv", "date_from": "2025-03-01", "date_to": "2025-03-31"}):
        response = client.get(reverse("suppliers:sales"), params)
        assert response.status_code == 302
        assert response["Location"] == reverse("suppliers:apply")
        assert "text/csv" not in response.get("Content-Type", "")


def _facts(tashan, line, region, days: list[datetime.date]):
    """Hand-made facts, per day: a payment and a refund of the line, and an offline sale."""
    facts = []
    for i, day in enumerate(days):
        common = {"date": day, "month": day.replace(day=1), "supplier": tashan, "region": region}
        common["product_id"] = line.product_id
        of_line = {"order_id": line.order_id, "line": line}
        facts += [
            SalesFact(channel="consumer", quantity=1, amount=D("68.00"), **of_line, **common),
            SalesFact(channel="consumer", quantity=0, amount=D("-8.00"), **of_line, **common),
            SalesFact(
                channel=SalesChannel.OFFLINE,
                source=FactSource.OFFLINE,
                quantity=2,
                amount=D("30.00"),
                note=f"八进活动{i}",
                **common,
            ),
        ]
    SalesFact.objects.bulk_create(facts)


@pytest.mark.parametrize("view", ["page", "csv", "home"])
def test_the_sales_pages_run_a_constant_number_of_queries(
    client, tashan, catalogue, regions, django_assert_num_queries, view
):
    """N and 3N days of facts (3 facts a day): the same queries."""
    line = place_pending_order(UserFactory(), (catalogue["pomegranate"], 1)).lines.get()
    today = timezone.localdate()
    url, params = reverse("suppliers:sales"), {"date_from": "2025-03-01", "date_to": "2025-03-31"}
    if view == "csv":
        params["format"] = "csv"
    elif view == "home":  # this month's facts, all dated today
        url, params = reverse("suppliers:home"), {}

    def days(start, stop):
        if view == "home":
            return [today] * (stop - start)
        return [datetime.date(2025, 3, 1) + datetime.timedelta(days=i) for i in range(start, stop)]

    assert client.get(url, params).status_code == 200  # the session's first reads
    _facts(tashan, line, regions["烈山区"], days(0, 5))
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    _facts(tashan, line, regions["烈山区"], days(5, 15))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    body = response.content.decode("utf-8-sig")
    if view == "csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) == 1 + 15 * 3
        assert rows[3] == [
            "2025-03-01",
            "",
            "线下“八进”活动",
            POMEGRANATE,
            "",
            "2",
            "30.00",
            "八进活动0",
        ]
    elif view == "page":
        assert kpi(body, "amount") == "¥1,350.00"  # 15 days × (68 − 8 + 30)
        assert kpi(body, "refunds") == "-¥120.00"
    else:
        assert kpi(body, "sales") == "¥1,350.00"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_suppliers_facts_are_read_by_an_index_range(catalogue):
    """Sequential scans off (the test table is tiny): the planner can still answer from the
    (supplier, date) index, with both conditions in the index condition."""
    facts = supplier_sales_facts(
        partner=catalogue["supplier"],
        date_from=datetime.date(2025, 3, 1),
        date_to=datetime.date(2025, 3, 31),
    )
    sql, sql_params = facts.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", sql_params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "reports_fact_supplier_idx" in plan
    assert "Index Cond: ((supplier_id = " in plan and "date >=" in plan
