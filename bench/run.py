"""``make bench``: storefront throughput as a ratio of a ceiling app, measured side by side.

Steps: install wrk if missing; create or reuse the ``huinong_bench`` PostgreSQL database and
its catalogue; collect static files; count each page's SQL queries in-process; serve the site
and the ceiling app with gunicorn; load ceiling, page, ceiling, page, ... with wrk; then place
orders from 16 threads in-process on a product with too little stock (checkout placement
under contention); print the tables and write ``bench/results/latest.json``. See
bench/README.md.
"""

import argparse
import datetime
import io
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: make the project and ``bench`` importable

from bench import environment, load, summary  # noqa: E402

DATA = environment.DATA
RESULTS = ROOT / "bench" / "results"


_STARTED = time.monotonic()


def log(message: str) -> None:
    elapsed = time.monotonic() - _STARTED
    print(f"[bench {elapsed:5.0f}s] {message}", file=sys.stderr, flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="2 s warm-up and 5 s measured per run (a smoke test)"
    )
    parser.add_argument("--warmup", type=float, default=float(env("BENCH_WARMUP", 4)))
    parser.add_argument("--duration", type=float, default=float(env("BENCH_DURATION", 6)))
    parser.add_argument(
        "--rounds",
        type=int,
        default=int(env("BENCH_ROUNDS", 3)),
        help="interleaved rounds per page; the verdict is the median ratio (at least 3)",
    )
    parser.add_argument("--products", type=int, default=int(env("BENCH_PRODUCTS", 10_000)))
    parser.add_argument(
        "--pages", default="", help="comma-separated words; run only pages whose name has one"
    )
    parser.add_argument(
        "--queries-only", action="store_true", help="count SQL queries, start no load"
    )
    parser.add_argument(
        "--no-portals",
        action="store_true",
        help="leave out the unit and supplier portal pages (their data takes a few minutes "
        "to make on the first run)",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="rebuild the bench database even if current"
    )
    parser.add_argument(
        "--search",
        action="store_true",
        help="also benchmark both search engines (index build, query p50/p95/p99) and add "
        "pinyin and faceted search pages; use --products 100000 for the search targets",
    )
    checkout = parser.add_mutually_exclusive_group()
    checkout.add_argument(
        "--checkout-only",
        action="store_true",
        help="only the checkout placement benchmark: no pages, no gunicorn, no wrk",
    )
    checkout.add_argument(
        "--no-checkout", action="store_true", help="skip the checkout placement benchmark"
    )
    parser.add_argument(
        "--no-procurement",
        action="store_true",
        help="skip the procurement benchmark (submissions on one filing, 5x oversubscribed)",
    )
    parser.add_argument(
        "--procurement-only",
        action="store_true",
        help="only the procurement benchmark: no pages, no checkout, no gunicorn",
    )
    parser.add_argument(
        "--reports-only",
        action="store_true",
        help="only the reports benchmark (bench/reports.py: 2,000,000 order lines, 50,000 "
        "entity-month figures; dashboard, annual Excel and rollup rebuild times)",
    )
    args = parser.parse_args(argv)
    args.procurement = not (args.no_procurement or args.queries_only or args.checkout_only)
    if args.procurement_only:
        args.procurement = True
        args.checkout_only = False
        args.no_checkout = True
    if args.checkout_only and (args.pages or args.queries_only):
        parser.error("--checkout-only runs no pages: drop --pages/--queries-only")
    if args.quick:
        args.warmup, args.duration, args.rounds = 2.0, 3.0, 1
    return args


# ---------------------------------------------------------------------------
# Environment, database and catalogue
# ---------------------------------------------------------------------------
def redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def site_environment() -> dict[str, str]:
    """The environment of the site, in this process and in gunicorn (bench/environment.py),
    with Redis only if it answers. BENCH_* variables override the database, Redis and
    settings module."""
    redis_url = os.environ.get("BENCH_REDIS_URL", environment.REDIS_URL)
    return {
        **os.environ,
        **environment.SITE_ENVIRONMENT,
        "DJANGO_SETTINGS_MODULE": os.environ.get("BENCH_SETTINGS_MODULE", "bench.settings"),
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", environment.DATABASE_URL),
        "REDIS_URL": redis_url if redis_answers(redis_url) else "",
    }


def database_create(url: str, *, drop: bool = False) -> None:
    """Create the bench database if it is missing (dropping it first if ``drop``)."""
    import psycopg
    from psycopg import sql

    name = psycopg.conninfo.conninfo_to_dict(url)["dbname"]
    try:
        conn = psycopg.connect(url, dbname="postgres", autocommit=True)
    except psycopg.OperationalError as error:
        raise load.BenchError(f"PostgreSQL does not answer at {url}: {error}")
    with conn:
        if drop:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# Any number fixed for the bench: pg_advisory_lock's key.
BENCH_LOCK_KEY = 0x6875_6E6F_6E67  # "hunong"
_lock_connection = None


def bench_lock(url: str) -> None:
    """Hold a PostgreSQL advisory lock for the whole run (on its own connection, released
    when this process ends), so that two benches never run at once on this machine, from
    any worktree: they would share the bench database and empty each other's cache, and
    each would load the CPUs under the other's measurements. Waits for a running bench."""
    import psycopg

    global _lock_connection
    _lock_connection = psycopg.connect(url, dbname="postgres", autocommit=True)
    got = _lock_connection.execute("SELECT pg_try_advisory_lock(%s)", [BENCH_LOCK_KEY])
    if not got.fetchone()[0]:
        log("another bench is running: waiting for it to finish")
        _lock_connection.execute("SELECT pg_advisory_lock(%s)", [BENCH_LOCK_KEY])
    log("bench lock held")


def catalogue_prepare(args, database_url: str) -> str:
    """Migrate and, unless the database already holds this catalogue, generate it.

    Returns "reused" or "generated".
    """
    from django.core.management import call_command
    from django.db import connections

    from bench import generate

    Product = generate.Product

    log("migrating the bench database")
    call_command("migrate", interactive=False, verbosity=0)
    if not args.regenerate and generate.catalogue_is_current(args.products):
        generate.statistics_refresh()
        return "reused"
    if args.regenerate or generate.catalogue_marker() is not None or Product.objects.exists():
        log("dropping the old bench database")
        connections.close_all()
        database_create(database_url, drop=True)
        call_command("migrate", interactive=False, verbosity=0)
    log(f"generating {args.products:,} products")
    started = time.monotonic()
    generate.catalogue_generate(products=args.products)
    generate.statistics_refresh()
    log(f"generated in {time.monotonic() - started:.1f}s")
    return "generated"


def call_command_quiet(name: str) -> None:
    from django.core.management import call_command

    call_command(name, interactive=False, verbosity=0)


def assets_prepare() -> None:
    """Static files as production serves them (hashed, compressed), and the message catalogs."""
    from django.core.management import call_command, get_commands

    if "compiletranslations" in get_commands():
        call_command("compiletranslations", verbosity=0, stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)


# ---------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------
def load_pages(pages, args, env, cookie_of, empty_cache) -> list[load.WrkResult]:
    """``args.rounds`` rounds of ceiling, page A, ceiling, page B, ..., ceiling. Each page's
    verdict is the median of its ratios over the rounds. Each run of a warm page follows a
    warm-up (discarded) of ``args.warmup`` seconds on the same paths (a cold page may have
    emptied the cache since its last run); a cold page gets no warm-up, and
    ``empty_cache()`` empties the cache just before each of its runs. Returns the ceiling
    runs in order."""
    site_port = int(os.environ.get("BENCH_SITE_PORT", 8901))
    ceiling_port = int(os.environ.get("BENCH_CEILING_PORT", 8902))
    logs = DATA / "logs"

    def measured(port, paths, headers=None, *, warmup=0.0, zipf=False):
        if warmup:
            load.wrk_run(port, paths, seconds=warmup, headers=headers, zipf=zipf)
        return load.wrk_run(port, paths, seconds=args.duration, headers=headers, zipf=zipf)

    ceilings = []
    with (
        load.GunicornServer(
            "ceiling", "bench.ceiling:application", ceiling_port, env=env, log_dir=logs
        ),
        load.GunicornServer(
            "site", "marketplace.wsgi:application", site_port, env=env, log_dir=logs
        ),
    ):
        log("priming the workers")
        for page in (p for p in pages if p.ok):
            headers = {"Cookie": cookie_of(page)} if page.logged_in else {}
            statuses = load.prime(site_port, page.paths[:50], headers)
            if statuses != {200}:
                codes = ", ".join(map(str, sorted(statuses)))
                page.error = f"HTTP {codes} through gunicorn (see {logs}/gunicorn-site.log)"
        load.prime(ceiling_port, ["/"])
        runnable = [p for p in pages if p.ok]
        ceilings.append(measured(ceiling_port, ["/"], warmup=args.warmup))
        log(f"ceiling: {ceilings[-1].rps:,.0f} req/s")
        for round_number in range(1, args.rounds + 1):
            for page in runnable:
                headers = {"Cookie": cookie_of(page)} if page.logged_in else {}
                warmup = args.warmup
                if page.cold:
                    empty_cache()
                    warmup = 0.0
                result = measured(site_port, page.paths, headers, warmup=warmup, zipf=page.zipf)
                ceilings.append(measured(ceiling_port, ["/"]))
                ceiling = statistics.mean(r.rps for r in ceilings[-2:])
                page.runs.append((result, ceiling))
                log(
                    f"round {round_number}/{args.rounds} {page.name}: {result.rps:,.1f} req/s, "
                    f"{result.rps / ceiling:.1%} of the ceiling ({ceilings[-1].rps:,.0f})"
                )
    return ceilings


def git_revision() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return done.stdout.strip() or "unknown"


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------
def main(argv=None) -> int:
    args = parse_args(argv)
    # A terminated run still stops its servers: SystemExit unwinds through their ``with``.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = datetime.datetime.now(datetime.UTC)
    loadavg_at_start = os.getloadavg()
    run_pages = not (args.checkout_only or args.procurement_only)
    run_checkout = not (args.no_checkout or args.queries_only)
    if run_pages and not args.queries_only:
        load.wrk_ensure()
    env = site_environment()
    os.environ.update(env)
    bench_lock(env["DATABASE_URL"])
    if not env["REDIS_URL"]:
        log("Redis does not answer: each worker gets its own local-memory cache")
    database_create(env["DATABASE_URL"])

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connections

    from bench import generate
    from bench.pages import PageProbe, pages_build, portal_pages

    if args.reports_only:
        from bench import reports

        call_command_quiet("migrate")
        assets_prepare()
        return 0 if reports.run(lines=2_000_000, figures=50_000)["ok"] else 1

    catalogue = catalogue_prepare(args, env["DATABASE_URL"])
    log(f"catalogue {catalogue}: {generate.catalogue_marker()}")
    from bench import search as search_bench

    search_bench.documents_prepare(log)
    cache.clear()  # the bench's own Redis database: nothing stale from an earlier catalogue

    pages, ceilings = [], []
    if run_pages:
        assets_prepare()
        generate.ensure_images()
        pages = pages_build()
        if not args.no_portals and (not args.pages or "portal" in args.pages):
            from bench.portals import portals_prepare

            pages += portal_pages(portals_prepare(log=log))
        if args.search:
            pages += search_bench.search_pages()
        if args.pages:
            words = [w.strip() for w in args.pages.split(",") if w.strip()]
            pages = [p for p in pages if any(w in p.name for w in words)]
        probe = PageProbe()
        for page in pages:
            probe.check(page)
            queries = f"{page.queries} SQL queries {page.error}".rstrip()
            log(f"{page.name}: HTTP {page.status}, {queries}")
        cookies = {page.name: probe.cookie(page) for page in pages}
        connections.close_all()
        if not args.queries_only:
            ceilings = load_pages(
                pages, args, env, lambda page: cookies[page.name], empty_cache=cache.clear
            )

    placement = None
    if run_checkout:
        from bench.checkout import checkout_run

        placement = checkout_run(log=log)
        log(
            f"checkout: {placement.orders} orders, {placement.refusals} refusals, "
            f"{placement.errors} errors in {placement.seconds:.1f}s: {placement.verdict()}"
        )

    procurement = None
    if args.procurement:
        from bench.procurement import procurement_run

        procurement = procurement_run(log=log)
        log(
            f"procurement: {procurement.orders} orders, {procurement.refusals} refusals, "
            f"{procurement.submissions_per_s:.1f} submissions/s: {procurement.as_dict()['verdict']}"
        )
    search_results = []
    if args.search:
        search_results = search_bench.search_run(log)

    meta = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "catalogue": {**(generate.requested_catalogue(args.products)), "state": catalogue},
        "cache": "redis" if env["REDIS_URL"] else "locmem",
        "cpus": os.cpu_count(),
        "loadavg_at_start": loadavg_at_start,
        "loadavg_at_end": os.getloadavg(),
        "method": {
            "pages": run_pages,
            "checkout": run_checkout,
            "queries_only": args.queries_only,
            "rounds": args.rounds,
            "warmup_s": args.warmup,
            "duration_s": args.duration,
            "connections": load.CONNECTIONS,
            "threads": load.THREADS,
            "gunicorn_workers": load.GUNICORN_WORKERS,
        },
    }
    header = (
        f"惠农集市 bench {meta['started']} (git {meta['git']}): {args.products:,} products "
        f"({catalogue}), cache {meta['cache']}, {meta['cpus']} CPUs\n"
    )
    if args.procurement_only:
        header += "no pages (--procurement-only): procurement submissions only"
    elif args.checkout_only:
        header += "no pages (--checkout-only): checkout placement only"
    elif args.queries_only:
        header += "no load (--queries-only): SQL queries and in-process times only"
    else:
        header += (
            f"wrk {load.CONNECTIONS} connections, {load.THREADS} threads; {args.rounds} "
            f"interleaved rounds, each run {args.duration:g} s measured after a {args.warmup:g} s "
            "warm-up (warm) or right after the cache was emptied (cold); gunicorn "
            f"{load.GUNICORN_WORKERS} sync workers; ratio = page req/s / mean of the ceiling "
            "runs just before and after it, median of the rounds (min-max after it)\n"
            "load average (1, 5, 15 min): at start "
            + ", ".join(f"{x:.2f}" for x in meta["loadavg_at_start"])
            + "; at end "
            + ", ".join(f"{x:.2f}" for x in meta["loadavg_at_end"])
        )
    print(summary.table(pages, ceilings, header) if run_pages else header)
    if placement is not None:
        print("\n" + summary.checkout_table(placement))
    if procurement is not None:
        from bench.procurement import table as procurement_table

        print("\n" + procurement_table(procurement))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "latest.json"
    results = summary.results_json(pages, ceilings, meta, placement)
    if procurement is not None:
        results["procurement"] = procurement.as_dict()
    if search_results:
        print("\n" + search_bench.table(search_results))
        results["search"] = [r.as_dict() for r in search_results]
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"\nwritten {out.relative_to(ROOT)}")
    # Performance targets never fail the run; a wrong stock count (oversold, an allocation
    # that does not match the orders) or a failed placement does.
    if procurement is not None and not procurement.passed:
        return 1
    return 1 if placement is not None and not placement.passed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except load.BenchError as error:
        log(f"error: {error}")
        sys.exit(2)
    except KeyboardInterrupt:
        log("interrupted")
        sys.exit(130)
