"""Portal pages at realistic volumes: a budget unit with 1,000 procurement orders and a
supplier with 10,000 order lines, made once and kept.

A bench budget unit (``压测门户单位``) gets an approved filing for the current year; its
purchaser submits ``PLACED`` orders of ``LINES_PER_ORDER`` lines each through
``procurement.services.procurement_order_submit_items`` (the Oscar order, stock allocation,
the filing's commit entry), every line a product of one bench supplier (``压测门户合作社``).
Placing all 1,000 that way takes over an hour on a busy 2-core machine, so the rest are
copies of those (order, lines, procurement record) written in bulk with their dates spread
over the year: the copies have no ledger entries, so the filing's figures count only the
placed ones, while the lists, counts and sums the portals show run over all of them. The
supplier's staff member then has ``UNIT_ORDERS x LINES_PER_ORDER`` order lines on the
supplier portal. The row ``portals`` in ``bench_meta`` records what was made; the next run
reuses it (the ledger is append-only, so nothing is deleted).

Call with Django set up on ``bench.settings``.
"""

import datetime
import json
import time
from decimal import Decimal

from django.db import connection

UNIT_ORDERS = 1_000
PLACED = 10  # through the submission service; the other orders are copies of these
LINES_PER_ORDER = 10
PRICE = Decimal("20.00")
DOMAIN = "portals.bench.example.com"
PURCHASER_EMAIL = f"purchaser@{DOMAIN}"
SUPPLIER_STAFF_EMAIL = f"supplier@{DOMAIN}"
META_KEY = "portals"
VERSION = 1


def _marker() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        cursor.execute("SELECT value FROM bench_meta WHERE key = %s", [META_KEY])
        row = cursor.fetchone()
    return json.loads(row[0]) if row else None


def _marker_save(marker: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_meta VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [META_KEY, json.dumps(marker)],
        )


def portals_prepare(log=print) -> dict:
    """The portal users' emails and the volumes behind them, making them on the first run
    (about a minute: every order goes through the submission service)."""
    from django.utils import timezone

    marker = _marker()
    year = timezone.localdate().year
    if marker and marker.get("version") == VERSION and marker.get("year") == year:
        return marker
    started = time.monotonic()
    unit, filing, purchaser, products = _setup(year)
    _submit_orders(unit=unit, filing=filing, purchaser=purchaser, products=products, log=log)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics for the rows just written
    marker = {
        "version": VERSION,
        "year": year,
        "unit_id": unit.pk,
        "unit_orders": UNIT_ORDERS,
        "supplier_lines": UNIT_ORDERS * LINES_PER_ORDER,
        "purchaser": PURCHASER_EMAIL,
        "supplier_staff": SUPPLIER_STAFF_EMAIL,
    }
    _marker_save(marker)
    log(f"portals: {UNIT_ORDERS:,} orders made in {time.monotonic() - started:.0f}s")
    return marker


def _setup(year: int):
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from oscar.core.loading import get_model

    from accounts.models import User
    from catalog.models import ListingStatus
    from demo.services.base import credit_code
    from procurement import services
    from procurement.models import BudgetUnit, BudgetUnitMember, PolicyYear
    from regions.models import BureauStaff, Region

    Partner = get_model("partner", "Partner")
    Product = get_model("catalogue", "Product")
    ProductClass = get_model("catalogue", "ProductClass")
    StockRecord = get_model("partner", "StockRecord")
    today = timezone.localdate()
    region = Region.get_first_root_node()
    PolicyYear.objects.get_or_create(
        year=year, defaults={"filing_deadline": today + datetime.timedelta(days=30)}
    )
    PolicyYear.objects.filter(year=year).update(is_open=True)
    password = make_password(None)
    purchaser, _ = User.objects.get_or_create(
        email=PURCHASER_EMAIL, defaults={"password": password, "first_name": "门户采购员"}
    )
    staff, _ = User.objects.get_or_create(
        email=SUPPLIER_STAFF_EMAIL, defaults={"password": password, "first_name": "门户供应商"}
    )
    reviewer, _ = User.objects.get_or_create(
        email=f"bureau@{DOMAIN}", defaults={"password": password}
    )
    BureauStaff.objects.get_or_create(
        user=reviewer, defaults={"region": region, "level": "city", "bureau_name": "压测"}
    )
    stamp = time.strftime("%Y%m%d%H%M%S")
    unit = BudgetUnit.objects.create(
        name=f"压测门户单位 {stamp}",
        credit_code=credit_code("12", region.code[:6], f"portal-{stamp}"),
        region=region,
        unit_type="school",
    )
    # The portal opens on the purchaser's only unit (an interrupted earlier run made one).
    BudgetUnitMember.objects.filter(user=purchaser).delete()
    BudgetUnitMember.objects.create(unit=unit, user=purchaser, role="purchaser")
    budget = PRICE * UNIT_ORDERS * LINES_PER_ORDER * 4  # lines of 1-3 units: room for all
    filing = services.filing_submit(
        unit=unit,
        year=year,
        user=purchaser,
        canteen_budget=budget,
        reserved_amount=budget / 10,
        contact_name="压测",
        contact_phone="0561-0000000",
    )
    filing = services.filing_approve(filing=filing, user=reviewer)
    partner, _ = Partner.objects.get_or_create(
        code="bench-portal",
        defaults={"name": "压测门户合作社", "credit_code": credit_code("93", "340600", "portal")},
    )
    Partner.objects.filter(pk=partner.pk).update(
        certified_until=today + datetime.timedelta(days=3650)
    )
    partner.users.add(staff)
    product_class, _ = ProductClass.objects.get_or_create(
        slug="farm-product", defaults={"name": "农产品", "track_stock": True}
    )
    products = []
    for n in range(1, LINES_PER_ORDER + 1):
        product, _ = Product.objects.get_or_create(
            upc=f"BENCH-PORTAL-{n}",
            defaults={
                "title": f"压测门户食材 {n} 号",
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
                "partner_sku": f"BENCH-PORTAL-{n}",
                "price_currency": "CNY",
                "price": PRICE,
                "num_in_stock": 10_000_000,
                "num_allocated": 0,
            },
        )
        products.append(product)
    return unit, filing, purchaser, products


def _submit_orders(*, unit, filing, purchaser, products, log) -> None:
    from procurement import services

    placed = []
    for n in range(PLACED):
        order = services.procurement_order_submit_items(
            user=purchaser,
            unit=unit,
            filing=filing,
            items=[(p.pk, 1 + (n + i) % 3) for i, p in enumerate(products)],
            canteen="压测食堂",
            delivery_address="淮北市相山区压测路 1 号",
            contact_name="压测",
            contact_phone="13800000000",
            invoice_title=unit.name,
            tax_number=unit.credit_code,
        )
        placed.append(order)
    log(f"portals: {PLACED} orders placed, copying them to {UNIT_ORDERS:,}")
    _copy_orders(placed, UNIT_ORDERS - PLACED)


def _copy_orders(placed, copies: int) -> None:
    """``copies`` copies of the ``placed`` orders (each with its lines and procurement
    record), numbered after them and dated over the last year, written in bulk."""
    from django.db import transaction
    from django.utils import timezone
    from oscar.core.loading import get_model

    from procurement.models import ProcurementOrder

    Order = get_model("order", "Order")
    Line = get_model("order", "Line")

    def fields_of(instance, **changes) -> dict:
        values = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
        return {**values, "id": None, **changes}

    templates = list(Order.objects.filter(pk__in=[o.pk for o in placed]).order_by("pk"))
    lines = {o.pk: list(Line.objects.filter(order=o)) for o in templates}
    records = {r.order_id: r for r in ProcurementOrder.objects.filter(order__in=templates)}
    now = timezone.now()
    with transaction.atomic():
        sources, new_orders = [], []
        for n in range(copies):
            template = templates[n % len(templates)]
            when = now - datetime.timedelta(minutes=(n * 523) % (365 * 24 * 60))
            number = f"{template.number}-C{n + 1:05d}"
            new_orders.append(Order(**fields_of(template, number=number, date_placed=when)))
            sources.append(template.pk)
        Order.objects.bulk_create(new_orders, batch_size=500)
        new_lines, new_records = [], []
        for order, source in zip(new_orders, sources, strict=True):
            new_lines += [Line(**fields_of(line, order_id=order.pk)) for line in lines[source]]
            record = records[source]
            new_records.append(
                ProcurementOrder(
                    **fields_of(record, order_id=order.pk, submitted_at=order.date_placed)
                )
            )
        Line.objects.bulk_create(new_lines, batch_size=2000)
        ProcurementOrder.objects.bulk_create(new_records, batch_size=1000)
