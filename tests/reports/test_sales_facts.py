"""Sales facts and rollups against hand-computed totals, refunds included."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from core.money import money
from orders.models import SalesChannel
from orders.signals import order_sales_changed
from payments.models import PaymentStatus, StripePayment
from reports import services
from reports.models import SalesDailyRollup, SalesFact, SalesProductRollup
from tests.reports.conftest import PROCUREMENT_EVENTS, at, refund

pytestmark = pytest.mark.django_db
D = Decimal


def facts_of(order):
    return list(
        SalesFact.objects.filter(order=order)
        .order_by("pk")
        .values_list("line__product__title", "date", "region__name", "quantity", "amount")
    )


def daily_rollups():
    return sorted(
        SalesDailyRollup.objects.values_list(
            "date", "region_key", "category_key", "channel", "quantity", "amount"
        )
    )


@pytest.fixture
def order(paid_order_factory, catalogue):
    """68.00 pomegranate (烈山区, 水果) + 59.90 rice (濉溪县, 粮油) + 16.00 shipping = 143.90."""
    return paid_order_factory(
        (catalogue["pomegranate"], 1), (catalogue["rice"], 1), when=at("2025-03-01", 0)
    )


def test_a_paid_order_counts_its_lines_on_the_payment_date_without_shipping(
    order, regions, catalogue
):
    assert order.total_incl_tax == D("143.90")
    facts = services.sales_facts_sync(order_id=order.pk)

    # 00:00 in Shanghai is still 28 February in UTC: the date is Shanghai's.
    day = datetime.date(2025, 3, 1)
    assert facts_of(order) == [
        ("塔山石榴 精品礼盒 6枚装", day, "烈山区", 1, D("68.00")),
        ("濉溪大米 10kg", day, "濉溪县", 1, D("59.90")),
    ]
    assert {f.channel for f in facts} == {SalesChannel.CONSUMER}
    assert {f.category_id for f in facts} == {catalogue["fruit"].pk, catalogue["grain"].pk}
    assert daily_rollups() == sorted(
        [
            (day, regions["烈山区"].pk, catalogue["fruit"].pk, "consumer", 1, D("68.00")),
            (day, regions["濉溪县"].pk, catalogue["grain"].pk, "consumer", 1, D("59.90")),
        ]
    )


def test_syncing_again_adds_nothing(order):
    services.sales_facts_sync(order_id=order.pk)
    assert services.sales_facts_sync(order_id=order.pk) == []
    assert SalesFact.objects.count() == 2
    assert SalesDailyRollup.objects.aggregate(s=Sum("amount"))["s"] == D("127.90")


def test_refunds_are_negative_facts_spread_to_the_fen_and_a_full_refund_cancels_exactly(order):
    services.sales_facts_sync(order_id=order.pk)
    refund(order, "50.00", at("2025-03-05"))
    services.sales_facts_sync(order_id=order.pk)
    # product share 50.00 x 127.90 / 143.90 = 44.44; 68.00 : 59.90 -> 23.63 + 20.81
    assert facts_of(order)[2:] == [
        ("塔山石榴 精品礼盒 6枚装", datetime.date(2025, 3, 5), "烈山区", 0, D("-23.63")),
        ("濉溪大米 10kg", datetime.date(2025, 3, 5), "濉溪县", 0, D("-20.81")),
    ]
    refund(order, "93.90", at("2025-03-06"))
    services.sales_facts_sync(order_id=order.pk)
    assert facts_of(order)[4:] == [
        ("塔山石榴 精品礼盒 6枚装", datetime.date(2025, 3, 6), "烈山区", -1, D("-44.37")),
        ("濉溪大米 10kg", datetime.date(2025, 3, 6), "濉溪县", -1, D("-39.09")),
    ]
    totals = SalesFact.objects.aggregate(a=Sum("amount"), q=Sum("quantity"))
    assert (money(totals["a"]), totals["q"]) == (D("0.00"), 0)
    by_date = dict(
        SalesDailyRollup.objects.values("date").annotate(a=Sum("amount")).values_list("date", "a")
    )
    by_date = {k: money(v) for k, v in by_date.items()}
    assert by_date == {
        datetime.date(2025, 3, 1): D("127.90"),
        datetime.date(2025, 3, 5): D("-44.44"),
        datetime.date(2025, 3, 6): D("-83.46"),
    }
    assert services.rollups_differences() == []
    assert services.orders_sales_differences() == []


def test_a_refund_of_a_second_payment_for_an_already_paid_order_is_not_sales(order):
    services.sales_facts_sync(order_id=order.pk)
    duplicate = StripePayment.objects.create(
        order=order,
        intent_id="pi_duplicate",
        payment_method_id="pm_2",
        idempotency_key="dup",
        amount=order.total_incl_tax,
        status=PaymentStatus.SUCCEEDED,
    )
    refund(order, "143.90", at("2025-03-02"), payment=duplicate)
    assert services.sales_facts_sync(order_id=order.pk) == []
    assert SalesFact.objects.aggregate(a=Sum("amount"))["a"].quantize(D("0.01")) == D("127.90")


def test_an_unpaid_order_counts_nothing(catalogue):
    from tests.factories.accounts import UserFactory
    from tests.factories.payments import place_pending_order

    pending = place_pending_order(UserFactory(), (catalogue["rice"], 2))
    assert services.sales_facts_sync(order_id=pending.pk) == []
    assert SalesFact.objects.count() == 0


def test_procurement_orders_count_the_procurement_apps_events(order, regions):
    order.channel = SalesChannel.PROCUREMENT
    order.save(update_fields=["channel"])
    line = order.lines.get(product__title="濉溪大米 10kg")
    PROCUREMENT_EVENTS[order.pk] = [
        {
            "line_id": line.pk,
            "date": datetime.date(2025, 4, 2),
            "quantity": 1,
            "amount": D("59.90"),
        },
        {
            "line_id": line.pk,
            "date": datetime.date(2025, 4, 9),
            "quantity": -1,
            "amount": D("-59.90"),
        },
    ]
    services.sales_facts_sync(order_id=order.pk)
    assert facts_of(order) == [
        ("濉溪大米 10kg", datetime.date(2025, 4, 2), "濉溪县", 1, D("59.90")),
        ("濉溪大米 10kg", datetime.date(2025, 4, 9), "濉溪县", -1, D("-59.90")),
    ]
    assert set(SalesFact.objects.values_list("channel", flat=True)) == {"procurement"}
    # the acceptance is withdrawn upstream: the facts follow with reversing deltas
    PROCUREMENT_EVENTS[order.pk] = PROCUREMENT_EVENTS[order.pk][:1]
    services.sales_facts_sync(order_id=order.pk)
    assert SalesFact.objects.aggregate(a=Sum("amount"))["a"].quantize(D("0.01")) == D("59.90")
    assert services.rollups_differences() == []


def test_the_signal_enqueues_the_sync_on_commit(order, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order_sales_changed.send(sender=order.__class__, order=order)
    # One sync of the facts (other apps, e.g. after-sales, listen to the signal too).
    assert sum("sales_facts_sync_task" in repr(callback) for callback in callbacks) == 1
    assert SalesFact.objects.filter(order=order).count() == 2


def test_paying_through_the_payment_service_syncs_the_facts(
    paid_order_factory, catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        paid = paid_order_factory((catalogue["pomegranate"], 2))
    assert SalesFact.objects.filter(order=paid).aggregate(a=Sum("amount"))["a"].quantize(
        D("0.01")
    ) == D("136.00")


def test_offline_sales_are_their_own_channel(regions, catalogue):
    services.offline_sale_record(
        date=datetime.date(2025, 5, 1),
        region=regions["濉溪镇"],
        amount=D("1200.50"),
        quantity=30,
        category=catalogue["fruit"],
        note="进机关",
    )
    fact = SalesFact.objects.get()
    assert (fact.channel, fact.region, fact.amount) == ("offline", regions["濉溪县"], D("1200.50"))
    assert list(SalesProductRollup.objects.values_list("region_key", "channel", "amount")) == [
        (regions["濉溪县"].pk, "offline", D("1200.50"))
    ]


def test_reconcile_sales_catches_a_tampered_rollup_and_an_unsynced_order(
    order, paid_order_factory, catalogue, capsys
):
    services.sales_facts_sync(order_id=order.pk)
    call_command("reconcile_sales")
    assert "rollups = facts = orders" in capsys.readouterr().out

    SalesDailyRollup.objects.filter(amount=D("68.00")).update(amount=D("68.01"))
    with pytest.raises(CommandError, match="1 rollup difference"):
        call_command("reconcile_sales")
    err = capsys.readouterr().err
    assert "facts amount=68.00" in err and "rollup amount=68.01 qty=1 (rollup higher)" in err

    services.rollups_rebuild()
    call_command("reconcile_sales")

    unsynced = paid_order_factory((catalogue["grapes"], 1), when=at("2025-03-02"))
    with pytest.raises(CommandError, match="1 order difference"):
        call_command("reconcile_sales")
    assert f"order {unsynced.number}" in capsys.readouterr().err


def test_rebuild_equals_the_incremental_rollups(order):
    services.sales_facts_sync(order_id=order.pk)
    refund(order, "10.00", at("2025-03-03"))
    services.sales_facts_sync(order_id=order.pk)
    before = daily_rollups()
    before_products = sorted(
        SalesProductRollup.objects.values_list(
            "month", "region_key", "supplier_key", "product_key", "channel", "quantity", "amount"
        )
    )
    assert services.rollups_rebuild() == {"daily": 4, "product": 2}
    assert daily_rollups() == before
    assert (
        sorted(
            SalesProductRollup.objects.values_list(
                "month",
                "region_key",
                "supplier_key",
                "product_key",
                "channel",
                "quantity",
                "amount",
            )
        )
        == before_products
    )


def test_spread_fen_sums_exactly():
    assert services.spread_fen(D("0.10"), [D("1"), D("1"), D("1")]) == [
        D("0.04"),
        D("0.03"),
        D("0.03"),
    ]
    assert services.spread_fen(D("100.00"), [D("33.33"), D("66.67")]) == [D("33.33"), D("66.67")]


def test_reconcile_sales_catches_a_retail_rollup_raised_by_hand(regions, capsys):
    from reports.models import EcommerceEntity, EntityMonthlyFigure, RetailMonthlyRollup

    entity = EcommerceEntity.objects.create(
        name="濉溪县榴香电商",
        platform="taobao",
        shop_name="榴香旗舰店",
        region=regions["濉溪县"],
        registered_on=datetime.date(2025, 1, 2),
    )
    EntityMonthlyFigure.objects.create(
        entity=entity, month=datetime.date(2025, 3, 1), retail_amount=D("1598000.00")
    )
    services.retail_rollup_rebuild()
    call_command("reconcile_sales")
    # ¥1亿 added to the rollup the 网络零售额 headline reads.
    RetailMonthlyRollup.objects.update(amount=D("101598000.00"))
    with pytest.raises(CommandError, match="1 retail rollup difference"):
        call_command("reconcile_sales")
    assert (
        f"retail rollup 2025-03 region {regions['濉溪县'].pk}: entity figures amount=1598000.00, "
        "rollup amount=101598000.00 (rollup higher)"
    ) in capsys.readouterr().err
