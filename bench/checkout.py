"""Checkout placement under stock contention: many customers order one scarce product at once.

In-process, on the bench settings and database, ``THREADS`` threads (each with its own
database connection) place orders with the service that the checkout's last step calls,
``orders.services.order_place_pending``: the order as 待付款 with its stock allocated, in one
transaction, no Stripe call (payment comes after placement). Every basket holds the hot
product, whose stock is set to ``HOT_STOCK`` units while its demand is ``OVERSUBSCRIPTION``
times that, plus 0-2 other products, so every placement competes for the hot stock record's
row until the stock is gone and is refused (``InsufficientStockError``) after that.

The run is bounded (all baskets tried, or ``TIME_LIMIT_S``) and repeatable: the orders,
addresses and baskets of the bench buyers are deleted and the stock records it touched are
put back as generated, before the run and after it, so the catalogue stays reusable.

Call these functions with Django set up on ``bench.settings``.
"""

import json
import queue
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, connections, transaction
from django.db.models import Sum
from oscar.core.loading import get_class, get_model

from orders import services
from orders.exceptions import InsufficientStockError
from orders.shipping.methods import SupplierShipping
from regions.addresses import country_cn
from suppliers.strategy import Selector

Basket = get_model("basket", "Basket")
BasketLine = get_model("basket", "Line")
Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
User = get_model("accounts", "User")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

THREADS = 16
HOT_STOCK = 200
OVERSUBSCRIPTION = 5  # units of the hot product in all baskets / its stock
HOT_QUANTITIES = (1, 1, 1, 1, 2)  # units of the hot product in one basket, drawn at random
OTHER_PRODUCTS = 30  # the pool the 0-2 other lines of a basket are drawn from
OTHER_MIN_STOCK = 1000  # so that the other lines are never what refuses an order
TIME_LIMIT_S = 20.0
BUYER_DOMAIN = "checkout.bench.example.com"
SEED = 20240609
META_KEY = "checkout_stock"  # bench_meta: the touched stock records as generated


@dataclass
class Attempt:
    started: float  # seconds from the start of the run
    finished: float
    outcome: str  # "ordered", "refused" or the exception's type
    detail: str = ""  # an error's message


@dataclass
class CheckoutResult:
    threads: int = THREADS
    hot_stock: int = HOT_STOCK
    baskets: int = 0
    demand_units: int = 0
    attempts: list[Attempt] = field(default_factory=list)
    error_detail: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0  # wall time of the threads' part
    time_limit_hit: bool = False
    prepare_s: float = 0.0
    # What the database holds afterwards.
    sold: int = 0  # units of the hot product in the bench orders' lines
    hot_allocated: int = 0  # the hot stock record's num_allocated
    hot_in_stock: int = 0
    orders_in_db: int = 0
    frozen_baskets: int = 0
    other_mismatches: list[str] = field(default_factory=list)
    checks: dict[str, bool] = field(default_factory=dict)
    error: str = ""

    def _times(self, outcome: str) -> list[float]:
        return [(a.finished - a.started) * 1000 for a in self.attempts if a.outcome == outcome]

    @property
    def orders(self) -> int:
        return sum(a.outcome == "ordered" for a in self.attempts)

    @property
    def refusals(self) -> int:
        return sum(a.outcome == "refused" for a in self.attempts)

    @property
    def errors(self) -> int:
        return len(self.attempts) - self.orders - self.refusals

    @property
    def selling_s(self) -> float:
        """From the start until the last order was placed: every placement then competes for
        units that are still there."""
        ends = [a.finished for a in self.attempts if a.outcome == "ordered"]
        return max(ends) if ends else 0.0

    @property
    def orders_per_s(self) -> float:
        return self.orders / self.selling_s if self.selling_s else 0.0

    @property
    def refusals_per_s(self) -> float:
        """Refusals over the time from the first refusal to the end of the run."""
        starts = [a.started for a in self.attempts if a.outcome == "refused"]
        span = self.seconds - min(starts) if starts else 0.0
        return self.refusals / span if span > 0 else 0.0

    @property
    def attempts_per_s(self) -> float:
        return len(self.attempts) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, outcome: str, q: float) -> float | None:
        return percentile(self._times(outcome), q)

    @property
    def oversold(self) -> int:
        return max(0, self.sold - self.hot_stock)

    @property
    def passed(self) -> bool:
        return not self.error and all(self.checks.values())

    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        failed = [name for name, ok in self.checks.items() if not ok]
        return "FAIL (" + ", ".join(failed) + ")" if failed else "PASS"

    def as_dict(self) -> dict:
        def ms(outcome, q):
            value = self.percentile_ms(outcome, q)
            return None if value is None else round(value, 1)

        return {
            "threads": self.threads,
            "hot_stock": self.hot_stock,
            "baskets": self.baskets,
            "demand_units": self.demand_units,
            "time_limit_s": TIME_LIMIT_S,
            "time_limit_hit": self.time_limit_hit,
            "prepare_s": round(self.prepare_s, 2),
            "seconds": round(self.seconds, 3),
            "selling_s": round(self.selling_s, 3),
            "attempts": len(self.attempts),
            "orders": self.orders,
            "refusals": self.refusals,
            "errors": self.errors,
            "error_detail": self.error_detail,
            "error_samples": self.error_samples,
            "orders_per_s": round(self.orders_per_s, 1),
            "refusals_per_s": round(self.refusals_per_s, 1),
            "attempts_per_s": round(self.attempts_per_s, 1),
            "order_p50_ms": ms("ordered", 50),
            "order_p99_ms": ms("ordered", 99),
            "order_max_ms": ms("ordered", 100),
            "refusal_p50_ms": ms("refused", 50),
            "refusal_p99_ms": ms("refused", 99),
            "sold_units": self.sold,
            "oversold_units": self.oversold,
            "hot_num_in_stock": self.hot_in_stock,
            "hot_num_allocated": self.hot_allocated,
            "orders_in_database": self.orders_in_db,
            "frozen_baskets": self.frozen_baskets,
            "other_stock_mismatches": self.other_mismatches,
            "checks": self.checks,
            "error": self.error,
            "verdict": self.verdict(),
        }


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0-100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# ---------------------------------------------------------------------------
# The run
# ---------------------------------------------------------------------------
def checkout_run(log=print) -> CheckoutResult:
    """Prepare, place orders from ``THREADS`` threads, check the stock, clean up."""
    result = CheckoutResult()
    started = time.monotonic()
    clean()
    try:
        hot, others = stock_records_pick()
        originals_save([hot, *others])
        baskets = baskets_prepare(hot, others, result)
        StockRecord.objects.filter(pk=hot.pk).update(num_in_stock=HOT_STOCK, num_allocated=0)
        StockRecord.objects.filter(pk__in=[o.pk for o in others]).update(num_allocated=0)
        warm_up(others)
        result.prepare_s = time.monotonic() - started
        log(
            f"checkout: {len(baskets)} baskets ({result.demand_units} units of a product with "
            f"{HOT_STOCK} in stock), {THREADS} threads, prepared in {result.prepare_s:.1f}s"
        )
        place_all(baskets, result)
        verify(hot, others, result)
    except Exception as error:  # reported in the summary, like a page that fails
        result.error = f"{type(error).__name__}: {error}"
    finally:
        connections.close_all()
        clean()
    return result


def place_all(basket_ids: list[int], result: CheckoutResult) -> None:
    """Each thread takes the next basket until none is left or the time is up."""
    todo = queue.SimpleQueue()
    for pk in basket_ids:
        todo.put(pk)
    country = country_cn()
    clock = {}

    def start_clock():  # run by the barrier once every thread has its connection
        clock["start"] = time.perf_counter()
        clock["deadline"] = clock["start"] + TIME_LIMIT_S

    ready = threading.Barrier(THREADS, action=start_clock, timeout=60)
    stop = threading.Event()
    lock = threading.Lock()

    def buyer():
        try:
            connection.ensure_connection()  # each thread has its own, opened before the clock
            ready.wait()
        except Exception as error:  # a thread without a connection: nobody starts
            clock.setdefault("failed", f"{type(error).__name__}: {error}")
            ready.abort()
            connections.close_all()
            return
        try:
            while not stop.is_set() and time.perf_counter() < clock["deadline"]:
                try:
                    pk = todo.get_nowait()
                except queue.Empty:
                    return
                attempt = place_one(pk, country, clock["start"])
                with lock:
                    result.attempts.append(attempt)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=buyer, name=f"bench-buyer-{n}") for n in range(THREADS)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            thread.join(timeout=TIME_LIMIT_S + 120)
    finally:
        stop.set()  # on Ctrl-C the threads stop after their current placement
    if "start" not in clock:
        raise RuntimeError(f"the buyer threads did not start: {clock.get('failed', 'timeout')}")
    result.seconds = time.perf_counter() - clock["start"]
    result.time_limit_hit = not todo.empty()
    failed = [a for a in result.attempts if a.outcome not in ("ordered", "refused")]
    result.error_detail = dict(Counter(a.outcome for a in failed))
    result.error_samples = list(dict.fromkeys(f"{a.outcome}: {a.detail}" for a in failed))[:3]


def place_one(basket_id: int, country, start: float) -> Attempt:
    """What the checkout's last step does for one basket. Only the placement is timed: the
    view has computed the shipping charge and the total for the preview before it."""
    began, detail = time.perf_counter(), ""
    try:
        basket = Basket.objects.select_related("owner").get(pk=basket_id)
        basket.strategy = Selector().strategy(user=basket.owner)
        method = SupplierShipping()
        charge = method.calculate(basket)
        total = OrderTotalCalculator().calculate(basket, charge)
        began = time.perf_counter()
        services.order_place_pending(
            user=basket.owner,
            basket=basket,
            shipping_address=shipping_address(country),
            shipping_method=method,
            shipping_charge=charge,
            order_total=total,
        )
        outcome = "ordered"
    except InsufficientStockError:
        outcome = "refused"
    except Exception as error:  # counted as an error, by type, and the run goes on
        outcome, detail = type(error).__name__, " ".join(str(error).split())[:300]
    finished = time.perf_counter()
    return Attempt(began - start, finished - start, outcome, detail)


def shipping_address(country):
    """An unsaved mainland address, as the checkout's address form builds it."""
    return ShippingAddress(
        first_name="王小明",
        phone_number="+8613812345678",
        state="安徽省",
        line4="淮北市",
        line3="烈山区",
        line1="烈山镇榴园路 8 号",
        country=country,
    )


def warm_up(others) -> None:
    """One placement in this thread before the clock starts (no hot product in it): the
    first one in a process loads offers, the site and the code paths."""
    user = buyers(1, prefix="warm-up")[0]
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    basket.add_product(others[0].product, 1)
    method = SupplierShipping()
    charge = method.calculate(basket)
    services.order_place_pending(
        user=user,
        basket=basket,
        shipping_address=shipping_address(country_cn()),
        shipping_method=method,
        shipping_charge=charge,
        order_total=OrderTotalCalculator().calculate(basket, charge),
    )


def verify(hot, others, result: CheckoutResult) -> None:
    """What the database holds after the run, against what the threads reported."""
    buyer_emails = User.objects.filter(
        email__startswith="buyer-", email__endswith=f"@{BUYER_DOMAIN}"
    ).values("email")
    bench_lines = OrderLine.objects.filter(order__user__email__endswith=f"@{BUYER_DOMAIN}")
    hot.refresh_from_db(fields=["num_in_stock", "num_allocated"])
    result.hot_in_stock = hot.num_in_stock
    result.hot_allocated = hot.num_allocated or 0
    result.sold = bench_lines.filter(stockrecord=hot).aggregate(n=Sum("quantity"))["n"] or 0
    result.orders_in_db = Order.objects.filter(user__email__in=buyer_emails).count()
    result.frozen_baskets = Basket.objects.filter(
        owner__email__in=buyer_emails, status=Basket.FROZEN
    ).count()
    sums = dict(
        bench_lines.filter(stockrecord__in=others)
        .values_list("stockrecord")
        .annotate(n=Sum("quantity"))
    )
    for record in StockRecord.objects.filter(pk__in=[o.pk for o in others]):
        if (record.num_allocated or 0) != sums.get(record.pk, 0):
            result.other_mismatches.append(
                f"stock record {record.pk}: allocated {record.num_allocated}, "
                f"ordered {sums.get(record.pk, 0)}"
            )
    result.checks = {
        "0 oversold": result.sold <= HOT_STOCK and result.hot_allocated <= HOT_STOCK,
        "sold out exactly": result.sold == HOT_STOCK,
        "allocated == ordered": result.hot_allocated == result.sold,
        "other stock allocated == ordered": not result.other_mismatches,
        "orders in db == placed": result.orders_in_db == result.orders == result.frozen_baskets,
        "no errors": result.errors == 0,
    }


# ---------------------------------------------------------------------------
# Preparation and cleaning
# ---------------------------------------------------------------------------
def stock_records_pick():
    """The hot stock record (the newest product's) and the others (the next newest ones
    with plenty of stock). Bench products all have one stock record, of a certified supplier."""
    records = StockRecord.objects.select_related("product", "partner").order_by("-pk")
    hot = records.first()
    if hot is None:
        raise RuntimeError("the bench catalogue has no stock records")
    others = list(
        records.exclude(pk=hot.pk).filter(num_in_stock__gte=OTHER_MIN_STOCK)[:OTHER_PRODUCTS]
    )
    return hot, others


def buyers(count: int, *, prefix: str = "buyer") -> list:
    """``count`` bench buyers (created once, kept between runs), in a stable order."""
    emails = [f"{prefix}-{n:04d}@{BUYER_DOMAIN}" for n in range(count)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    unusable = make_password(None)
    User.objects.bulk_create(
        User(email=email, password=unusable, first_name="测试")
        for email in emails
        if email not in existing
    )
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    return [users[email] for email in emails]


@transaction.atomic
def baskets_prepare(hot, others, result: CheckoutResult) -> list[int]:
    """One open basket per buyer with the hot product and 0-2 others, lines in random order,
    written as ``Basket.add_product`` writes them (in bulk: a thousand baskets take a
    second). Returns the basket ids in the order the threads take them."""
    rng = random.Random(SEED)
    strategy = Selector().strategy()
    info = {}
    for record in [hot, *others]:
        purchase = strategy.fetch_for_product(record.product)
        if purchase.stockrecord is None or not purchase.price.exists:
            raise RuntimeError(f"product {record.product_id} cannot be bought")
        info[record.pk] = purchase
    plan, demand = [], 0
    while demand < OVERSUBSCRIPTION * HOT_STOCK:
        units = rng.choice(HOT_QUANTITIES)
        extra = rng.sample(others, rng.choice((0, 1, 2)))
        lines = [(hot, units)] + [(other, rng.randint(1, 3)) for other in extra]
        rng.shuffle(lines)  # the allocation must not depend on the order of the lines
        plan.append(lines)
        demand += units
    users = buyers(len(plan))
    baskets = Basket.objects.bulk_create(Basket(owner=user) for user in users)
    rows = []
    for basket, lines in zip(baskets, plan, strict=True):
        for record, quantity in lines:
            price = info[record.pk].price
            rows.append(
                BasketLine(
                    basket=basket,
                    line_reference=basket._create_line_reference(record.product, record, []),
                    product=record.product,
                    stockrecord=record,
                    quantity=quantity,
                    price_currency=price.currency,
                    price_excl_tax=price.excl_tax,
                    price_incl_tax=price.incl_tax if price.is_tax_known else None,
                    tax_code=price.tax_code,
                )
            )
    BasketLine.objects.bulk_create(rows)
    result.baskets = len(baskets)
    result.demand_units = demand
    ids = [b.pk for b in baskets]
    rng.shuffle(ids)
    return ids


def clean() -> None:
    """Delete what runs left (the bench buyers' orders, their addresses, their baskets) and
    put the touched stock records back as generated."""
    with transaction.atomic():
        orders = Order.objects.filter(user__email__endswith=f"@{BUYER_DOMAIN}")
        address_ids = list(orders.values_list("shipping_address_id", flat=True))
        orders.delete()
        ShippingAddress.objects.filter(pk__in=[pk for pk in address_ids if pk]).delete()
        UserAddress.objects.filter(user__email__endswith=f"@{BUYER_DOMAIN}").delete()
        Basket.objects.filter(owner__email__endswith=f"@{BUYER_DOMAIN}").delete()
        for pk, (in_stock, allocated) in originals().items():
            StockRecord.objects.filter(pk=pk).update(num_in_stock=in_stock, num_allocated=allocated)


def originals() -> dict[int, list]:
    """The touched stock records as generated: {pk: [num_in_stock, num_allocated]}."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM bench_meta WHERE key = %s", [META_KEY])
        row = cursor.fetchone()
    return {int(pk): values for pk, values in json.loads(row[0]).items()} if row else {}


def originals_save(records) -> None:
    """Record the stock records as they are now, for those not recorded yet (called after
    ``clean``, so before any run has changed them)."""
    saved = originals()
    for record in records:
        saved.setdefault(record.pk, [record.num_in_stock, record.num_allocated])
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_meta VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [META_KEY, json.dumps(saved)],
        )
