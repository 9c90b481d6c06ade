"""Procurement orders reach the bureau's reports through the real procurement functions: the
supplier ships in its portal, the unit accepts, and the accepted amount (not the damaged part)
becomes procurement sales facts; the completion totals the reports read are the ledger's."""

from decimal import Decimal

import pytest
from django.db.models import Sum

from orders.models import SalesChannel
from procurement import services
from reports import services as report_services
from reports.models import SalesDailyRollup, SalesFact
from reports.selectors.figures import procurement_totals

from .conftest import ship, submit

pytestmark = pytest.mark.django_db


def _facts(order):
    return SalesFact.objects.filter(order=order).aggregate(n=Sum("quantity"), total=Sum("amount"))


def test_accepted_procurement_lines_become_sales_facts_and_completion(
    catalogue, unit, purchaser, approver, filing, approval_rule, policy_year, regions
):
    order = submit(purchaser, unit, filing, (catalogue["pomegranate"], 3), (catalogue["rice"], 2))
    assert order.channel == SalesChannel.PROCUREMENT
    services.procurement_order_approve(order=order, user=approver, comment="同意")
    report_services.sales_facts_sync(order_id=order.pk)
    assert _facts(order) == {"n": None, "total": None}  # counted at acceptance, not before

    pomegranate, rice = order.lines.order_by("pk")
    first = ship(order, {pomegranate: 3})
    services.procurement_shipment_accept(
        shipping_event=first, user=purchaser, quantities={pomegranate.pk: (2, 0, 1)}
    )
    second = ship(order, {rice: 2})
    services.procurement_shipment_accept(shipping_event=second, user=approver)
    report_services.sales_facts_sync(order_id=order.pk)
    report_services.sales_facts_sync(order_id=order.pk)  # twice: nothing more

    assert _facts(order) == {"n": 4, "total": Decimal("255.80")}  # 2 × 68 + 2 × 59.90
    assert set(SalesFact.objects.filter(order=order).values_list("channel", flat=True)) == {
        SalesChannel.PROCUREMENT
    }
    rollup = SalesDailyRollup.objects.filter(channel=SalesChannel.PROCUREMENT).aggregate(
        total=Sum("amount")
    )
    assert rollup["total"] == Decimal("255.80")

    totals = procurement_totals(year=policy_year.year, region=regions["淮北市"])
    assert (totals["reserved"], totals["completed"], totals["rate"]) == (
        Decimal("1000.00"),
        Decimal("255.80"),
        Decimal("25.6"),
    )
    elsewhere = procurement_totals(year=policy_year.year, region=regions["烈山区"])
    assert (elsewhere["reserved"], elsewhere["completed"]) == (Decimal("0"), Decimal("0"))
