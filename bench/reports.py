# ruff: noqa: S608 (the SQL below is built from model table names and integer ids only)
"""Reports benchmark: N sales facts (one per order line) and M entity-month figures generated
in PostgreSQL, then the rollup rebuild, the dashboard and the annual Excel export timed.

    DATABASE_URL=postgres://…/db python -m bench.reports [--lines 2000000] [--figures 50000]

Facts are generated directly (one per order line, as sales_facts_sync writes them for a paid
order): the dashboard and the export read only rollups and entity figures, so the Oscar order
rows themselves would not change what is measured.
"""

import argparse
import os
import statistics
import sys
import time


def log(message: str) -> None:
    print(f"[reports] {message}", flush=True)


def generate(*, lines: int, figures: int) -> None:
    from django.db import connection

    from regions.models import Region, RegionLevel
    from reports.models import EcommerceEntity, EntityMonthlyFigure, SalesFact

    city = Region.objects.filter(code="340600").first() or Region.add_root(
        code="340600", name="淮北市", level=RegionLevel.CITY
    )
    counties = []
    for code, name in (
        ("340602", "杜集区"),
        ("340603", "相山区"),
        ("340604", "烈山区"),
        ("340621", "濉溪县"),
    ):
        county = Region.objects.filter(code=code).first()
        if county is None:
            city.refresh_from_db()
            county = city.add_child(code=code, name=name, level=RegionLevel.COUNTY)
        counties.append(county.pk)
    ids = "ARRAY[" + ",".join(map(str, counties)) + "]"
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    StockRecord = get_model("partner", "StockRecord")
    for n in range(Category.objects.filter(depth=1).count(), 30):
        Category.add_root(name=f"bench 品类 {n}", slug=f"bench-category-{n}")
    categories = list(Category.objects.filter(depth=1).values_list("pk", flat=True)[:30])
    cats = "ARRAY[" + ",".join(map(str, categories)) + "]"
    stock = list(StockRecord.objects.values_list("partner_id", "product_id")[:2000])
    suppliers = (
        "ARRAY[" + ",".join(str(a) for a, _ in stock) + "]::int[]"
        if stock
        else "ARRAY[NULL]::int[]"
    )
    products = (
        "ARRAY[" + ",".join(str(b) for _, b in stock) + "]::int[]"
        if stock
        else "ARRAY[NULL]::int[]"
    )
    n_stock = max(len(stock), 1)
    if SalesFact.objects.count() < lines:
        log(f"generating {lines:,} sales facts")
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {SalesFact._meta.db_table} RESTART IDENTITY CASCADE")
            cursor.execute(
                f"""
                INSERT INTO {SalesFact._meta.db_table}
                    (date, month, channel, source, region_id, category_id, supplier_id,
                     product_id, quantity, amount, note, created_at)
                SELECT d, date_trunc('month', d)::date,
                       (ARRAY['consumer', 'consumer', 'consumer', 'procurement', 'union',
                              'staff'])[1 + i %% 6],
                       'order', ({ids})[1 + i %% 4], ({cats})[1 + (i / 7) %% {len(categories)}],
                       ({suppliers})[1 + i %% {n_stock}], ({products})[1 + i %% {n_stock}],
                       1 + i %% 5, ((i::bigint * 7919) %% 50000) / 100.0 + 1,
                       '', now()
                FROM (SELECT i, (date '2024-01-01' + (i %% 1060)) AS d
                      FROM generate_series(1, %s) AS i) s
                """,
                [lines],
            )
    if EntityMonthlyFigure.objects.count() < figures:
        log(f"generating {figures:,} entity-month figures")
        EntityMonthlyFigure.objects.all().delete()
        EcommerceEntity.objects.filter(shop_name__startswith="bench-").delete()
        entities = figures // 30 + 1
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                INSERT INTO {EcommerceEntity._meta.db_table}
                    (name, credit_code, platform, shop_name, region_id, registered_on, active,
                     created_at)
                SELECT 'bench entity ' || i, '', 'taobao', 'bench-' || i, ({ids})[1 + i %% 4],
                       date '2022-01-01' + (i %% 1200), true, now()
                FROM generate_series(1, %s) AS i
                """,
                [entities],
            )
            cursor.execute(
                f"""
                INSERT INTO {EntityMonthlyFigure._meta.db_table}
                    (entity_id, month, retail_amount, order_count, created_at)
                SELECT e.id, (date '2024-01-01' + make_interval(months => m))::date,
                       (e.id * 37 + m * 101) %% 900000 + 1000, 10, now()
                FROM {EcommerceEntity._meta.db_table} e, generate_series(0, 29) AS m
                WHERE e.shop_name LIKE 'bench-%%'
                LIMIT %s
                """,
                [figures],
            )


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(*, lines: int, figures: int, repeat: int = 10) -> dict:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from regions.models import BureauStaff, Region
    from reports import services

    generate(lines=lines, figures=figures)
    started = time.perf_counter()
    counts = services.rollups_rebuild()
    rebuild = time.perf_counter() - started
    log(
        f"rollup rebuild: {rebuild:.1f} s "
        f"({counts['daily']:,} daily, {counts['product']:,} product rows)"
    )

    setup_test_environment()
    user, _ = User.objects.get_or_create(email="bench-city@example.com")
    BureauStaff.objects.get_or_create(
        user=user,
        defaults={
            "region": Region.objects.get(code="340600"),
            "level": "city",
            "bureau_name": "bench",
        },
    )
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    dashboard_url = "/reports/?date_from=2025-01-01&date_to=2025-12-31"
    assert client.get(dashboard_url).status_code == 200
    dashboard = timed(lambda: client.get(dashboard_url), repeat)
    assert client.get("/reports/annual.xlsx?year=2025").status_code == 200
    excel = timed(lambda: client.get("/reports/annual.xlsx?year=2025"), max(3, repeat // 3))
    result = {
        "lines": lines,
        "figures": figures,
        "rebuild_s": round(rebuild, 2),
        "dashboard_ms_median": round(statistics.median(dashboard), 1),
        "dashboard_ms_max": round(max(dashboard), 1),
        "excel_ms_median": round(statistics.median(excel), 1),
    }
    ok = result["dashboard_ms_median"] < 300 and result["excel_ms_median"] < 2000
    log(
        f"dashboard median {result['dashboard_ms_median']} ms (target < 300), "
        f"annual Excel median {result['excel_ms_median']} ms (target < 2000): "
        + ("targets met" if ok else "TARGET MISSED")
    )
    result["ok"] = ok
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=2_000_000)
    parser.add_argument("--figures", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args(argv)
    # Production-like settings (bench/settings.py) on the database named by DATABASE_URL.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    result = run(lines=args.lines, figures=args.figures, repeat=args.repeat)
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
