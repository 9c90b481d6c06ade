"""The search benchmark (``bench/run.py --search``): both engines on the bench catalogue.

For the database engine (PostgreSQL, the bench database) and the Elasticsearch engine
(against osmem-server, the in-process OpenSearch-compatible server started here on a free
port; a real Elasticsearch 8 cluster is used instead when ``BENCH_SEARCH_URL`` is set), it
measures the index build time of the whole catalogue, then the latency of one engine call
(results page 1 of 24 with every facet counted) for a set of realistic Chinese and pinyin
queries with filters and sorts, and of suggestions. Engine calls only: the page cache in
``search.selectors`` is bypassed. Page throughput is measured by the page runs
(``search`` pages in ``bench/pages.py``).

The Elasticsearch engine's queries get a 60 s client timeout here instead of the site's
2 s (after which the site falls back to the database engine), so that a slow query is
measured rather than counted as an outage. Both engines must give the same totals: the
per-query table marks a difference with ``!=``. The load average is recorded before and
after each engine's measurement, since the machine is shared.
"""

import os
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection

from search.engines import DatabaseEngine, SearchQuery, SortOrder
from search.models import ProductDocument

ROUNDS = int(os.environ.get("BENCH_SEARCH_ROUNDS", 20))
SUGGEST_PREFIXES = ["石", "石榴", "shil", "sl", "kou", "黄金", "xm", "蜂蜜"]


def _queries() -> list[tuple[str, dict]]:
    from regions.models import Region

    county = Region.objects.filter(code="340621").first()
    path = county.path if county else ""
    return [
        ("石榴", {"text": "石榴"}),
        ("酥梨", {"text": "酥梨"}),
        ("石榴 礼盒", {"text": "石榴 礼盒"}),
        ("濉溪 香油", {"text": "濉溪 香油"}),
        ("shiliu", {"text": "shiliu"}),
        ("sl (initials)", {"text": "sl"}),
        ("fengmi", {"text": "fengmi"}),
        ("口子窖, price desc", {"text": "口子窖", "sort": SortOrder.PRICE_DESC}),
        ("石榴 + 濉溪县", {"text": "石榴", "origin_region_path": path}),
        ("蜂蜜 + 绿色 + 50-100元", {"text": "蜂蜜", "flags": ("green",), "price_range": "50-100"}),
        ("dami + in stock, sales", {"text": "dami", "in_stock": True, "sort": SortOrder.SALES}),
        ("黄金梨 + 地理标志", {"text": "黄金梨", "flags": ("geo",)}),
        ("(browse all), newest", {"sort": SortOrder.NEWEST}),
        ("(browse) 濉溪县 + 有机", {"origin_region_path": path, "flags": ("organic",)}),
    ]


@dataclass
class EngineFigures:
    engine: str
    where: str
    documents: int = 0
    build_s: float | None = None
    samples_ms: list[float] = field(default_factory=list)
    suggest_ms: list[float] = field(default_factory=list)
    per_query: dict[str, tuple[int, float]] = field(default_factory=dict)  # hits, median ms
    loadavg: list[tuple[float, float, float]] = field(default_factory=list)  # before, after
    error: str = ""

    @staticmethod
    def pct(values: list[float], p: float) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def as_dict(self) -> dict:
        return {
            "engine": self.engine,
            "where": self.where,
            "documents": self.documents,
            "build_s": self.build_s,
            "query_ms": {p: self.pct(self.samples_ms, p) for p in (50, 95, 99)},
            "suggest_ms": {p: self.pct(self.suggest_ms, p) for p in (50, 95, 99)},
            "samples": len(self.samples_ms),
            "per_query": {k: {"hits": h, "median_ms": m} for k, (h, m) in self.per_query.items()},
            "loadavg": self.loadavg,
            "error": self.error,
        }


def documents_prepare(log) -> None:
    """The database engine's documents for the bench catalogue (list pages read them)."""
    from bench.generate import Product

    expected = Product.objects.purchasable().count()
    if ProductDocument.objects.count() == expected:
        return
    from search.services import search_index_rebuild_database

    log(f"building the database search documents for {expected:,} products")
    started = time.monotonic()
    search_index_rebuild_database()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_productdocument, search_productdocumentcategory")
    log(f"search documents built in {time.monotonic() - started:.1f}s")


def _loadavg() -> tuple[float, float, float]:
    return tuple(round(x, 2) for x in os.getloadavg())


def _progress(log, name: str, every: int = 10_000):
    """A rebuild progress callback that logs every ``every`` documents."""
    started, reported = time.monotonic(), {"at": 0}

    def progress(done: int, total: int) -> None:
        if done - reported["at"] >= every or done == total:
            reported["at"] = done
            log(f"{name}: {done:,}/{total:,} documents, {time.monotonic() - started:.0f}s")

    return progress


def _measure(engine, figures: EngineFigures, log) -> None:
    figures.loadavg.append(_loadavg())
    queries = _queries()
    timings = {name: [] for name, _ in queries}
    hits = {}
    for name, kwargs in queries:  # warm-up: caches, JIT of the planner, osmem's segments
        hits[name] = engine.search(SearchQuery(**kwargs)).total
    for _ in range(ROUNDS):
        for name, kwargs in queries:
            started = time.perf_counter()
            engine.search(SearchQuery(**kwargs))
            timings[name].append((time.perf_counter() - started) * 1000)
        for prefix in SUGGEST_PREFIXES:
            started = time.perf_counter()
            engine.suggest(prefix)
            figures.suggest_ms.append((time.perf_counter() - started) * 1000)
    for name, values in timings.items():
        figures.samples_ms.extend(values)
        figures.per_query[name] = (hits[name], statistics.median(values))
    figures.loadavg.append(_loadavg())
    log(
        f"{figures.engine}: query p50 {figures.pct(figures.samples_ms, 50):.1f} ms, "
        f"p95 {figures.pct(figures.samples_ms, 95):.1f} ms, "
        f"p99 {figures.pct(figures.samples_ms, 99):.1f} ms"
    )


def database_figures(log) -> EngineFigures:
    figures = EngineFigures("database", f"PostgreSQL ({connection.settings_dict['NAME']})")
    from search.services import search_index_rebuild_database

    log("database engine: rebuilding every search document (timed)")
    started = time.monotonic()
    figures.documents = search_index_rebuild_database(progress=_progress(log, "database"))
    figures.build_s = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_productdocument, search_productdocumentcategory")
    log(f"database engine: {figures.documents:,} documents in {figures.build_s:.1f}s")
    _measure(DatabaseEngine(), figures, log)
    return figures


def elasticsearch_figures(log) -> EngineFigures:
    from search.engines.elastic import ElasticsearchEngine

    url = os.environ.get("BENCH_SEARCH_URL", "")
    server = None
    if url:
        flavor = os.environ.get("BENCH_SEARCH_FLAVOR", "elasticsearch")
        where = f"{flavor} at {url}"
    else:
        from osmem_server import OsmemServer

        server = OsmemServer.start(japanese=False)
        url, flavor = server.url, "opensearch"
        where = f"osmem-server {server.version} (in-memory OpenSearch-compatible, same host)"
    figures = EngineFigures("elasticsearch", where)
    try:
        engine = ElasticsearchEngine(url=url, flavor=flavor, prefix="bench")
        engine.client = engine.client.options(request_timeout=60)
        log(f"elasticsearch engine: building a new index on {where} (timed)")
        report = engine.rebuild(progress=_progress(log, "elasticsearch"))
        figures.documents, figures.build_s = report["documents"], report["seconds"]
        log(f"elasticsearch engine: {figures.documents:,} documents in {figures.build_s:.1f}s")
        _measure(engine, figures, log)
    except Exception as error:  # reported in the table, the rest of the bench goes on
        figures.error = f"{type(error).__name__}: {error}"
        log(f"elasticsearch engine failed: {figures.error}")
    finally:
        if server is not None:
            server.close()
    return figures


def search_run(log) -> list[EngineFigures]:
    return [database_figures(log), elasticsearch_figures(log)]


def table(results: list[EngineFigures]) -> str:
    def ms(value):
        return "-" if value is None else f"{value:,.1f}"

    lines = [
        "Search engines (one call = results page 1 of 24 + all facets; target p95 < 150 ms "
        "database on PostgreSQL, < 50 ms Elasticsearch, at 100,000 products)",
        f"{'engine':<14} {'documents':>10} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'suggest p95':>12}  where",
    ]
    for r in results:
        if r.error and not r.samples_ms:
            lines.append(f"{r.engine:<14} error: {r.error}")
            continue
        lines.append(
            f"{r.engine:<14} {r.documents:>10,} {ms(r.build_s):>8} "
            f"{ms(r.pct(r.samples_ms, 50)):>8} {ms(r.pct(r.samples_ms, 95)):>8} "
            f"{ms(r.pct(r.samples_ms, 99)):>8} "
            f"{ms(r.pct(r.suggest_ms, 95)):>12}  {r.where}"
        )
    for r in results:
        if r.loadavg:
            during = ", ".join(" / ".join(f"{x:.2f}" for x in avg) for avg in r.loadavg)
            lines.append(f"{r.engine}: load average (1/5/15 min) before, after: {during}")
    lines.append("")
    names = list(results[0].per_query) if results else []
    header = f"{'query':<28}" + "".join(f"{r.engine + ' hits / ms':>26}" for r in results)
    lines.append(header)
    for name in names:
        row = f"{name:<28}"
        for r in results:
            hits, median = r.per_query.get(name, (0, None))
            row += f"{f'{hits:,} / {ms(median)}':>26}"
        answers = {r.per_query[name][0] for r in results if name in r.per_query}
        lines.append(row + ("  != (totals differ)" if len(answers) > 1 else ""))
    return "\n".join(lines)


def search_pages() -> list:
    """Extra search pages for the page runs: pinyin, and Chinese with facet filters."""
    from urllib.parse import quote

    from bench.pages import Page, Target

    return [
        Page("search ?q=shiliu", ["/shop/search/?q=shiliu"], target=Target(min_ratio=0.10)),
        Page(
            "search ?q=蜂蜜 + 绿色 + 50-100元",
            [f"/shop/search/?q={quote('蜂蜜')}&flag=green&price=50-100"],
            target=Target(min_ratio=0.10),
        ),
    ]
