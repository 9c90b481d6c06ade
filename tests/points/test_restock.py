"""Restocking from the marketplace (集市补货): the supermarket orders through the procurement
checkout (approval, shipment, acceptance, transfer), paid from its funding sources; accepted
quantities enter its stock exactly once; the order is a sale of channel 积分超市, counted once
and never in a reserved share. Every refusal writes nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from orders.models import OrderStatus, SalesChannel
from points import services
from points.exceptions import (
    PointsPermissionError,
    RestockFundingError,
    RestockNotFoundError,
    RestockNotOpenError,
)
from points.models import Goods, RestockFunding, StockMove, StockMoveKind, Supermarket
from procurement import services as procurement
from procurement.exceptions import (
    AcceptanceQuantityError,
    OrderItemsInvalidError,
    ProcurementOrderStateError,
)
from procurement.models import QuotaEntry
from procurement.selectors.reports import eight_entries_report
from reports.models import SalesFact
from reports.selectors.annual import annual_report
from reports.services import sales_facts_sync
from tests.factories.accounts import UserFactory
from tests.factories.procurement import shipment
from tests.procurement.conftest import (  # noqa: F401 (fixtures)
    city_staff,
    filing,
    policy_year,
    purchaser,
    rice_staff,
    supplier_staff,
    unit,
)

from .restock_support import place, restock_state, shop_open

pytestmark = pytest.mark.django_db

FUNDS = {"donation": "100.00", "collective": "95.90"}  # 2 × ¥68 + 1 × ¥59.90 = ¥195.90


@pytest.fixture
def shop(world, catalogue, policy_year):  # noqa: F811
    world.goods["oil"].product = catalogue["rice"]  # the shelf's oil line is the rice product
    world.goods["oil"].save(update_fields=["product"])
    return shop_open(world, catalogue)


def two_lines(shop):
    c = shop.catalogue
    return (c["pomegranate"], 2), (c["rice"], 1)


def line_of(order, product):
    return order.lines.get(product=product)


def approved(shop, restock):
    procurement.procurement_order_approve(order=restock.order, user=shop.approver)
    restock.order.refresh_from_db()
    return restock.order


def test_the_whole_way_approval_shipment_acceptance_transfer(
    shop,
    supplier_staff,  # noqa: F811
    rice_staff,  # noqa: F811
    world,
):
    c = shop.catalogue
    restock = place(shop, *two_lines(shop), funding=FUNDS)
    order = restock.order

    # Placed through the procurement checkout, in its own channel, toward no filing.
    assert order.channel == SalesChannel.POINTS_SUPERMARKET
    assert order.status == OrderStatus.PENDING_APPROVAL  # ¥195.90 ≥ the ¥100 rule
    assert order.procurement.unit == shop.unit and order.procurement.filing is None
    assert restock.total == order.total_incl_tax == Decimal("195.90")
    assert sorted(restock.funding.values_list("source", "amount")) == [
        ("collective", Decimal("95.90")),
        ("donation", Decimal("100.00")),
    ]

    order = approved(shop, restock)
    assert order.status == OrderStatus.APPROVED

    fruit = shipment(order, partner=c["supplier"])
    grain = shipment(order, partner=line_of(order, c["rice"]).partner)
    pomegranate, rice = line_of(order, c["pomegranate"]), line_of(order, c["rice"])

    # One of two pomegranates damaged; not on the shelf yet, so the manager prices it.
    services.restock_shipment_accept(
        user=world.manager,
        number=order.number,
        shipping_event_id=fruit.pk,
        quantities={pomegranate.pk: (1, 0, 1)},
        points_prices={c["pomegranate"].pk: "70"},
    )
    new = Goods.objects.get(supermarket=world.supermarket, product=c["pomegranate"])
    assert (new.name, new.points_price, new.unit_value, new.stock) == (
        "塔山石榴 精品礼盒 6枚装",
        70,
        Decimal("68.00"),
        1,
    )
    # The rice maps to the shelf's existing line by product: stock 4 + 1.
    services.restock_shipment_accept(
        user=world.manager, number=order.number, shipping_event_id=grain.pk, quantities={}
    )
    world.goods["oil"].refresh_from_db()
    assert world.goods["oil"].stock == 5
    assert Goods.objects.filter(supermarket=world.supermarket).count() == 3

    moves = StockMove.objects.filter(order_line__order=order).order_by("pk")
    assert [(m.goods_id, m.kind, m.delta, m.order_line_id) for m in moves] == [
        (new.pk, StockMoveKind.RESTOCK, 1, pomegranate.pk),
        (world.goods["oil"].pk, StockMoveKind.RESTOCK, 1, rice.pk),
    ]
    order.refresh_from_db()
    assert order.status == OrderStatus.ACCEPTED

    # Transfer: invoice by each supplier, transfer by the manager, receipt confirmed.
    for settlement in order.procurement.settlements.order_by("pk"):
        staff = supplier_staff if settlement.partner == c["supplier"] else rice_staff
        procurement.settlement_invoice(
            settlement=settlement,
            user=staff,
            invoice_number=f"NO{settlement.pk:08d}",
            invoice_date=timezone.localdate(),
            amount=settlement.amount,
        )
        settlement.refresh_from_db()
        procurement.settlement_transfer(
            settlement=settlement, user=world.manager, reference_no=f"TR{settlement.pk:06d}"
        )
        settlement.refresh_from_db()
        procurement.settlement_confirm_receipt(settlement=settlement, user=staff)
    order.refresh_from_db()
    assert order.status == OrderStatus.COMPLETED
    assert sorted(s.amount for s in order.procurement.settlements.all()) == [
        Decimal("59.90"),
        Decimal("68.00"),
    ]
    assert services.points_reconcile() == []
    assert procurement.quota_reconcile() == []


def test_an_order_under_the_threshold_is_approved_at_once(shop):
    restock = place(shop, (shop.catalogue["rice"], 1), funding={"subsidy": "59.90"})
    assert restock.order.status == OrderStatus.APPROVED


def test_a_manager_already_on_the_unit_is_not_added_twice(shop, world):
    before = shop.unit.memberships.filter(user=world.manager).count()
    place(shop, (shop.catalogue["rice"], 1), funding={"subsidy": "59.90"})
    assert shop.unit.memberships.filter(user=world.manager).count() == before == 2


# Refusals of the order: nothing written.


@pytest.mark.parametrize(
    ("funding", "message"),
    [
        ({"donation": "100.00", "collective": "95.89"}, "资金来源合计 ¥195.89，与订单金额 ¥195.90"),
        ({"donation": "195.90", "subsidy": "0.01"}, "资金来源合计 ¥195.91"),
        ({"lottery": "195.90"}, "未知的资金来源：lottery"),
        ({"donation": "-1", "collective": "196.90"}, "不小于 0"),
        ({"donation": "97.955", "collective": "97.945"}, "最多两位小数"),
        ({"donation": "abc"}, "不是有效数字"),
        ({"donation": "0"}, "请填写本单的资金来源及金额"),
        ({}, "请填写本单的资金来源及金额"),
    ],
)
def test_funding_that_does_not_add_up_or_is_unknown_is_refused(shop, funding, message):
    before = restock_state()
    with pytest.raises(RestockFundingError) as refused:
        place(shop, *two_lines(shop), funding=funding)
    assert message in str(refused.value)
    assert restock_state() == before


def test_a_manager_of_another_supermarket_is_refused(shop, world, regions):
    other = UserFactory(email="other-shop@example.com")
    Supermarket.objects.create(name="别的积分超市", town=regions["濉溪镇"]).managers.add(other)
    before = restock_state()
    with pytest.raises(PointsPermissionError):
        place(shop, *two_lines(shop), funding=FUNDS, user=other)
    assert restock_state() == before


def test_a_supplier_not_certified_is_refused(shop):
    before = restock_state()
    with pytest.raises(OrderItemsInvalidError) as refused:
        place(shop, (shop.catalogue["hidden"], 1), funding={"donation": "1.00"})
    assert "不是认定供应商的在售商品" in str(refused.value)
    assert restock_state() == before


def test_a_supermarket_not_opened_as_a_buyer_is_refused(world, catalogue, policy_year):  # noqa: F811
    before = restock_state()
    with pytest.raises(RestockNotOpenError):
        services.restock_order_place(
            user=world.manager,
            supermarket_id=world.supermarket.pk,
            items=[(catalogue["rice"].pk, 1)],
            funding={"donation": "59.90"},
            contact_name="赵",
            contact_phone="13800001111",
        )
    assert restock_state() == before


# Refusals of the acceptance: nothing moved.


@pytest.fixture
def shipped(shop):
    c = shop.catalogue
    restock = place(shop, *two_lines(shop), funding=FUNDS)
    order = approved(shop, restock)
    return order, shipment(order, partner=c["supplier"]), line_of(order, c["pomegranate"])


def accept(shop, order, event, quantities, prices=None, user=None):
    return services.restock_shipment_accept(
        user=user or shop.world.manager,
        number=order.number,
        shipping_event_id=event.pk,
        quantities=quantities,
        points_prices=prices,
    )


def test_accepting_twice_is_refused_and_stock_enters_once(shop, shipped):
    order, event, line = shipped
    prices = {shop.catalogue["pomegranate"].pk: 70}
    accept(shop, order, event, {line.pk: (2, 0, 0)}, prices)
    before = restock_state()
    with pytest.raises(ProcurementOrderStateError) as refused:
        accept(shop, order, event, {line.pk: (2, 0, 0)}, prices)
    assert "已经验收过了" in str(refused.value)
    assert restock_state() == before
    assert StockMove.objects.filter(order_line=line).count() == 1
    assert Goods.objects.get(product=shop.catalogue["pomegranate"]).stock == 2


def test_accepting_more_than_shipped_is_refused(shop, shipped):
    order, event, line = shipped
    before = restock_state()
    with pytest.raises(AcceptanceQuantityError) as refused:
        accept(shop, order, event, {line.pk: (3, 0, 0)}, {shop.catalogue["pomegranate"].pk: 70})
    assert "验收合格数量不能超过发货数量" in str(refused.value)
    assert restock_state() == before


def test_new_goods_without_a_points_price_are_refused(shop, shipped):
    order, event, line = shipped
    before = restock_state()
    for prices in (None, {shop.catalogue["pomegranate"].pk: "0"}):
        with pytest.raises(AcceptanceQuantityError):
            accept(shop, order, event, {line.pk: (2, 0, 0)}, prices)
    assert restock_state() == before


def test_the_procurement_portal_acceptance_also_puts_known_goods_on_the_shelf(shop, world):
    rice = shop.catalogue["rice"]
    restock = place(shop, (rice, 2), funding={"collective": "119.80"})
    approved(shop, restock)
    event = shipment(restock.order, partner=line_of(restock.order, rice).partner)
    procurement.procurement_shipment_accept(shipping_event=event, user=world.manager)
    world.goods["oil"].refresh_from_db()
    assert world.goods["oil"].stock == 6
    assert services.points_reconcile() == []


def test_a_manager_of_another_supermarket_cannot_accept(shop, shipped, regions):
    order, event, line = shipped
    other = UserFactory(email="other-shop@example.com")
    Supermarket.objects.create(name="别的积分超市", town=regions["濉溪镇"]).managers.add(other)
    before = restock_state()
    with pytest.raises(RestockNotFoundError):
        accept(shop, order, event, {line.pk: (2, 0, 0)}, {line.product_id: 70}, user=other)
    assert restock_state() == before


# Reports: a sale of channel 积分超市, counted once, never in a reserved share.


def test_the_order_counts_once_in_channel_points_supermarket(
    shop,
    shipped,
    filing,  # noqa: F811
    city_staff,  # noqa: F811
):
    order, event, line = shipped
    accept(shop, order, event, {line.pk: (2, 0, 0)}, {shop.catalogue["pomegranate"].pk: 70})
    sales_facts_sync(order_id=order.pk)
    sales_facts_sync(order_id=order.pk)  # idempotent

    facts = SalesFact.objects.filter(order=order)
    assert {f.channel for f in facts} == {SalesChannel.POINTS_SUPERMARKET}
    assert sum(f.amount for f in facts) == Decimal("136.00")
    assert sum(f.quantity for f in facts) == 2
    # No reserved share moved: the only budget unit's filing is untouched, no entry has one.
    filing.refresh_from_db()
    assert (filing.committed, filing.completed) == (Decimal("0.00"), Decimal("0.00"))
    assert not QuotaEntry.objects.filter(order=order, filing__isnull=False).exists()
    # Not an "八进" organisation's purchase either.
    assert eight_entries_report(year=timezone.localdate().year)["total"]["amount"] == Decimal(
        "0.00"
    )
    year = timezone.localdate().year
    report = annual_report(year=year, region=shop.world.regions["淮北市"])
    channels = {c["channel"]: c["amount"] for c in report["channels"]}
    assert channels[SalesChannel.POINTS_SUPERMARKET] == Decimal("136.00")
    assert sum(channels.values()) == Decimal("136.00")
    call_command("reconcile_sales")  # raises CommandError on any difference


def test_the_dashboard_and_the_annual_excel_show_the_channel(
    client,
    shop,
    shipped,
    city_staff,  # noqa: F811
):
    order, event, line = shipped
    accept(shop, order, event, {line.pk: (2, 0, 0)}, {shop.catalogue["pomegranate"].pk: 70})
    sales_facts_sync(order_id=order.pk)
    client.force_login(city_staff)
    today = timezone.localdate()
    summary = client.get(
        "/api/v1/reports/summary",
        {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()},
    ).json()
    channels = {c["channel"]: c for c in summary["channels"]}
    assert channels["points_supermarket"]["label"] == "积分超市"
    assert Decimal(str(channels["points_supermarket"]["amount"])) == Decimal("136.00")
    assert Decimal(str(summary["sales"])) == Decimal("136.00")

    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = client.get(reverse("reports:annual-xlsx"), {"year": today.year, "region": "340600"})
    rows = [r for r in load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True)]
    channel_row = next(r for r in rows if r and r[0] == "积分超市")
    assert Decimal(str(channel_row[1])) == Decimal("136.00")


def test_the_funding_rows_are_the_orders(shop):
    restock = place(shop, *two_lines(shop), funding=FUNDS)
    assert RestockFunding.objects.filter(restock=restock).count() == 2
    assert sum(f.amount for f in restock.funding.all()) == restock.order.total_incl_tax
