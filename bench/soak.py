"""``make soak``: a bounded mixed workload against the whole production path for SOAK_SECONDS
(600 by default), then the checks: no server error, nothing oversold, nothing paid twice,
``reconcile_quota`` and ``reconcile_sales`` clean, Celery worker memory grown < 10%.

The site runs as in production: gunicorn (bench/settings.py, production settings over plain
HTTP) on PostgreSQL (database ``huinong_soak``, the demo data), Redis as cache and broker, a
Celery worker (prefork, two children) and celery beat, localstripe as Stripe (it signs its
webhooks and posts them to the site). SOAK_THREADS clients (4) each loop over weighted
actions until the time is up:

- browse: home, shop, a category, a product page (anonymous);
- search: the search page and the search API;
- basket: an anonymous visitor adds a product and looks at the basket;
- checkout: a signed-in consumer (one per client) buys one unit and pays by card (localstripe
  test card), answered by the payment API, confirmed again by localstripe's webhook;
- procurement: the demo purchaser submits a one-line basket against the unit's filing (one
  client only: one purchaser has one basket), accepted or refused for the balance;
- stock: the demo supplier sets a stock level by the stock API (a level below what orders
  hold is refused, 422);
- webhook: a Stripe event localstripe sent is posted again, signed (a duplicate).

See bench/README.md (soak) and docs/operations.md. Not part of CI.
"""

import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import environment, load  # noqa: E402
from bench.run import database_create, redis_answers  # noqa: E402

SECONDS = float(os.environ.get("SOAK_SECONDS", 600))
THREADS = int(os.environ.get("SOAK_THREADS", 4))
SITE_PORT = int(os.environ.get("SOAK_SITE_PORT", 8300))
STRIPE_PORT = int(os.environ.get("SOAK_STRIPE_PORT", 8301))
DATABASE_URL = os.environ.get(
    "SOAK_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/huinong_soak"
)
REDIS_URL = os.environ.get("SOAK_REDIS_URL", "redis://127.0.0.1:6379/6")
SITE = f"http://127.0.0.1:{SITE_PORT}"
STRIPE = f"http://127.0.0.1:{STRIPE_PORT}"
SECRET_KEY, WEBHOOK_SECRET = "sk_test_soak", "whsec_soak"
PASSWORD = "huinong-soak"  # noqa: S105 (the soak's own consumers)
DEMO_PASSWORD = "huinong-demo"  # noqa: S105 (demo/services/people.py)
MEMORY_LIMIT = 0.10

ACTIONS = {  # weights
    "browse": 40,
    "search": 15,
    "basket": 12,
    "checkout": 12,
    "procurement": 8,
    "stock": 8,
    "webhook": 5,
}
ADDRESS = {
    "first_name": "李晓华",
    "phone_number": "139 5612 3456",
    "state": "安徽省",
    "line4": "淮北市",
    "line3": "相山区",
    "line1": "淮海中路 66 号 3 单元",
    "postcode": "235000",
    "notes": "",
}
PROCUREMENT_DETAILS = {
    "canteen": "教工食堂",
    "delivery_address": "淮北市相山区人民路 100 号",
    "contact_name": "张伟",
    "contact_phone": "13905611234",
    "invoice_title": "淮北市第一中学",
    "tax_number": "12340600MB1234567X",
}
# The last one is a NUL byte, which must be answered as bad input, never a 500.
SEARCH_TERMS = ["石榴", "大米", "葡萄", "shiliu", "蜂蜜", "酒", "面粉", "\x00"]

ENV = {
    **os.environ,
    **environment.SITE_ENVIRONMENT,
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CELERY_BROKER_URL": REDIS_URL,
    "STRIPE_API_BASE": STRIPE,
    "STRIPE_SECRET_KEY": SECRET_KEY,
    "STRIPE_PUBLISHABLE_KEY": "pk_test_soak",
    "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
    "DJANGO_LOG_LEVEL": "WARNING",
}
_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[soak {time.monotonic() - _STARTED:5.0f}s] {message}", file=sys.stderr, flush=True)


def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        capture_output=True,
        text=True,
        check=check,
    )


# ---------------------------------------------------------------------------
# Data: the demo, plus one consumer per client and a stock API token
# ---------------------------------------------------------------------------
SEEDED = (
    "from accounts.models import User; "
    "print('yes' if User.objects.filter(email='purchaser@example.com').exists() else 'no')"
)


def prepare() -> dict:
    database_create(DATABASE_URL)
    log("migrate, seed the demo data (once, or with SOAK_RESEED=1), collect static files")
    manage("migrate", "--noinput")
    seeded = manage("shell", "-c", SEEDED, check=False).stdout.strip() == "yes"
    if not seeded or os.environ.get("SOAK_RESEED"):
        manage("seed_demo")
    manage("compiletranslations")
    manage("collectstatic", "--noinput")

    os.environ.update(ENV)
    import django

    django.setup()
    from django.db import connection
    from oscar.core.loading import get_model

    from accounts.services import api_token_create
    from procurement.models import Filing, FilingStatus

    User = get_model("accounts", "User")
    Product = get_model("catalogue", "Product")
    Category = get_model("catalogue", "Category")
    consumers = []
    for n in range(THREADS):
        email = f"soak{n}@example.com"
        if not User.objects.filter(email=email).exists():
            User.objects.create_user(email=email, password=PASSWORD)
        consumers.append(email)
    supplier = User.objects.get(email="supplier@example.com")
    _, token = api_token_create(user=supplier, name=f"soak {time.time():.0f}")
    purchaser = User.objects.get(email="purchaser@example.com")
    filing = Filing.objects.filter(
        unit__memberships__user=purchaser, status=FilingStatus.APPROVED
    ).latest("policy_year__year")
    products = list(Product.objects.purchasable())
    data = {
        "consumers": consumers,
        "token": token,
        "filing": filing.pk,
        "products": [(p.pk, p.get_absolute_url()) for p in products],
        "categories": [c.get_absolute_url() for c in Category.objects.all()[:20]],
    }
    connection.close()
    return data


# ---------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------
class Process:
    """A subprocess in its own process group, its output in ``log_dir/name.log``."""

    def __init__(self, name: str, command: list[str], log_dir: Path):
        self.name, self.command = name, command
        self.log_path = log_dir / f"{name}.log"
        self.process = None

    def start(self) -> "Process":
        with self.log_path.open("ab") as out:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=ENV,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def rss_kib(self) -> int:
        """Resident memory of the process and its children (the worker's pool)."""
        pids = [self.process.pid]
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        total = 0
        for pid in pids:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            total += int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        return total


# ---------------------------------------------------------------------------
# The clients
# ---------------------------------------------------------------------------
class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.outcomes: dict[str, Counter] = defaultdict(Counter)
        self.server_errors: list[str] = []

    def response(self, action: str, method: str, url: str, status: int, ms: float) -> None:
        with self.lock:
            self.statuses[action][status] += 1
            self.ms[action].append(ms)
            if status >= 500:
                self.server_errors.append(f"{status} {method} {url}")

    def outcome(self, action: str, what: str) -> None:
        with self.lock:
            self.outcomes[action][what] += 1


class Client:
    def __init__(self, tally: Tally, action: str = ""):
        import requests

        self.session = requests.Session()
        self.tally = tally
        self.action = action

    def request(self, method: str, path: str, **kwargs):
        url = path if path.startswith("http") else SITE + path
        headers = kwargs.pop("headers", {})
        if method != "GET" and "csrftoken" in self.session.cookies:
            headers.setdefault("X-CSRFToken", self.session.cookies["csrftoken"])
            headers.setdefault("Referer", SITE + "/")
        started = time.monotonic()
        response = self.session.request(
            method, url, headers=headers, timeout=60, allow_redirects=False, **kwargs
        )
        ms = (time.monotonic() - started) * 1000
        if url.startswith(SITE):
            self.tally.response(self.action, method, path, response.status_code, ms)
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        data = dict(data or {})
        if "csrftoken" in self.session.cookies:
            data.setdefault("csrfmiddlewaretoken", self.session.cookies["csrftoken"])
        return self.request("POST", path, data=data, **kwargs)

    def follow(self, response, limit: int = 5):
        while response.is_redirect and limit:
            response = self.get(response.headers["Location"])
            limit -= 1
        return response

    def login(self, email: str, password: str) -> None:
        self.get("/shop/accounts/login/")
        response = self.post(
            "/shop/accounts/login/",
            {"login-username": email, "login-password": password, "login_submit": "1"},
        )
        if response.status_code != 302:
            raise RuntimeError(f"login of {email} answered {response.status_code}")


INPUT = re.compile(r"<input[^>]*>")


def basket_empty(client: Client) -> None:
    """Set every line of the basket page's formset to 0 and post it."""
    form = {}
    for tag in INPUT.findall(client.get("/shop/basket/").text):
        name = re.search(r'name="([^"]+)"', tag)
        if name and name.group(1).startswith("form-"):
            value = re.search(r'value="([^"]*)"', tag)
            form[name.group(1)] = value.group(1) if value else ""
    if form:
        client.post(
            "/shop/basket/", {k: 0 if k.endswith("-quantity") else v for k, v in form.items()}
        )


def stripe_payment_method() -> str:
    import requests

    card = {
        "type": "card",
        "card[number]": "4242424242424242",
        "card[exp_month]": "12",
        "card[exp_year]": "2034",
        "card[cvc]": "123",
    }
    answer = requests.post(
        f"{STRIPE}/v1/payment_methods", data=card, auth=(SECRET_KEY, ""), timeout=30
    )
    return answer.json()["id"]


def stripe_signature(payload: bytes) -> str:
    import stripe

    timestamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(
        f"{timestamp}.{payload.decode()}", WEBHOOK_SECRET
    )
    return f"t={timestamp},v1={signature}"


class Worker(threading.Thread):
    """One client: a random weighted action after another until the deadline."""

    def __init__(self, n: int, data: dict, tally: Tally, deadline: float):
        super().__init__(daemon=True)
        self.n, self.data, self.tally, self.deadline = n, data, tally, deadline
        self.random = random.Random(n)
        self.consumer = Client(tally, "checkout")
        self.purchaser = Client(tally, "procurement") if n == 0 else None
        self.failures: list[str] = []

    def run(self) -> None:
        self.consumer.login(self.data["consumers"][self.n], PASSWORD)
        if self.purchaser:
            self.purchaser.login("purchaser@example.com", DEMO_PASSWORD)
        actions = [a for a in ACTIONS if a != "procurement" or self.purchaser]
        weights = [ACTIONS[a] for a in actions]
        while time.monotonic() < self.deadline:
            action = self.random.choices(actions, weights)[0]
            try:
                getattr(self, action)()
            except Exception as exc:  # a client-side failure is reported, the load goes on
                self.tally.outcome(action, f"client error {type(exc).__name__}")
                if len(self.failures) < 20:
                    self.failures.append(f"{action}: {exc!r}")

    def product(self) -> tuple[int, str]:
        return self.random.choice(self.data["products"])

    def browse(self) -> None:
        client = Client(self.tally, "browse")
        for path in ("/", "/shop/", self.random.choice(self.data["categories"]), self.product()[1]):
            client.get(path)

    def search(self) -> None:
        client = Client(self.tally, "search")
        term = self.random.choice(SEARCH_TERMS)
        client.get("/shop/search/", params={"q": term})
        client.get("/api/v1/products/search", params={"q": term})

    def basket(self) -> None:
        client = Client(self.tally, "basket")
        pk, url = self.product()
        client.get(url)
        client.post(f"/shop/basket/add/{pk}/", {"quantity": 1})
        client.get("/shop/basket/")

    def checkout(self) -> None:
        client = self.consumer
        pk, url = self.product()
        client.get(url)
        client.post(f"/shop/basket/add/{pk}/", {"quantity": 1})
        page = client.follow(client.get("/shop/checkout/"))
        if "/shipping-address/" not in page.url:
            self.tally.outcome("checkout", f"no checkout ({page.status_code} {page.url})")
            return
        client.post("/shop/checkout/shipping-address/", ADDRESS)
        client.follow(client.get("/shop/checkout/shipping-method/"))
        placed = client.post("/shop/checkout/preview/", {"action": "place_order"})
        location = placed.headers.get("Location", "")
        match = re.search(r"/checkout/pay/(\w+)/", location)
        if not match:
            self.tally.outcome("checkout", f"not placed ({placed.status_code})")
            return
        client.get(location)
        paid = client.post(
            f"/shop/checkout/pay/{match.group(1)}/card/",
            {"payment_method": stripe_payment_method()},
        )
        status = paid.json().get("status") if paid.status_code < 500 else paid.status_code
        self.tally.outcome("checkout", f"payment {status}")

    def procurement(self) -> None:
        client = self.purchaser
        pk, _ = self.product()
        client.post(f"/shop/basket/add/{pk}/", {"quantity": 1})
        page = client.get("/procurement/checkout/").text
        reviewed = dict(
            re.findall(r'<input type="hidden" name="(basket_id|fingerprint)" value="(\w*)">', page)
        )
        form = {"filing": self.data["filing"], **PROCUREMENT_DETAILS, **reviewed}
        answer = client.post("/procurement/checkout/", form)
        self.tally.outcome("procurement", "ordered" if answer.status_code == 302 else "refused")
        if answer.status_code != 302:
            # Refused (the balance, a product no longer buyable): start again from an empty
            # basket, as the purchaser would.
            basket_empty(client)

    def stock(self) -> None:
        client = Client(self.tally, "stock")
        headers = {"Authorization": f"Bearer {self.data['token']}"}
        items = client.get("/api/v1/supplier/stock", headers=headers).json()
        items = items.get("items", items) if isinstance(items, dict) else items
        item = self.random.choice(items)
        level = max(0, item["num_allocated"] + self.random.randint(-5, 200))
        answer = client.request(
            "PATCH",
            "/api/v1/supplier/stock",
            headers=headers,
            json={"items": [{"sku": item["sku"], "num_in_stock": level}]},
        )
        self.tally.outcome("stock", str(answer.status_code))

    def webhook(self) -> None:
        import requests

        events = requests.get(
            f"{STRIPE}/v1/events", params={"limit": 20}, auth=(SECRET_KEY, ""), timeout=30
        ).json()["data"]
        if not events:
            return
        payload = json.dumps(self.random.choice(events)).encode()
        client = Client(self.tally, "webhook")
        answer = client.request(
            "POST",
            "/payments/stripe/webhook/",
            data=payload,
            headers={
                "Content-Type": "application/json",
                "Stripe-Signature": stripe_signature(payload),
            },
        )
        self.tally.outcome("webhook", str(answer.status_code))


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------
def drained(timeout: float = 120) -> bool:
    """Wait for the worker to catch up: every event processed, every outbox empty."""
    from payments.models import StripeEvent
    from reports.models import SalesOutbox
    from search.models import SearchOutbox

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not (
            StripeEvent.objects.filter(processed_at__isnull=True).exists()
            or SearchOutbox.objects.exists()
            or SalesOutbox.objects.exists()
        ):
            return True
        time.sleep(1)
    return False


def database_checks(first_order_pk: int) -> dict:
    from django.db.models import Count, F, Q
    from oscar.core.loading import get_model

    from orders.models import OrderStatus

    StockRecord = get_model("partner", "StockRecord")
    Order = get_model("order", "Order")
    orders = Order.objects.filter(pk__gt=first_order_pk)
    return {
        "oversold": StockRecord.objects.filter(num_allocated__gt=F("num_in_stock")).count(),
        "paid_twice": orders.annotate(
            paid=Count("payment_events", filter=Q(payment_events__event_type__code="paid"))
        )
        .filter(paid__gt=1)
        .count(),
        "orders": orders.count(),
        "consumer_paid": orders.filter(channel="consumer", status=OrderStatus.PAID).count(),
        "procurement": orders.filter(channel="procurement").count(),
    }


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> int:
    if not redis_answers(REDIS_URL):
        log(f"Redis does not answer at {REDIS_URL}")
        return 2
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # the soak's own database index: cache and broker
    data = prepare()
    from django.db.models import Max
    from oscar.core.loading import get_model

    first_order_pk = get_model("order", "Order").objects.aggregate(n=Max("pk"))["n"] or 0
    log_dir = Path(tempfile.mkdtemp(prefix="huinong-soak-"))
    log(f"logs in {log_dir}")
    stripe = Process(
        "localstripe",
        [sys.executable, "-m", "payments.devserver", "serve", "--port", str(STRIPE_PORT)],
        log_dir,
    )
    worker = Process(
        "worker",
        [sys.executable, "-m", "celery", "-A", "marketplace", "worker", "-c", "2", "-l", "INFO"],
        log_dir,
    )
    beat = Process(
        "beat",
        [
            *(sys.executable, "-m", "celery", "-A", "marketplace", "beat", "-l", "INFO"),
            *("--schedule", str(log_dir / "celerybeat-schedule")),
        ],
        log_dir,
    )
    site = load.GunicornServer("soak", "marketplace.wsgi", SITE_PORT, env=ENV, log_dir=log_dir)
    processes = [stripe, worker, beat]
    tally = Tally()
    memory: list[tuple[float, int]] = []
    try:
        from payments.devserver import register_webhook, wait_until_up

        stripe.start()
        wait_until_up(STRIPE_PORT, process=stripe.process)
        register_webhook(STRIPE_PORT, url=f"{SITE}/payments/stripe/webhook/", secret=WEBHOOK_SECRET)
        worker.start()
        beat.start()
        site.start(ready_path="/healthz", timeout=300)  # four workers booting on busy cores
        log(f"load: {THREADS} clients for {SECONDS:.0f} s against gunicorn on {SITE}")
        started = time.monotonic()
        deadline = started + SECONDS
        clients = [Worker(n, data, tally, deadline) for n in range(THREADS)]
        for client in clients:
            client.start()
        while any(c.is_alive() for c in clients):
            memory.append((time.monotonic() - started, worker.rss_kib()))
            time.sleep(5)
        elapsed = time.monotonic() - started
        log("load over; waiting for the worker to catch up")
        caught_up = drained()
        memory.append((time.monotonic() - started, worker.rss_kib()))
        checks = database_checks(first_order_pk)
        reconcile = {
            name: manage(name, check=False).returncode
            for name in ("reconcile_quota", "reconcile_sales")
        }
    finally:
        site.stop()
        for process in reversed(processes):
            process.stop()

    # Memory: the largest sample of the first quarter (imports done, pools warm) against the
    # last one, after the queue drained.
    warm = [kib for at, kib in memory if at <= SECONDS / 4] or [memory[0][1]]
    baseline, final = max(warm), memory[-1][1]
    growth = (final - baseline) / baseline
    tasks = worker.log_path.read_text(errors="replace").count("] succeeded in ")
    requests_total = sum(sum(c.values()) for c in tally.statuses.values())
    errors = len(tally.server_errors)

    print(f"\nSoak: {elapsed:.0f} s, {THREADS} clients, gunicorn {load.GUNICORN_WORKERS} workers")
    print(f"{'action':<12} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
    for action in ACTIONS:
        ms = tally.ms.get(action, [])
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(tally.statuses[action].items()))
        print(
            f"{action:<12} {len(ms):>9} {len(ms) / elapsed:>7.1f} "
            f"{statistics.median(ms) if ms else 0:>8.0f} {percentile(ms, 0.99):>8.0f}  {statuses}"
        )
    for action, outcomes in tally.outcomes.items():
        print(f"  {action}: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))
    print(f"requests: {requests_total} ({requests_total / elapsed:.1f}/s)")
    print(
        f"orders placed: {checks['orders']}, card-paid: {checks['consumer_paid']}, "
        f"procurement: {checks['procurement']}; tasks run by the worker: {tasks}"
    )
    print(f"server errors: {errors}")
    print(f"oversold stock records: {checks['oversold']}")
    print(f"orders paid twice: {checks['paid_twice']}")
    print(f"worker caught up: {'yes' if caught_up else 'NO'}")
    for name, code in reconcile.items():
        print(f"{name}: exit {code}")
    print(
        f"worker memory: {baseline / 1024:.1f} MiB warm -> {final / 1024:.1f} MiB at the end "
        f"({growth:+.1%})"
    )
    for line in tally.server_errors[:20]:
        print(f"  server error: {line}")
    for client in clients:
        for line in client.failures[:5]:
            print(f"  client {client.n}: {line}")
    print(f"logs: {log_dir}")
    ok = (
        errors == 0
        and checks["oversold"] == 0
        and checks["paid_twice"] == 0
        and caught_up
        and all(code == 0 for code in reconcile.values())
        and growth < MEMORY_LIMIT
    )
    print("SOAK PASSED" if ok else "SOAK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
