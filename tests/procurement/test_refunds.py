"""Refunds (退款) of accepted procurement goods: the ledger releases exactly the refunded
amount from completed (counted) or committed (not counted yet), the settlement owes less,
the reports follow, reconcile_quota still agrees, and every refusal leaves all of it still."""

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse
from oscar.core.loading import get_model

from orders.models import OrderStatus
from procurement import exceptions, services
from procurement.models import (
    CountingEvent,
    Filing,
    ProcurementRefund,
    QuotaEntry,
    QuotaEntryLine,
    Settlement,
)
from procurement.selectors import procurement_order_sales_events
from reports import services as report_services
from reports.models import SalesFact
from reports.selectors.figures import procurement_totals

from .conftest import accepted_order, balance, ship, submit

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def counting(policy_year, filing, event):
    policy_year.counting_event = event
    policy_year.save()
    filing.refresh_from_db()


def refund(order, staff, partner, quantities, **kwargs):
    return services.procurement_refund_record(
        order=order,
        partner=partner,
        user=staff,
        quantities={line.pk: q for line, q in quantities.items()},
        reason=kwargs.pop("reason", "石榴开裂，退回"),
        **kwargs,
    )


def state(filing):
    """Everything a refusal must leave as it was."""
    return (
        balance(filing),
        QuotaEntry.objects.count(),
        ProcurementRefund.objects.count(),
        list(Settlement.objects.order_by("pk").values_list("refunded", flat=True)),
        list(Order.objects.order_by("pk").values_list("status", flat=True)),
    )


def test_partial_then_full_refund_after_acceptance_releases_completed_to_the_fen(
    catalogue, unit, purchaser, filing, supplier_staff
):
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    (line,) = order.lines.all()
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("204.00"))

    first = refund(order, supplier_staff, catalogue["supplier"], {line: 1})

    assert first.amount == Decimal("68.00")
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("136.00"))
    entry = first.entry
    assert (entry.kind, entry.committed_delta, entry.completed_delta, entry.reason) == (
        "refund",
        Decimal("0.00"),
        Decimal("-68.00"),
        "石榴开裂，退回",
    )
    assert list(entry.lines.values_list("line_id", "quantity", "completed_delta")) == [
        (line.pk, 1, Decimal("-68.00"))
    ]
    settlement = Settlement.objects.get()
    assert (settlement.amount, settlement.refunded, settlement.due) == (
        Decimal("204.00"),
        Decimal("68.00"),
        Decimal("136.00"),
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert services.quota_reconcile() == []

    refund(order, supplier_staff, catalogue["supplier"], {line: 2}, reason="整批退货")

    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED  # nothing of it is left to pay
    assert [e["amount"] for e in procurement_order_sales_events(order=order)] == [
        Decimal("204.00"),
        Decimal("-68.00"),
        Decimal("-136.00"),
    ]
    assert services.quota_reconcile() == []


def test_refund_before_the_counting_event_releases_committed_and_the_rest_counts_at_payment(
    catalogue, unit, purchaser, filing, policy_year, supplier_staff
):
    counting(policy_year, filing, CountingEvent.PAID)
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    (line,) = order.lines.all()
    assert balance(filing) == (Decimal("1000.00"), Decimal("204.00"), Decimal("0.00"))

    refund(order, supplier_staff, catalogue["supplier"], {line: 1})

    assert balance(filing) == (Decimal("1000.00"), Decimal("136.00"), Decimal("0.00"))
    settlement = Settlement.objects.get()
    with pytest.raises(exceptions.SettlementError):  # the invoice is for what is due now
        services.settlement_invoice(
            settlement=settlement,
            user=supplier_staff,
            invoice_number="34000001",
            invoice_date=order.date_placed.date(),
            amount=Decimal("204.00"),
        )
    services.settlement_invoice(
        settlement=settlement,
        user=supplier_staff,
        invoice_number="34000001",
        invoice_date=order.date_placed.date(),
        amount=Decimal("136.00"),
    )
    services.settlement_transfer(settlement=settlement, user=purchaser, reference_no="ICBC-001")
    services.settlement_confirm_receipt(settlement=settlement, user=supplier_staff)
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("136.00"))
    assert [(e["quantity"], e["amount"]) for e in procurement_order_sales_events(order=order)] == [
        (2, Decimal("136.00"))
    ]

    # After payment the refund is money going back: it needs the bank reference.
    with pytest.raises(exceptions.RefundError, match="退款转账流水号"):
        refund(order, supplier_staff, catalogue["supplier"], {line: 1})
    refund(order, supplier_staff, catalogue["supplier"], {line: 1}, voucher="ICBC-R-9")

    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("68.00"))
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert services.quota_reconcile() == []


def test_refund_when_counted_at_placing_releases_completed(
    catalogue, unit, purchaser, filing, policy_year, supplier_staff
):
    counting(policy_year, filing, CountingEvent.PLACED)
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 2))
    (line,) = order.lines.all()
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("136.00"))

    refund(order, supplier_staff, catalogue["supplier"], {line: 1})

    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("68.00"))
    assert QuotaEntryLine.objects.filter(entry__kind="refund").get().completed_delta == Decimal(
        "-68.00"
    )
    assert services.quota_reconcile() == []


def test_a_supplier_refunded_in_full_no_longer_holds_the_order_back(
    catalogue, unit, purchaser, filing, supplier_staff, rice_staff
):
    order = accepted_order(
        purchaser, unit, filing, (catalogue["pomegranate"], 1), (catalogue["rice"], 2)
    )
    _pomegranate, rice = order.lines.order_by("pk")
    tashan = Settlement.objects.get(partner=catalogue["supplier"])
    suihe = Settlement.objects.get(partner=rice.partner)
    services.settlement_invoice(
        settlement=tashan,
        user=supplier_staff,
        invoice_number="34000002",
        invoice_date=order.date_placed.date(),
        amount=Decimal("68.00"),
    )
    # The other supplier's lines are not this supplier's to refund.
    with pytest.raises(exceptions.RefundError):
        refund(order, supplier_staff, catalogue["supplier"], {rice: 1})

    refund(order, rice_staff, rice.partner, {rice: 2}, reason="大米受潮")

    suihe.refresh_from_db()
    order.refresh_from_db()
    assert (suihe.due, order.status) == (Decimal("0.00"), OrderStatus.INVOICED)
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("68.00"))
    with pytest.raises(exceptions.SettlementError, match="全额退款"):
        services.settlement_invoice(
            settlement=suihe,
            user=rice_staff,
            invoice_number="1",
            invoice_date=order.date_placed.date(),
            amount=Decimal("0"),
        )
    services.settlement_transfer(settlement=tashan, user=purchaser, reference_no="ICBC-002")
    services.settlement_confirm_receipt(settlement=tashan, user=supplier_staff)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert services.quota_reconcile() == []


def test_refusals_leave_ledger_settlement_and_order_still(
    catalogue, unit, purchaser, filing, supplier_staff, rice_staff
):
    shipped_only = submit(purchaser, unit, filing, (catalogue["pomegranate"], 1))
    ship(shipped_only)
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    (line,) = order.lines.all()
    refund(order, supplier_staff, catalogue["supplier"], {line: 1})
    before = state(filing)
    supplier = catalogue["supplier"]

    with pytest.raises(exceptions.RefundError, match="最多还能退 2 件"):
        refund(order, supplier_staff, supplier, {line: 3})  # 3 accepted, 1 refunded already
    with pytest.raises(exceptions.RefundError):
        refund(order, supplier_staff, supplier, {line: -1})
    with pytest.raises(exceptions.RefundError):
        refund(order, supplier_staff, supplier, {line: 0})
    with pytest.raises(exceptions.RefundError, match="退款原因"):
        refund(order, supplier_staff, supplier, {line: 1}, reason="  ")
    with pytest.raises(exceptions.ProcurementPermissionError):  # another supplier's staff
        refund(order, rice_staff, supplier, {line: 1})
    with pytest.raises(exceptions.ProcurementPermissionError):  # the unit itself
        refund(order, purchaser, supplier, {line: 1})
    with pytest.raises(exceptions.RefundError, match="无可退款"):  # nothing of theirs here
        refund(order, rice_staff, catalogue["rice"].stockrecords.get().partner, {line: 1})
    (shipped_line,) = shipped_only.lines.all()
    with pytest.raises(exceptions.ProcurementOrderStateError):  # shipped, not accepted
        refund(shipped_only, supplier_staff, supplier, {shipped_line: 1})

    assert state(filing) == before
    assert services.quota_reconcile() == []


def test_an_approved_order_not_yet_shipped_cannot_be_refunded(
    catalogue, unit, purchaser, filing, supplier_staff
):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 1))
    before = state(filing)
    with pytest.raises(exceptions.ProcurementOrderStateError, match="已审批"):
        refund(order, supplier_staff, catalogue["supplier"], {order.lines.get(): 1})
    assert state(filing) == before


def test_once_invoiced_a_refund_needs_the_red_invoice_number(
    catalogue, unit, purchaser, filing, supplier_staff
):
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 2))
    settlement = Settlement.objects.get()
    services.settlement_invoice(
        settlement=settlement,
        user=supplier_staff,
        invoice_number="34000003",
        invoice_date=order.date_placed.date(),
        amount=Decimal("136.00"),
    )
    before = state(filing)
    with pytest.raises(exceptions.RefundError, match="红字发票"):
        refund(order, supplier_staff, catalogue["supplier"], {order.lines.get(): 1})
    assert state(filing) == before
    refund(order, supplier_staff, catalogue["supplier"], {order.lines.get(): 1}, voucher="RED-1")
    settlement.refresh_from_db()
    assert settlement.due == Decimal("68.00")

    refund(order, supplier_staff, catalogue["supplier"], {order.lines.get(): 1}, voucher="RED-2")

    with pytest.raises(exceptions.SettlementError, match="全额退款"):
        services.settlement_transfer(settlement=settlement, user=purchaser, reference_no="X")
    order.refresh_from_db()
    assert order.status == OrderStatus.REFUNDED
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))


def test_reconcile_catches_a_forged_refund_entry_and_a_changed_refund_sum(
    catalogue, unit, purchaser, filing, supplier_staff
):
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    (line,) = order.lines.all()
    refund(order, supplier_staff, catalogue["supplier"], {line: 1})
    assert services.quota_reconcile() == []

    # A refund entry written behind the services' back, with the cached balance moved too so
    # that only the order's own books can tell.
    forged = QuotaEntry.objects.create(
        filing=filing,
        kind="refund",
        committed_delta=Decimal("0"),
        completed_delta=Decimal("-68.00"),
        order=order,
        reason="伪造",
    )
    QuotaEntryLine.objects.create(
        entry=forged,
        line=line,
        quantity=1,
        committed_delta=Decimal("0"),
        completed_delta=Decimal("-68.00"),
    )
    Filing.objects.filter(pk=filing.pk).update(completed=Decimal("68.00"))
    Settlement.objects.update(refunded=Decimal("0.00"))

    problems = services.quota_reconcile()

    assert any("退款台账没有对应的退款记录" in p for p in problems)
    assert any(f"订单 {order.number}" in p and "应为 0.00 / 136.00" in p for p in problems)
    assert any("已退款 0.00，退款记录合计 68.00" in p for p in problems)


def test_reports_count_the_refund_as_negative_sales(
    catalogue, unit, purchaser, filing, policy_year, regions, supplier_staff
):
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    report_services.sales_facts_sync(order_id=order.pk)
    refund(order, supplier_staff, catalogue["supplier"], {order.lines.get(): 2})
    report_services.sales_facts_sync(order_id=order.pk)
    report_services.sales_facts_sync(order_id=order.pk)  # twice: nothing more

    facts = SalesFact.objects.filter(order=order).aggregate(n=Sum("quantity"), a=Sum("amount"))
    assert (facts["n"], Decimal(facts["a"]).quantize(Decimal("0.01"))) == (1, Decimal("68.00"))
    totals = procurement_totals(year=policy_year.year, region=regions["淮北市"])
    assert (totals["completed"], totals["rate"]) == (Decimal("68.00"), Decimal("6.8"))


def test_the_supplier_records_a_refund_on_its_page_and_the_unit_sees_it(
    client, catalogue, unit, purchaser, filing, supplier_staff
):
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    line = order.lines.get()
    settlement = Settlement.objects.get()
    client.force_login(supplier_staff)
    page = client.get(reverse("procurement:supplier-orders")).content.decode()
    assert f'name="refund-{line.pk}"' in page

    url = reverse("procurement:supplier-refund", kwargs={"pk": settlement.pk})
    over = client.post(url, {f"refund-{line.pk}": "4", "reason": "退货"}, follow=True)
    assert "最多还能退 3 件" in over.content.decode()
    assert balance(filing)[2] == Decimal("204.00")
    client.post(url, {f"refund-{line.pk}": "1", "reason": "果皮破损退货"})
    assert balance(filing)[2] == Decimal("136.00")
    assert (
        f'data-due="{settlement.pk}">¥136.00'
        in client.get(reverse("procurement:supplier-orders")).content.decode()
    )

    client.force_login(purchaser)
    html = client.get(reverse("procurement:order-detail", kwargs={"number": order.number}))
    html = html.content.decode()
    assert "果皮破损退货" in html and "应付 ¥136.00" in html
    body = client.get(f"/api/v1/procurement/units/{unit.pk}/orders").json()[0]
    assert (body["refunded"], body["refunds"][0]["lines"][0]["quantity"]) == ("68.00", 1)
    assert body["refunds"][0]["reason"] == "果皮破损退货"


def test_another_suppliers_staff_get_a_404_for_the_refund_page(
    client, catalogue, unit, purchaser, filing, rice_staff
):
    order = accepted_order(purchaser, unit, filing, (catalogue["pomegranate"], 1))
    settlement = Settlement.objects.get()
    client.force_login(rice_staff)
    url = reverse("procurement:supplier-refund", kwargs={"pk": settlement.pk})
    response = client.post(url, {f"refund-{order.lines.get().pk}": "1", "reason": "退货"})
    assert response.status_code == 404
    assert ProcurementRefund.objects.count() == 0
