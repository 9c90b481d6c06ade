"""The quota ledger through a procurement order's life, and every refusal leaving it still."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from oscar.core.loading import get_model

from orders.models import OrderStatus, SalesChannel
from procurement import exceptions, services
from procurement.models import (
    BudgetUnitMember,
    CountingEvent,
    ProcurementOrder,
    QuotaEntry,
    Settlement,
)
from procurement.selectors import procurement_completion_totals, procurement_order_sales_events
from tests.factories.accounts import UserFactory

from .conftest import balance, ship, submit

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def ledger_state(filing):
    return (balance(filing), QuotaEntry.objects.count(), Order.objects.count())


def test_submission_commits_the_order_amount_and_waits_for_approval(
    catalogue, unit, purchaser, filing, approval_rule
):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 3), (catalogue["rice"], 1))

    assert order.channel == SalesChannel.PROCUREMENT
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert set(order.lines.values_list("status", flat=True)) == {OrderStatus.PENDING_APPROVAL}
    assert order.total_incl_tax == Decimal("263.90")
    assert balance(filing) == (Decimal("1000.00"), Decimal("263.90"), Decimal("0.00"))
    entry = QuotaEntry.objects.get()
    assert (entry.kind, entry.committed_delta, entry.order_id) == (
        "commit",
        Decimal("263.90"),
        order.pk,
    )
    assert sorted(entry.lines.values_list("committed_delta", flat=True)) == [
        Decimal("59.90"),
        Decimal("204.00"),
    ]
    assert order.procurement.levels_required == 1
    assert services.quota_reconcile() == []


def test_prices_are_frozen_at_submission(catalogue, unit, purchaser, filing):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 2))
    record = catalogue["pomegranate"].stockrecords.get()
    record.price = Decimal("99.00")
    record.save()
    line = order.lines.get()
    assert line.unit_price_incl_tax == Decimal("68.00")
    assert services.quota_reconcile() == []


def test_order_under_the_threshold_is_approved_at_once(
    catalogue, unit, purchaser, filing, approval_rule
):
    order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    assert order.status == OrderStatus.APPROVED
    assert order.procurement.levels_required == 0


def test_order_above_the_spending_cap_is_refused_and_nothing_is_written(
    catalogue, unit, purchaser, capped_filing
):
    filing = capped_filing
    submit(purchaser, unit, filing, (catalogue["pomegranate"], 10))  # ¥680
    before = ledger_state(filing)
    basket = Basket.objects.create(owner=purchaser)
    from suppliers.strategy import Selector

    basket.strategy = Selector().strategy(user=purchaser)
    basket.add_product(catalogue["pomegranate"], 5)  # ¥340 > ¥320 left

    with pytest.raises(exceptions.FilingSpendingCapError) as caught:
        submit(purchaser, unit, filing, basket=basket)

    assert "尚可采购 ¥320.00，本次需要 ¥340.00" in str(caught.value)
    assert ledger_state(filing) == before
    basket.refresh_from_db()
    assert basket.status == Basket.OPEN
    record = catalogue["pomegranate"].stockrecords.get()
    assert record.num_allocated == 10


def test_a_non_member_cannot_order_for_the_unit(catalogue, unit, filing):
    outsider = UserFactory()
    before = ledger_state(filing)
    with pytest.raises(exceptions.UnitMembershipRequiredError):
        submit(outsider, unit, filing, (catalogue["rice"], 1))
    assert ledger_state(filing) == before


def test_an_approver_cannot_order_without_the_purchaser_role(catalogue, unit, approver, filing):
    before = ledger_state(filing)
    with pytest.raises(exceptions.UnitMembershipRequiredError):
        submit(approver, unit, filing, (catalogue["rice"], 1))
    assert ledger_state(filing) == before


def test_products_of_uncertified_suppliers_cannot_be_ordered(catalogue, unit, purchaser, filing):
    from tests.factories.payments import basket_for

    basket = basket_for(purchaser, (catalogue["rice"], 1))
    basket.add_product(catalogue["hidden"], 1)  # the basket takes it; submission must not
    before = ledger_state(filing)
    with pytest.raises(exceptions.OrderItemsInvalidError) as caught:
        submit(purchaser, unit, filing, basket=basket)
    assert "未认定商家的石榴" in str(caught.value)
    assert ledger_state(filing) == before


def test_a_purchaser_cannot_approve_their_own_order(
    catalogue, unit, purchaser, filing, approval_rule
):
    BudgetUnitMember.objects.create(unit=unit, user=purchaser, role="approver")
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 4))
    before = ledger_state(filing)
    with pytest.raises(exceptions.ApproverSelfApprovalError) as caught:
        services.procurement_order_approve(order=order, user=purchaser)
    assert str(caught.value) == "采购员不能审批自己提交的订单。"
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_APPROVAL
    assert ledger_state(filing) == before
    assert order.procurement.approvals.count() == 0


def test_approval_ship_and_partial_acceptance_move_exactly_the_accepted_amount(
    catalogue, unit, purchaser, approver, filing, approval_rule
):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 3), (catalogue["rice"], 2))
    services.procurement_order_approve(order=order, user=approver, comment="同意")
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED
    pomegranate, rice = order.lines.order_by("pk")
    first = ship(order, {pomegranate: 3})
    order.refresh_from_db()
    assert order.status == OrderStatus.APPROVED  # rice not shipped yet
    services.procurement_shipment_accept(
        shipping_event=first, user=purchaser, quantities={pomegranate.pk: (2, 0, 1)}
    )
    # ¥136 accepted counts; ¥68 damaged is released; rice ¥119.80 stays committed.
    assert balance(filing) == (Decimal("1000.00"), Decimal("119.80"), Decimal("136.00"))

    second = ship(order, {rice: 2})
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED
    services.procurement_shipment_accept(shipping_event=second, user=approver)
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("255.80"))
    settlements = {s.partner.name: s.amount for s in Settlement.objects.all()}
    assert settlements == {
        "淮北塔山石榴专业合作社": Decimal("136.00"),
        "濉溪县濉河农业发展有限公司": Decimal("119.80"),
    }
    assert services.quota_reconcile() == []
    events = procurement_order_sales_events(order=order)
    assert [(e["line_id"], e["quantity"], e["amount"]) for e in events] == [
        (pomegranate.pk, 2, Decimal("136.00")),
        (rice.pk, 2, Decimal("119.80")),
    ]


def test_accepting_more_than_was_shipped_is_refused(catalogue, unit, purchaser, filing):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 3))
    line = order.lines.get()
    event = ship(order, {line: 2})
    before = ledger_state(filing)
    with pytest.raises(exceptions.AcceptanceQuantityError) as caught:
        services.procurement_shipment_accept(
            shipping_event=event, user=purchaser, quantities={line.pk: (3, 0, 0)}
        )
    assert "验收合格数量不能超过发货数量" in str(caught.value)
    with pytest.raises(exceptions.AcceptanceQuantityError):
        services.procurement_shipment_accept(
            shipping_event=event, user=purchaser, quantities={line.pk: (1, 0, 0)}
        )
    assert ledger_state(filing) == before
    assert not event.__class__.objects.filter(acceptance__isnull=False).exists()


def test_an_outsider_cannot_accept_a_shipment(catalogue, unit, purchaser, filing):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 1))
    event = ship(order)
    before = ledger_state(filing)
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.procurement_shipment_accept(shipping_event=event, user=UserFactory())
    assert ledger_state(filing) == before


def test_rejection_and_cancellation_release_the_commitment(
    catalogue, unit, purchaser, approver, filing, approval_rule
):
    rejected = submit(purchaser, unit, filing, (catalogue["pomegranate"], 5))
    cancelled = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    assert balance(filing)[1] == Decimal("399.90")
    with pytest.raises(exceptions.ProcurementOrderStateError):
        services.procurement_order_reject(order=rejected, user=approver, reason="")
    services.procurement_order_reject(order=rejected, user=approver, reason="数量过多")
    services.procurement_order_cancel(order=cancelled, user=purchaser, reason="重复下单")
    rejected.refresh_from_db()
    cancelled.refresh_from_db()
    assert (rejected.status, cancelled.status) == (OrderStatus.REJECTED, OrderStatus.CANCELLED)
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("0.00"))
    record = catalogue["pomegranate"].stockrecords.get()
    assert record.num_allocated == 0
    assert services.quota_reconcile() == []
    # Nothing was ever counted, so no sales events.
    assert procurement_order_sales_events(order=rejected) == []


def test_a_shipped_order_cannot_be_cancelled(catalogue, unit, purchaser, filing):
    order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    ship(order)
    before = ledger_state(filing)
    with pytest.raises(exceptions.ProcurementOrderStateError):
        services.procurement_order_cancel(order=order, user=purchaser, reason="不要了")
    assert ledger_state(filing) == before


def test_counting_at_placing_counts_on_approval_and_uncounts_damage(
    catalogue, unit, purchaser, approver, filing, approval_rule, policy_year
):
    policy_year.counting_event = CountingEvent.PLACED
    policy_year.save()
    filing.refresh_from_db()
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 4))
    assert balance(filing) == (Decimal("1000.00"), Decimal("272.00"), Decimal("0.00"))
    services.procurement_order_approve(order=order, user=approver)
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("272.00"))
    line = order.lines.get()
    services.procurement_shipment_accept(
        shipping_event=ship(order), user=purchaser, quantities={line.pk: (3, 1, 0)}
    )
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("204.00"))
    assert [(e["quantity"], e["amount"]) for e in procurement_order_sales_events(order=order)] == [
        (4, Decimal("272.00")),
        (-1, Decimal("-68.00")),
    ]
    assert services.quota_reconcile() == []


def test_counting_at_payment_counts_when_the_supplier_confirms_receipt(
    catalogue, unit, purchaser, filing, policy_year
):
    policy_year.counting_event = CountingEvent.PAID
    policy_year.save()
    filing.refresh_from_db()
    supplier_staff = UserFactory()
    catalogue["supplier"].users.add(supplier_staff)
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 2))
    services.procurement_shipment_accept(shipping_event=ship(order), user=purchaser)
    assert balance(filing) == (Decimal("1000.00"), Decimal("136.00"), Decimal("0.00"))
    settlement = Settlement.objects.get()
    with pytest.raises(exceptions.SettlementError):
        services.settlement_transfer(settlement=settlement, user=purchaser, reference_no="X1")
    with pytest.raises(exceptions.SettlementError):
        services.settlement_invoice(
            settlement=settlement,
            user=supplier_staff,
            invoice_number="0001",
            invoice_date=order.date_placed.date(),
            amount=Decimal("100"),
        )
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.settlement_invoice(
            settlement=settlement,
            user=purchaser,
            invoice_number="0001",
            invoice_date=order.date_placed.date(),
            amount=Decimal("136"),
        )
    services.settlement_invoice(
        settlement=settlement,
        user=supplier_staff,
        invoice_number="34000001",
        invoice_date=order.date_placed.date(),
        amount=Decimal("136.00"),
    )
    services.settlement_transfer(settlement=settlement, user=purchaser, reference_no="ICBC-001")
    assert balance(filing)[2] == Decimal("0.00")
    services.settlement_confirm_receipt(settlement=settlement, user=supplier_staff)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("136.00"))
    assert services.quota_reconcile() == []


def test_completion_totals_follow_region_scope(catalogue, unit, purchaser, filing, regions):
    order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    services.procurement_shipment_accept(shipping_event=ship(order), user=purchaser)
    year = filing.policy_year.year
    assert procurement_completion_totals(year=year) == {
        "reserved": Decimal("1000.00"),
        "committed": Decimal("0.00"),
        "completed": Decimal("59.90"),
        "unit_count": 1,
    }
    assert procurement_completion_totals(year=year, region=regions["濉溪县"]) == {
        "reserved": Decimal("0.00"),
        "committed": Decimal("0.00"),
        "completed": Decimal("0.00"),
        "unit_count": 0,
    }


def test_bureau_adjustment_needs_a_reason_and_the_region(filing, city_staff, county_staff):
    before = ledger_state(filing)
    with pytest.raises(exceptions.ProcurementPermissionError):
        services.quota_adjust(
            filing=filing, user=county_staff, completed_delta=Decimal("50"), reason="线下采购"
        )
    with pytest.raises(exceptions.QuotaAdjustmentError):
        services.quota_adjust(
            filing=filing, user=city_staff, completed_delta=Decimal("50"), reason=" "
        )
    with pytest.raises(exceptions.QuotaAdjustmentError):
        services.quota_adjust(
            filing=filing, user=city_staff, completed_delta=Decimal("-0.01"), reason="冲减"
        )
    assert ledger_state(filing) == before
    services.quota_adjust(
        filing=filing, user=city_staff, completed_delta=Decimal("50"), reason="线下采购补录"
    )
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("50.00"))
    # Past the reserve (a floor): taken.
    services.quota_adjust(
        filing=filing, user=city_staff, completed_delta=Decimal("1000.01"), reason="超额补录"
    )
    assert balance(filing) == (Decimal("1000.00"), Decimal("0.00"), Decimal("1050.01"))
    assert services.quota_reconcile() == []


def test_bureau_adjustment_past_the_spending_cap_is_refused(capped_filing, city_staff):
    before = ledger_state(capped_filing)
    with pytest.raises(exceptions.QuotaAdjustmentError) as caught:
        services.quota_adjust(
            filing=capped_filing, user=city_staff, completed_delta=Decimal("1000.01"), reason="超额"
        )
    assert "尚可采购 ¥1,000.00，本次需要 ¥1,000.01" in str(caught.value)
    assert ledger_state(capped_filing) == before


def test_reconcile_quota_catches_a_tampered_entry(catalogue, unit, purchaser, filing, capsys):
    submit(purchaser, unit, filing, (catalogue["rice"], 1))
    call_command("reconcile_quota")
    assert "一致" in capsys.readouterr().out
    # An entry written behind the services' back: the cached balance no longer matches.
    QuotaEntry.objects.create(
        filing=filing,
        kind="adjust",
        committed_delta=Decimal("0"),
        completed_delta=Decimal("10"),
        reason="篡改",
    )
    with pytest.raises(SystemExit) as exited:
        call_command("reconcile_quota")
    assert exited.value.code == 1
    assert "台账合计 59.90 / 10.00（台账较高）" in capsys.readouterr().err


def test_reconcile_quota_catches_a_reserved_amount_changed_by_hand(filing, capsys):
    from procurement.models import Filing

    call_command("reconcile_quota")
    # The reserve halved behind the services' back: completion would double.
    Filing.objects.filter(pk=filing.pk).update(reserved_amount=Decimal("500.00"))
    with pytest.raises(SystemExit) as exited:
        call_command("reconcile_quota")
    assert exited.value.code == 1
    assert (
        f"{filing}：预留份额 500.00，最近通过的版本 v1 为 1000.00（审核版本较高）"
        in capsys.readouterr().err
    )


def test_reconcile_quota_catches_a_balance_changed_by_hand(catalogue, unit, purchaser, filing):
    order = submit(purchaser, unit, filing, (catalogue["rice"], 1))
    ProcurementOrder.objects.filter(order=order)  # untouched
    from procurement.models import Filing

    Filing.objects.filter(pk=filing.pk).update(committed=Decimal("0.00"))
    problems = services.quota_reconcile()
    assert len(problems) == 1 and "59.90" in problems[0]
