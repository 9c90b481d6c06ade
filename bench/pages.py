"""The pages under load, their targets, and their SQL queries counted in-process.

Queries are counted with Django's test ``Client`` against the bench database (not through
gunicorn), after one warm-up request, so that they are the steady state that the load sees:
caches (navigation, category URLs, thumbnails) are warm by then.
"""

import logging
import math
import random
import statistics
import time
import traceback
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
from oscar.core.loading import get_model

from .generate import bench_user
from .load import WrkResult

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

# Product pages are drawn from a Zipf distribution over the whole catalogue (report.lua);
# which product is how popular is shuffled with this seed.
ZIPF_SEED = 15
SEARCH_TERM = "石榴"
CATEGORY_MAX_QUERIES = 12
MAX_QUERIES = 12
PORTAL_MAX_QUERIES = 15
TIMED_REQUESTS = 3


@dataclass
class Target:
    """What BENCHMARKS.md asks of a page; None where it sets nothing."""

    min_ratio: float | None = None
    max_queries: int | None = None
    constant_queries: bool = False

    def describe(self) -> str:
        parts = []
        if self.min_ratio is not None:
            parts.append(f">={self.min_ratio:.0%} ceil")
        if self.max_queries is not None:
            parts.append(f"SQL<={self.max_queries}")
        if self.constant_queries:
            parts.append("SQL const")
        return ", ".join(parts) or "-"


@dataclass
class Page:
    name: str
    paths: list[str]
    logged_in: bool = False
    # Signed in as this user instead of the bench shopper (the portal pages).
    user_email: str | None = None
    target: Target = field(default_factory=Target)
    status: int | None = None
    queries: int | None = None
    error: str = ""
    # Query counts of the same list at other pages: {label: count}.
    query_variants: dict[str, int] = field(default_factory=dict)
    server_ms: float | None = None
    sql_ms: float | None = None
    # Paths drawn from a Zipf distribution (report.lua) instead of cycled.
    zipf: bool = False
    # Measured with an empty cache and no warm-up (the cache is emptied before each run).
    cold: bool = False
    # One (wrk result, ceiling req/s) per round; the ceiling is the mean of the ceiling runs
    # just before and after the page's run.
    runs: list[tuple[WrkResult, float]] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.paths[0]

    @property
    def ratios(self) -> list[float]:
        return [result.rps / ceiling for result, ceiling in self.runs if ceiling]

    @property
    def _median_run(self) -> tuple[WrkResult, float] | None:
        """The run whose ratio is the median of the rounds (the lower middle one of an even
        number), so that req/s, latencies and ratio in the table come from one run."""
        if not self.runs:
            return None
        ordered = sorted(self.runs, key=lambda run: run[0].rps / run[1] if run[1] else 0)
        return ordered[(len(ordered) - 1) // 2]

    @property
    def result(self) -> WrkResult | None:
        run = self._median_run
        return run[0] if run else None

    @property
    def ceiling_rps(self) -> float | None:
        run = self._median_run
        return run[1] if run else None

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.error


@dataclass
class Probe:
    """What requesting a page in-process showed: its SQL and its time without concurrency."""

    response: object = None
    error: str = ""
    queries: int | None = None
    server_ms: float | None = None  # median wall time of one request, in-process
    sql_ms: float | None = None  # median time spent in SQL within it


class PageProbe:
    """Requests pages in-process, as an anonymous and as a signed-in shopper."""

    def __init__(self):
        setup_test_environment()  # gives responses their template context
        # A failing page is reported in the table; its traceback would only bury it.
        logging.getLogger("django.request").setLevel(logging.CRITICAL)
        self.anonymous = Client(raise_request_exception=True)
        self.signed_in = Client(raise_request_exception=True)
        self.signed_in.force_login(bench_user())

        self.clients = {}

    def client(self, *, logged_in: bool, user_email: str | None = None) -> Client:
        if user_email is None:
            return self.signed_in if logged_in else self.anonymous
        if user_email not in self.clients:
            client = Client(raise_request_exception=True)
            client.force_login(get_user_model().objects.get(email=user_email))
            self.clients[user_email] = client
        return self.clients[user_email]

    def cookie(self, page: "Page") -> str:
        """The session cookie a page is loaded with ("" for a visitor)."""
        if not page.logged_in:
            return ""
        client = self.client(logged_in=True, user_email=page.user_email)
        name = settings.SESSION_COOKIE_NAME
        return f"{name}={client.cookies[name].value}"

    def get(
        self,
        path: str,
        *,
        logged_in: bool = False,
        user_email: str | None = None,
        cold: bool = False,
    ) -> Probe:
        """One warm-up request, then ``TIMED_REQUESTS`` measured ones (medians reported);
        ``cold``: no warm-up, and the cache emptied before each measured request (what the
        first request after a change costs)."""
        client = self.client(logged_in=logged_in, user_email=user_email)
        probe = Probe()
        times, sql_times = [], []
        try:
            if not cold:
                client.get(path)
            for _ in range(TIMED_REQUESTS):
                if cold:
                    cache.clear()
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    probe.response = client.get(path)
                    times.append(time.perf_counter() - started)
                sql_times.append(sum(float(q["time"]) for q in captured.captured_queries))
        except Exception as error:  # any failure of the page is reported, not raised
            probe.response = None
            probe.error = f"{type(error).__name__}: {error} ({_where(error)})"
            return probe
        probe.queries = len(captured.captured_queries)
        probe.server_ms = statistics.median(times) * 1000
        probe.sql_ms = statistics.median(sql_times) * 1000
        return probe

    def check(self, page: Page) -> None:
        probe = self.get(
            page.path, logged_in=page.logged_in, user_email=page.user_email, cold=page.cold
        )
        page.error, page.queries = probe.error, probe.queries
        page.server_ms, page.sql_ms = probe.server_ms, probe.sql_ms
        page.status = 500 if probe.response is None else probe.response.status_code
        if probe.response is not None and page.status != 200:
            page.error = f"HTTP {page.status} {probe.response.get('Location', '')}".strip()
        if page.ok and page.target.constant_queries:
            self._count_last_page(page, probe.response)

    def _count_last_page(self, page: Page, response) -> None:
        """Count the queries of the list's last page, which holds fewer rows than the others."""
        paginator = response.context.get("paginator") if response.context else None
        if paginator is not None:
            last, per_page = paginator.num_pages, paginator.per_page
            rows = len(paginator.page(last).object_list)
        else:
            _, total = _biggest_category()
            per_page = settings.OSCAR_PRODUCTS_PER_PAGE
            last, rows = math.ceil(total / per_page), total % per_page or per_page
        other = self.get(f"{page.path.split('?')[0]}?page={last}")
        if other.response is not None and other.response.status_code == 200:
            page.query_variants[f"p{last} ({rows} of {per_page} rows)"] = other.queries


def product_paths_by_popularity(seed: int = ZIPF_SEED) -> list[str]:
    """Every purchasable product's page, in a fixed random order that report.lua reads as
    popularity ranks (the first the most viewed): popularity has nothing to do with ids."""
    # The catalogue's products, not those the portal and procurement benches add.
    products = (
        Product.objects.purchasable()
        .exclude(upc__startswith="BENCH-")
        .order_by("pk")
        .only("pk", "slug")
    )
    paths = [p.get_absolute_url() for p in products]
    random.Random(seed).shuffle(paths)
    return paths


def cold(page: Page) -> Page:
    """``page`` measured cold: the cache emptied just before each run, no warm-up, no
    target (the verdict is the warm row's). A new page: its runs and counts are its own."""
    return Page(
        f"{page.name} (cold)",
        page.paths,
        logged_in=page.logged_in,
        user_email=page.user_email,
        zipf=page.zipf,
        cold=True,
    )


def pages_build() -> list[Page]:
    """Home, a big category, product pages over the whole catalogue, basket and search;
    anonymous and signed in; each cached page also cold."""
    category, count = _biggest_category()
    category_url = category.get_absolute_url()
    product_paths = product_paths_by_popularity()
    category_target = Target(
        min_ratio=0.25, max_queries=CATEGORY_MAX_QUERIES, constant_queries=True
    )
    signed_in = Target(min_ratio=0.10, max_queries=MAX_QUERIES)
    zipf = f"product, Zipf over {len(product_paths):,}"
    search = [f"/shop/search/?q={quote(SEARCH_TERM)}"]
    home = Page("home", ["/"], target=Target(min_ratio=0.25, max_queries=MAX_QUERIES))
    category_p1 = Page(f"category p1 ({count} products)", [category_url], target=category_target)
    product = Page(zipf, product_paths, zipf=True, target=Target(min_ratio=0.10))
    product_signed_in = Page(
        f"{zipf}, signed in", product_paths, zipf=True, logged_in=True, target=signed_in
    )
    basket_signed_in = Page(
        "basket, signed in (3 lines)",
        ["/shop/basket/"],
        logged_in=True,
        target=Target(min_ratio=0.05, max_queries=MAX_QUERIES),
    )
    search_anonymous = Page(f"search ?q={SEARCH_TERM}", search, target=Target(min_ratio=0.10))
    return [
        home,
        cold(home),
        Page("home, signed in", ["/"], logged_in=True, target=signed_in),
        category_p1,
        cold(category_p1),
        Page("category p2", [f"{category_url}?page=2"], target=category_target),
        Page("category p1, signed in", [category_url], logged_in=True, target=signed_in),
        product,
        cold(product),
        product_signed_in,
        cold(product_signed_in),
        Page("basket", ["/shop/basket/"]),
        basket_signed_in,
        cold(basket_signed_in),
        search_anonymous,
        cold(search_anonymous),
        Page(f"search ?q={SEARCH_TERM}, signed in", search, logged_in=True, target=signed_in),
    ]


def portal_pages(marker: dict) -> list[Page]:
    """The unit portal and the supplier portal's home, signed in as the bench unit's
    purchaser and the bench supplier's staff member (bench/portals.py), warm and cold."""
    target = Target(min_ratio=0.05, max_queries=PORTAL_MAX_QUERIES)
    pages = []
    for name, path, user in [
        (
            f"unit portal /procurement/ ({marker['unit_orders']:,} orders)",
            "/procurement/",
            "purchaser",
        ),
        (
            f"supplier portal home ({marker['supplier_lines']:,} order lines)",
            "/supplier/",
            "supplier_staff",
        ),
    ]:
        page = Page(name, [path], logged_in=True, user_email=marker[user], target=target)
        pages += [page, cold(page)]
    return pages


def _biggest_category():
    """The top-level category with the most purchasable products below it, and that count."""
    counts = []
    for root in Category.get_root_nodes().filter(is_public=True):
        below = Category.objects.filter(path__startswith=root.path)
        products = Product.objects.purchasable().filter(categories__in=below)
        counts.append((products.aggregate(n=Count("pk", distinct=True))["n"], root))
    n, root = max(counts, key=lambda pair: pair[0])
    return root, n


def _where(error: Exception) -> str:
    """The innermost frame of the project's own code (else the innermost frame at all)."""
    root = f"{settings.BASE_DIR}/"
    frames = traceback.extract_tb(error.__traceback__)
    own = [
        f
        for f in frames
        if f.filename.startswith(root)
        and not f.filename.startswith((f"{root}.venv/", f"{root}bench/"))
    ]
    frame = (own or frames)[-1]
    return f"{frame.filename.removeprefix(root)}:{frame.lineno}"
