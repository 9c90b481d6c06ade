"""Every beat entry (``CELERY_BEAT_SCHEDULE``) runs once, sent the way celery beat sends it
(its scheduler's ``apply_async``, with the entry's options) through Redis to a real worker,
and does its work: each entry has its case below, and an entry without one fails the test."""

import datetime
import time
from decimal import Decimal

from celery.beat import Scheduler
from django.conf import settings
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.services import VIEWS_KEY
from core.cache import RedisCache
from frontend.models import StandardPage
from marketplace.celery import app
from orders.models import OrderStatus
from payments.models import StripeEvent
from points import services
from points.models import Award, AwardStatus, PointsEntry, RuleBook
from procurement.models import BudgetUnitMember, ReminderSent
from reports.models import SalesChannel, SalesDailyRollup, SalesFact, SalesOutbox
from reports.selectors.public import CACHE_KEY, public_statistics
from search.models import ProductDocument, SearchOutbox
from suppliers.models import CertificationStatus
from tests.factories.accounts import UserFactory
from tests.factories.catalog import SupplierFactory
from tests.factories.payments import paid_order, payment_succeeded_event, place_pending_order
from tests.factories.points import award_in_notice, day, points_world
from tests.factories.procurement import BudgetUnitFactory, PolicyYearFactory
from tests.factories.reports import SalesFactFactory
from tests.support.workers import REDIS_BROKER_URL, wait_until

Order = get_model("order", "Order")
ProductRecord = get_model("analytics", "ProductRecord")

MINUTES_AGO = timezone.now() - datetime.timedelta(minutes=40)


# Each case prepares the database (before the worker takes the test's messages: what the
# preparation enqueues runs in-process) and returns what checks the entry's work.
def expire_pending_orders(catalogue, home_page):
    order = place_pending_order(UserFactory(), (catalogue["grapes"], 1))
    Order.objects.filter(pk=order.pk).update(date_placed=MINUTES_AGO)
    return lambda worker: Order.objects.get(pk=order.pk).status == OrderStatus.CANCELLED


def payments_outbox_sweep(catalogue, home_page):
    order = place_pending_order(UserFactory(email="buyer@example.com"), (catalogue["rice"], 2))
    event = StripeEvent.objects.create(
        event_id="evt_beat",
        type="payment_intent.succeeded",
        payload=payment_succeeded_event(order, tag="beat"),
    )
    StripeEvent.objects.filter(pk=event.pk).update(received_at=MINUTES_AGO)
    return lambda worker: (
        Order.objects.get(pk=order.pk).status == OrderStatus.PAID
        and StripeEvent.objects.get(pk=event.pk).state == "已处理"
    )


def search_outbox_sweep(catalogue, home_page):
    product = catalogue["rice"]
    ProductDocument.objects.filter(product=product).update(title="旧标题")
    SearchOutbox.objects.create(product_id=product.pk)
    return lambda worker: (
        ProductDocument.objects.get(product=product).title == product.title
        and not SearchOutbox.objects.exists()
    )


def search_sales_refresh(catalogue, home_page):
    product = catalogue["rice"]
    ProductRecord.objects.update_or_create(product=product, defaults={"num_purchases": 7})
    ProductDocument.objects.filter(product=product).update(num_sold=0)
    return lambda worker: ProductDocument.objects.get(product=product).num_sold == 7


def product_views_flush(catalogue, home_page):
    product = catalogue["grapes"]

    def check(worker):
        counters = RedisCache(REDIS_BROKER_URL, {"KEY_PREFIX": worker.queue})
        record = ProductRecord.objects.filter(product=product).first()
        return (
            record is not None
            and record.num_views == 5
            and not counters.get(VIEWS_KEY.format(product.pk))
        )

    return check


def certification_daily(catalogue, home_page):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    certification = SupplierFactory(certified_until=yesterday).certifications.get()
    return lambda worker: (
        type(certification).objects.get(pk=certification.pk).status == CertificationStatus.EXPIRED
    )


def remind_behind(catalogue, home_page):
    PolicyYearFactory()  # this year's, open: a unit that has not filed is reminded
    unit = BudgetUnitFactory(name="淮北市第一中学")
    BudgetUnitMember.objects.create(
        unit=unit, user=UserFactory(email="school@example.com"), role="purchaser"
    )
    today = timezone.localdate()
    if today.month == 1:  # nothing is sent in January (procurement/services/reminders.py)
        return lambda worker: not ReminderSent.objects.exists()
    return lambda worker: (
        ReminderSent.objects.filter(unit=unit, month=today.month).count() == 1
        and any(m["To"] == "school@example.com" for m in worker.mails())
    )


def rollups_rebuild(catalogue, home_page):
    SalesFactFactory(amount=Decimal("88.00"))  # offline, 2025-03-01; no rollup yet
    SalesDailyRollup.objects.all().delete()
    return lambda worker: (
        list(
            SalesDailyRollup.objects.filter(channel=SalesChannel.OFFLINE).values_list(
                "date", "amount"
            )
        )
        == [(datetime.date(2025, 3, 1), Decimal("88.00"))]
    )


def reports_outbox_sweep(catalogue, home_page):
    order = paid_order(UserFactory(), (catalogue["pomegranate"], 1))
    facts = SalesFact.objects.filter(order_id=order.pk).values_list("amount", "quantity")
    synced = list(facts)
    assert synced  # written at payment; lost below, as if the task never ran
    SalesFact.objects.filter(order_id=order.pk).delete()
    SalesOutbox.objects.create(order_id=order.pk)
    SalesOutbox.objects.update(created_at=MINUTES_AGO)
    return lambda worker: (
        list(facts) == synced and not SalesOutbox.objects.filter(order_id=order.pk).exists()
    )


def public_statistics_refresh(catalogue, home_page):
    def check(worker):
        cached = RedisCache(REDIS_BROKER_URL, {"KEY_PREFIX": worker.queue}).get(CACHE_KEY)
        expected = public_statistics(refresh=True)  # computed here, from the same rows
        return cached == {**expected, "sales_total": str(expected["sales_total"])}

    return check


def publish_scheduled_pages(catalogue, home_page):
    page = home_page.add_child(
        instance=StandardPage(title="定时发布", slug="scheduled", summary="定时", live=False)
    )
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=1)
    page.save_revision().publish()  # scheduled: not live yet
    assert not StandardPage.objects.get(pk=page.pk).live
    time.sleep(1)  # the worker's clock is the real one
    return lambda worker: StandardPage.objects.get(pk=page.pk).live


_POINTS: dict = {}


def points_credit_due(catalogue, home_page):
    # Reviewed on 2 March with a 7-day notice: due since 10 March.
    world = _POINTS["world"] = points_world()
    award = award_in_notice(world, world.households[0], world.rules["clean"], on=day(3, 2))
    return lambda worker: Award.objects.get(pk=award.pk).status == AwardStatus.CREDITED


def points_expire_due(catalogue, home_page):
    world = _POINTS.pop("world", None) or points_world()
    home = world.households[1]
    award = award_in_notice(world, home, world.rules["army"], on=day(3, 2))
    services.award_credit(award_id=award.pk, today=day(3, 20))
    RuleBook.objects.filter(pk=world.book.pk).update(expires_on=timezone.localdate())
    return lambda worker: (
        list(
            PointsEntry.objects.filter(household=home, kind="expiry").values_list(
                "delta", flat=True
            )
        )
        == [-50]
    )


def aftersales_auto_agree(catalogue, home_page):
    from aftersales import services as aftersales_services
    from aftersales.models import AfterSalesCase
    from tests.factories.payments import StripePaymentFactory

    shopper = UserFactory(email="aftersales@example.com")
    order = paid_order(shopper, (catalogue["pomegranate"], 1))
    StripePaymentFactory(order=order)
    case = aftersales_services.aftersales_request(
        user=shopper,
        line_id=order.lines.get().pk,
        kind="refund",
        reason="没有回复",
        amount=Decimal("10.00"),
    )
    AfterSalesCase.objects.filter(pk=case.pk).update(reply_due_at=MINUTES_AGO)
    return lambda worker: AfterSalesCase.objects.filter(
        pk=case.pk, status__in=("refunding", "refunded"), refund__amount=Decimal("10.00")
    ).exists()


CASES = {
    "payments-expire-pending-orders": expire_pending_orders,
    "payments-outbox-sweep": payments_outbox_sweep,
    "search-outbox-sweep": search_outbox_sweep,
    "search-sales-refresh": search_sales_refresh,
    "catalogue-product-views-flush": product_views_flush,
    "suppliers-certification-daily": certification_daily,
    "procurement-remind-behind": remind_behind,
    "reports-rebuild-rollups": rollups_rebuild,
    "reports-outbox-sweep": reports_outbox_sweep,
    "reports-public-statistics": public_statistics_refresh,
    "frontend-publish-scheduled-pages": publish_scheduled_pages,
    "points-credit-due": points_credit_due,
    "points-expire-due": points_expire_due,
    "aftersales-auto-agree": aftersales_auto_agree,
}


def test_every_beat_entry_has_a_case():
    assert sorted(settings.CELERY_BEAT_SCHEDULE) == sorted(CASES)


def test_each_beat_entry_sent_as_beat_sends_it_is_done_by_the_worker(
    catalogue, home_page, worker_on
):
    checks = {name: CASES[name](catalogue, home_page) for name in settings.CELERY_BEAT_SCHEDULE}
    worker = worker_on("redis")
    # Five views of the grapes' page counted in the shared cache (catalog/services.py).
    RedisCache(REDIS_BROKER_URL, {"KEY_PREFIX": worker.queue}).set(
        VIEWS_KEY.format(catalogue["grapes"].pk), 5
    )
    scheduler = Scheduler(app=app, lazy=False)

    done = {}
    for name, entry in scheduler.schedule.items():
        if name not in CASES:
            continue  # Celery's own entries (none without a result backend)
        message = scheduler.apply_async(entry, advance=False)
        wait_until(lambda m=message: f"[{m.id}] succeeded" in worker.log(), what=name)
        try:
            done[name] = bool(wait_until(lambda n=name: checks[n](worker), timeout=15, what=name))
        except Exception as exc:  # the assertion below names every entry that failed
            done[name] = repr(exc)

    assert done == dict.fromkeys(settings.CELERY_BEAT_SCHEDULE, True), worker.log()[-5000:]
