"""Procurement submissions under contention: many submissions against ONE filing at once.

The reserved share is a floor (orders beyond it are welcome), so what is contended is the policy
year's spending cap: the bench switches the current year's ``cap_at_canteen_budget`` on, and a
fresh bench budget unit gets an approved filing with a canteen budget (the cap) of ``CAP`` yuan
and a reserve of a tenth of it; ``ATTEMPTS`` baskets of one ``PRICE``-yuan product (5x the cap
in all) are submitted through the real service,
``procurement.services.procurement_order_submit`` (Oscar order, stock allocation, the filing
row lock, the commit entry), from ``PROCESSES`` forked worker processes (each with its own
database connection; processes, not threads, so the interpreter lock does not serialise the
Python work). Every submission competes for the same filing row until the cap is reached (past
the reserve after the first tenth); after that submissions are refused
(``FilingSpendingCapError``) with nothing written.

What is timed is the submission only, as a purchaser's click on 提交 is: each worker has set
Django up, opened its database connection and loaded its baskets (filled beforehand, as a
purchaser fills one) before the clock starts. Celery tasks go to the bench's Redis as a broker,
as on the live site, where a Celery worker runs them after the request has answered: the
search outbox row that the stock allocation writes is part of the submission, the re-index it
asks for is not (it is drained after the clock and its time reported). Without Redis the
tasks run eagerly inside the submissions, as before, and the table says so.

Checked afterwards: committed == orders x price <= cap (no over-commit) and past the reserve
(the floor is no limit), one commit entry
per order, the filing's cached balance equals its ledger, and reconciliation finds nothing.
The ledger is append-only, so every run uses a new bench unit instead of deleting the last.

Run on its own: ``DATABASE_URL=postgres://... python -m bench.procurement``; ``make bench``
runs it with ``--procurement`` against the bench database.
"""

import multiprocessing
import os
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROCESSES = 4
CAP = Decimal("20000.00")  # the filed canteen budget, the year's spending cap
RESERVED = CAP / 10
PRICE = Decimal("100.00")
OVERSUBSCRIPTION = 5
ATTEMPTS = int(CAP / PRICE) * OVERSUBSCRIPTION  # 1,000 submissions for 200 that fit
DOMAIN = "procurement.bench.example.com"


@dataclass
class ProcurementResult:
    processes: int = PROCESSES
    attempts: int = 0
    orders: int = 0
    refusals: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    selling_s: float = 0.0
    order_ms: list[float] = field(default_factory=list)
    refusal_ms: list[float] = field(default_factory=list)
    reserved: Decimal = RESERVED
    cap: Decimal = CAP
    committed: Decimal = Decimal("0")
    entries: int = 0
    checks: dict[str, bool] = field(default_factory=dict)
    tasks: str = "eager"  # "queued" when Celery tasks went to the broker
    queued_dropped: int = 0
    outbox_rows: int = 0
    outbox_drain_s: float = 0.0

    @property
    def submissions_per_s(self) -> float:
        return self.attempts / self.seconds if self.seconds else 0.0

    @property
    def orders_per_s(self) -> float:
        return self.orders / self.selling_s if self.selling_s else 0.0

    @property
    def over_commit(self) -> Decimal:
        return max(Decimal("0"), self.committed - self.cap)

    @property
    def passed(self) -> bool:
        return all(self.checks.values()) and not self.errors

    def as_dict(self) -> dict:
        def pct(values, q):
            if not values:
                return None
            ordered = sorted(values)
            return round(
                ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered)) - 1))], 1
            )

        return {
            "processes": self.processes,
            "attempts": self.attempts,
            "orders": self.orders,
            "refusals": self.refusals,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "submissions_per_s": round(self.submissions_per_s, 1),
            "orders_per_s": round(self.orders_per_s, 1),
            "order_p50_ms": pct(self.order_ms, 50),
            "order_p99_ms": pct(self.order_ms, 99),
            "refusal_p50_ms": pct(self.refusal_ms, 50),
            "refusal_p99_ms": pct(self.refusal_ms, 99),
            "reserved": str(self.reserved),
            "cap": str(self.cap),
            "committed": str(self.committed),
            "over_commit": str(self.over_commit),
            "ledger_entries": self.entries,
            "checks": self.checks,
            "celery_tasks": self.tasks,
            "queued_tasks_dropped": self.queued_dropped,
            "search_outbox_rows_after": self.outbox_rows,
            "search_outbox_drain_s": round(self.outbox_drain_s, 2),
            "verdict": "PASS" if self.passed else "FAIL",
        }


def _prepare(log):
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from oscar.core.loading import get_model

    from accounts.models import User
    from demo.services.base import credit_code
    from procurement import services
    from procurement.models import BudgetUnit, BudgetUnitMember, PolicyYear
    from regions.models import BureauStaff, Region
    from suppliers.strategy import Selector

    Basket = get_model("basket", "Basket")
    today = timezone.localdate()
    region = Region.get_first_root_node() or Region.add_root(
        code="340600", name="淮北市", level="city"
    )
    PolicyYear.objects.get_or_create(
        year=today.year, defaults={"filing_deadline": today + datetime.timedelta(days=30)}
    )
    PolicyYear.objects.filter(year=today.year).update(is_open=True, cap_at_canteen_budget=True)
    stamp = time.strftime("%Y%m%d%H%M%S")
    unit = BudgetUnit.objects.create(
        name=f"压测预算单位 {stamp}",
        credit_code=credit_code("12", region.code[:6], f"bench-{stamp}"),
        region=region,
        unit_type="school",
    )
    password = make_password(None)
    buyer, _ = User.objects.get_or_create(email=f"buyer@{DOMAIN}", defaults={"password": password})
    staff, _ = User.objects.get_or_create(email=f"bureau@{DOMAIN}", defaults={"password": password})
    BureauStaff.objects.get_or_create(
        user=staff, defaults={"region": region, "level": "city", "bureau_name": "压测"}
    )
    BudgetUnitMember.objects.create(unit=unit, user=buyer, role="purchaser")
    filing = services.filing_submit(
        unit=unit,
        year=today.year,
        user=buyer,
        canteen_budget=CAP,
        reserved_amount=RESERVED,
        contact_name="压测",
        contact_phone="0561-0000000",
    )
    filing = services.filing_approve(filing=filing, user=staff)
    product = _bench_product(today)
    Basket.objects.filter(owner=buyer, status=Basket.OPEN).delete()
    strategy = Selector().strategy(user=buyer)
    ids = []
    for _ in range(ATTEMPTS):
        basket = Basket.objects.create(owner=buyer)
        basket.strategy = strategy
        basket.add_product(product, 1)
        ids.append(basket.pk)
    _analyze()
    log(
        f"procurement: unit {unit.pk}, filing {filing.pk} (reserve ¥{RESERVED}, cap ¥{CAP}), "
        f"{len(ids)} baskets"
    )
    return filing, ids


def _analyze():
    """Planner statistics for the rows just written (the bench product, its stock record, a
    thousand baskets), as autovacuum keeps them on a live shop: statistics taken before
    them make PostgreSQL join the basket lines to every product by a merge join (8 ms a
    basket instead of 0.1 ms), because the new product's id lies beyond their histogram."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE catalogue_product, partner_stockrecord, basket_basket, basket_line, "
            "procurement_filing, procurement_budgetunit"
        )


def _bench_product(today):
    """A listed product of a certified bench supplier with stock that never runs out."""
    import datetime

    from oscar.core.loading import get_model

    from catalog.models import ListingStatus
    from demo.services.base import credit_code

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    StockRecord = get_model("partner", "StockRecord")
    partner, _ = Partner.objects.get_or_create(
        code="bench-procurement",
        defaults={"name": "压测合作社", "credit_code": credit_code("93", "340600", "bench-coop")},
    )
    Partner.objects.filter(pk=partner.pk).update(
        certified_until=today + datetime.timedelta(days=365)
    )
    product_class, _ = ProductClass.objects.get_or_create(
        slug="farm-product", defaults={"name": "农产品", "track_stock": True}
    )
    product, _ = Product.objects.get_or_create(
        upc="BENCH-PROC-1",
        defaults={
            "title": "压测食堂大米 10kg",
            "structure": "standalone",
            "product_class": product_class,
            "listing_status": ListingStatus.LISTED,
            "is_public": True,
        },
    )
    StockRecord.objects.update_or_create(
        product=product,
        partner=partner,
        defaults={
            "partner_sku": "BENCH-PROC-1",
            "price_currency": "CNY",
            "price": PRICE,
            "num_in_stock": 10_000_000,
            "num_allocated": 0,
        },
    )
    return product


def _tasks_to_broker(url: str) -> None:
    """In a worker process: Celery tasks are sent to the broker at ``url`` instead of running
    in-process (``bench/environment.py`` has no broker, so they would run eagerly inside the
    timed submission), and the search outbox is left to the task, as on the live site. Done
    after the fork: a broker connection must not be shared between processes."""
    from django.conf import settings

    from marketplace.celery import app

    settings.CELERY_BROKER_URL = url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    with app.producer_or_acquire() as producer:  # connect now, not in the first submission
        producer.connection.ensure_connection(max_retries=1)


def _queue_drop(url: str) -> int:
    """Drop the tasks the workers queued (no Celery worker runs during the bench); returns
    how many there were. Their work, the search outbox, is drained in-process afterwards."""
    from kombu import Connection

    from marketplace.celery import app

    with Connection(url) as conn:
        return conn.default_channel.queue_purge(app.conf.task_default_queue) or 0


def _worker(basket_ids, filing_id, unit_id, barrier, out, broker_url):
    from django.db import connection

    connection.close()  # never share the parent's connection
    if broker_url:
        _tasks_to_broker(broker_url)
    from oscar.core.loading import get_model

    from procurement import services
    from procurement.exceptions import FilingSpendingCapError
    from procurement.models import BudgetUnit, Filing
    from suppliers.strategy import Selector

    Basket = get_model("basket", "Basket")
    unit = BudgetUnit.objects.get(pk=unit_id)
    filing = Filing.objects.select_related("policy_year").get(pk=filing_id)
    baskets = list(Basket.objects.filter(pk__in=basket_ids).select_related("owner"))
    strategy = Selector().strategy(user=baskets[0].owner)
    barrier.wait(timeout=60)
    results = []
    for basket in baskets:
        basket.strategy = strategy
        started = time.monotonic()
        try:
            services.procurement_order_submit(
                user=basket.owner,
                unit=unit,
                filing=filing,
                basket=basket,
                canteen="压测食堂",
                delivery_address="压测地址",
                contact_name="压测",
                contact_phone="13800000000",
                invoice_title=unit.name,
                tax_number=unit.credit_code,
            )
            outcome = "ordered"
        except FilingSpendingCapError:
            outcome = "refused"
        except Exception as exc:  # counted and shown: the run fails on any
            outcome = type(exc).__name__
        results.append((outcome, started, time.monotonic()))
    out.put(results)
    connection.close()


def procurement_run(log=print, processes: int = PROCESSES) -> ProcurementResult:
    import django
    from django.db import connections

    django.setup()
    from django.db.models import Sum

    from procurement.models import QuotaEntry
    from procurement.services import quota_reconcile
    from search.models import SearchOutbox
    from search.services import search_outbox_drain

    broker_url = os.environ.get("REDIS_URL", "")
    filing, ids = _prepare(log)
    search_outbox_drain()  # what the preparation queued: the run starts with an empty outbox
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(processes + 1)
    out = ctx.Queue()
    shares = [ids[i::processes] for i in range(processes)]
    workers = [
        ctx.Process(
            target=_worker, args=(share, filing.pk, filing.unit_id, barrier, out, broker_url)
        )
        for share in shares
    ]
    for w in workers:
        w.start()
    barrier.wait(timeout=120)
    start = time.monotonic()
    rows = [row for _ in workers for row in out.get(timeout=600)]
    for w in workers:
        w.join(timeout=60)
    result = ProcurementResult(processes=processes, attempts=len(rows))
    result.seconds = max(end for _o, _s, end in rows) - start
    if broker_url:
        result.tasks = "queued"
        result.queued_dropped = _queue_drop(broker_url)
    result.outbox_rows = SearchOutbox.objects.count()
    drain_start = time.monotonic()
    search_outbox_drain()  # a Celery worker's job on the live site
    result.outbox_drain_s = time.monotonic() - drain_start
    for outcome, started, ended in rows:
        ms = (ended - started) * 1000
        if outcome == "ordered":
            result.orders += 1
            result.order_ms.append(ms)
            result.selling_s = max(result.selling_s, ended - start)
        elif outcome == "refused":
            result.refusals += 1
            result.refusal_ms.append(ms)
        else:
            result.errors[outcome] = result.errors.get(outcome, 0) + 1
    filing.refresh_from_db()
    entries = QuotaEntry.objects.filter(filing=filing)
    result.committed = filing.committed
    result.entries = entries.count()
    ledger = entries.aggregate(total=Sum("committed_delta"))["total"] or Decimal("0")
    fit = int(CAP / PRICE)
    result.checks = {
        "no over-commit": filing.committed + filing.completed <= CAP,
        "past the reserve": filing.committed > filing.reserved_amount,
        "committed = orders x price": filing.committed == PRICE * result.orders,
        "exactly what fits was ordered": result.orders == fit,
        "one entry per order": result.entries == result.orders,
        "balance = ledger": Decimal(ledger).quantize(Decimal("0.01")) == filing.committed,
        "reconciled": not [p for p in quota_reconcile(filings=[filing]) if filing.unit.name in p],
    }
    return result


def table(result: ProcurementResult) -> str:
    d = result.as_dict()
    if result.tasks == "queued":
        tasks = (
            f"Celery tasks queued to Redis, not timed: {result.queued_dropped} dropped, "
            f"{result.outbox_rows} search outbox rows drained after the clock in "
            f"{d['search_outbox_drain_s']} s"
        )
    else:
        tasks = "no Redis: Celery tasks (search re-index) ran eagerly inside the submissions"
    return (
        "procurement submissions on one filing "
        f"({d['processes']} processes, {d['attempts']} submissions for a cap of ¥{d['cap']}, "
        f"reserve ¥{d['reserved']}, "
        f"{OVERSUBSCRIPTION}x oversubscribed; {tasks})\n"
        "| submissions/s | orders | orders/s | refusals | errors | order p50/p99 ms | "
        "refusal p50/p99 ms | committed | over-commit | verdict |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
        f"| {d['submissions_per_s']} | {d['orders']} | {d['orders_per_s']} | {d['refusals']} | "
        f"{sum(result.errors.values())} | {d['order_p50_ms']}/{d['order_p99_ms']} | "
        f"{d['refusal_p50_ms']}/{d['refusal_p99_ms']} | ¥{d['committed']} | "
        f"¥{d['over_commit']} | {d['verdict']} |"
    )


if __name__ == "__main__":
    import json

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.local")
    res = procurement_run(log=lambda m: print(m, file=sys.stderr))
    print(table(res))
    print(json.dumps(res.as_dict(), ensure_ascii=False, indent=2))
    sys.exit(0 if res.passed else 1)
