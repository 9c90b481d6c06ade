"""One page requested many times in-process on the bench database: CPU and wall time per
request, SQL queries, and optionally where the time goes (cProfile).

A quick way to see what a change does to a page before ``make bench`` puts it under load:
CPU time per request is what bounds requests per second on a loaded machine, and it is far
less noisy than wall time when other work runs. Run ``make bench`` (or ``bench/run.py
--queries-only``) once first so that the bench database and its portal data exist.

    .venv/bin/python bench/inprocess.py /                          # anonymous visitor
    .venv/bin/python bench/inprocess.py / --signed-in              # the bench shopper
    .venv/bin/python bench/inprocess.py /procurement/ --portal unit
    .venv/bin/python bench/inprocess.py /supplier/ --portal supplier
    .venv/bin/python bench/inprocess.py --zipf --signed-in -n 500  # product pages, Zipf
    .venv/bin/python bench/inprocess.py --zipf --seed 2            # other products than seed 1
    .venv/bin/python bench/inprocess.py /shop/basket/ --signed-in --cprofile 25

``BENCH_DATABASE_URL`` and ``BENCH_REDIS_URL`` point it at another copy (as for ``run.py``).
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup() -> None:
    from bench import run

    os.environ.update(run.site_environment())
    import django

    django.setup()
    from django.conf import settings

    # A new checkout (a worktree) has no collected static files yet: pages would fail on the
    # manifest. Collected as run.py does.
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        run.assets_prepare()


def _zipf_paths(count: int, seed: int = 1) -> list[str]:
    """``count`` product paths drawn as report.lua draws them (Zipf, exponent 1)."""
    from bench.pages import product_paths_by_popularity

    paths = product_paths_by_popularity()
    weights = [1 / rank for rank in range(1, len(paths) + 1)]
    return random.Random(seed).choices(paths, weights=weights, k=count)


def _as_wrk_sends(client) -> None:
    """Keep only the session cookie, as the load runs send it (report.lua): a browsing
    history or CSRF cookie the test client kept from earlier responses would add a
    recently viewed row and token work that the measured traffic does not have."""
    from django.conf import settings

    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    client.cookies.clear()
    if session is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session.value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", nargs="?", default="/")
    parser.add_argument("-n", type=int, default=200, help="measured requests (default 200)")
    parser.add_argument("--signed-in", action="store_true", help="as the bench shopper")
    parser.add_argument("--portal", choices=["unit", "supplier"], help="as a portal's user")
    parser.add_argument("--zipf", action="store_true", help="product pages drawn by Zipf")
    parser.add_argument("--seed", type=int, default=1, help="of the Zipf draws (default 1)")
    parser.add_argument("--cold", action="store_true", help="empty the cache first")
    parser.add_argument("--cprofile", type=int, metavar="ROWS", help="print a profile")
    args = parser.parse_args()
    _setup()

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench import portals
    from bench.pages import PageProbe

    probe = PageProbe()
    email = None
    if args.portal:
        marker = portals._marker()
        if marker is None:
            print("no portal data: run bench/run.py --queries-only once first", file=sys.stderr)
            return 2
        email = marker["purchaser" if args.portal == "unit" else "supplier_staff"]
    client = probe.client(logged_in=args.signed_in or bool(email), user_email=email)
    paths = _zipf_paths(args.n + 20, seed=args.seed) if args.zipf else [args.path] * (args.n + 20)
    if args.cold:
        cache.clear()
    warm, measured = paths[:20], paths[20:]
    if not args.zipf:
        for path in warm:
            response = client.get(path)
            if response.status_code != 200:
                print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
                return 1
    profiler = cProfile.Profile() if args.cprofile else None
    cpu, wall, queries = [], [], []
    for path in measured:
        _as_wrk_sends(client)
        with CaptureQueriesContext(connection) as captured:
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            response = client.get(path)
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
        queries.append(len(captured))
        if response.status_code != 200:
            print(f"{path}: HTTP {response.status_code}", file=sys.stderr)
            return 1
    print(
        f"{args.path if not args.zipf else 'Zipf product pages'}: {len(measured)} requests; "
        f"CPU ms median {statistics.median(cpu):.2f} mean {statistics.fmean(cpu):.2f}; "
        f"wall ms median {statistics.median(wall):.2f} mean {statistics.fmean(wall):.2f}; "
        f"SQL median {statistics.median(queries):g} max {max(queries)}"
    )
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
