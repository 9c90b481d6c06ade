"""预算单位采购 demo: policy years, an approved filing for this year and last for every demo
budget unit, and procurement orders placed through the real services (dated over the year)
so that completion ranges from far behind to done and 淮北市第一中学 has an order in every
state. Idempotent: a unit and year that already has a filing is left as it is.

Every moment goes through a ``PastClock``: the story is planned by the calendar and then
squeezed so that nothing is dated after the moment the demo is loaded, whatever the day.

The supplier's shipment is written through the shared contract (a ShippingEvent of type
"shipped" with its line quantities), as the supplier portal does. Stock used by the demo
orders is restocked first, so the storefront's stock levels stay as seeded.
"""

import datetime
import hashlib
from decimal import ROUND_UP, Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Count, F
from django.utils import timezone
from oscar.core.loading import get_model

from accounts.models import User
from orders import reference
from procurement import services
from procurement.models import (
    SUPERVISOR_REVIEW_ROLES,
    ApprovalRule,
    BudgetUnit,
    BudgetUnitMember,
    CanteenStatus,
    CountingEvent,
    Filing,
    FilingStatus,
    PolicyRegionOverride,
    PolicyYear,
    PurchaseList,
    Settlement,
)
from suppliers.strategy import Selector

from .. import data
from .base import PastClock, Tally, at, credit_code

Basket = get_model("basket", "Basket")
Line = get_model("order", "Line")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ShippingEvent = get_model("order", "ShippingEvent")
ShippingEventQuantity = get_model("order", "ShippingEventQuantity")

SCHOOL = "淮北市第一中学"
UNITS_BUYER = ("units-buyer@example.com", "钱", "采购")  # purchaser of the other demo units
# A school that registered itself and waits for 濉溪县's review (county@example.com).
REGISTRANT = ("register@example.com", "孙", "主任")
REGISTRATION = {
    "name": "濉溪县临涣中学",
    "unit_type": "school",
    "supervising_unit": "濉溪县教育体育局",
    "canteen_status": "own",
    "address": "濉溪县临涣镇文昌路 12 号",
}
HUNDRED = Decimal("100")


def _h(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big")


def _policy_years(today: datetime.date, regions) -> tuple[PolicyYear, PolicyYear]:
    this, _ = PolicyYear.objects.get_or_create(
        year=today.year,
        defaults={
            "min_ratio": Decimal("0.10"),
            "encouraged_ratio": Decimal("0.15"),
            "filing_deadline": datetime.date(today.year, 3, 31),
            "counting_event": CountingEvent.ACCEPTED,
        },
    )
    last, _ = PolicyYear.objects.get_or_create(
        year=today.year - 1,
        defaults={
            "min_ratio": Decimal("0.10"),
            "encouraged_ratio": Decimal("0.15"),
            "filing_deadline": datetime.date(today.year - 1, 3, 31),
            "counting_event": CountingEvent.ACCEPTED,
        },
    )
    PolicyRegionOverride.objects.get_or_create(
        policy_year=this,
        region=regions["340621"],
        defaults={"min_ratio": Decimal("0.12"), "encouraged_ratio": Decimal("0.18")},
    )
    return this, last


class _Shop:
    """Catalogue picks and a staff user per supplier for the demo orders."""

    def __init__(self):
        products = list(
            Product.objects.purchasable()
            .filter(structure="standalone")
            .prefetch_related("stockrecords__partner__users")
            .order_by("upc")
        )
        self.products = [p for p in products if p.stockrecords.all()]
        self.with_staff = [p for p in self.products if p.stockrecords.all()[0].partner.users.all()]

    def pick(self, key: str, n: int, staffed: bool = False) -> list:
        pool = self.with_staff if staffed else self.products
        start = _h(key) % len(pool)
        return [pool[(start + i * 7) % len(pool)] for i in range(n)]


def _restock(items) -> None:
    for product, quantity in items:
        StockRecord.objects.filter(product=product).update(
            num_in_stock=F("num_in_stock") + quantity
        )


def _place(*, unit, filing, user, items, when, note=""):
    _restock(items)
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return services.procurement_order_submit(
        user=user,
        unit=unit,
        filing=filing,
        basket=basket,
        canteen=f"{unit.name}食堂",
        delivery_address=unit.address or unit.region.name,
        contact_name="食堂管理员",
        contact_phone="0561-3012345",
        invoice_title=unit.name,
        tax_number=unit.credit_code,
        note=note,
        at=when,
    )


def _ship(order, when, *, partner=None):
    shipped_type = reference.shipping_event_type(reference.SHIPPING_EVENT_SHIPPED)
    events = []
    lines = list(order.lines.select_related("partner"))
    partners = {line.partner for line in lines if partner is None or line.partner == partner}
    for p in sorted(partners, key=lambda x: x.pk):
        event = ShippingEvent.objects.create(
            order=order,
            event_type=shipped_type,
            partner=p,
            # Waybill numbers in each carrier's format (orders.carriers).
            carrier="中通快递" if p.pk % 2 else "顺丰速运",
            tracking_number=f"7{order.pk:07d}{p.pk:04d}"
            if p.pk % 2
            else f"SF{order.pk:09d}{p.pk:04d}",
        )
        # One bulk insert (no per-row signal); the order's status follows in one sync below.
        ShippingEventQuantity.objects.bulk_create(
            ShippingEventQuantity(event=event, line=line, quantity=line.quantity)
            for line in lines
            if line.partner_id == p.pk
        )
        ShippingEvent.objects.filter(pk=event.pk).update(date_created=when)
        events.append(event)
    services.procurement_order_sync_shipping(order=order)
    return events


def _accept(order, user, when, damaged: int = 0):
    for event in ShippingEvent.objects.filter(order=order, acceptance__isnull=True).order_by("pk"):
        quantities = {}
        if damaged:
            first = event.line_quantities.order_by("pk").first()
            quantities[first.line_id] = (first.quantity - damaged, 0, damaged)
            damaged = 0
        services.procurement_shipment_accept(
            shipping_event=event, user=user, quantities=quantities, at=when
        )


def _settle(order, unit_user, when, *, upto: str, clock) -> None:
    """Carry each settlement to ``upto``: invoiced, transferred or received (``when`` is
    planned; every moment goes through ``clock``)."""
    for settlement in Settlement.objects.filter(procurement__order=order).select_related("partner"):
        staff = settlement.partner.users.order_by("pk").first()
        if staff is None:
            continue
        services.settlement_invoice(
            settlement=settlement,
            user=staff,
            invoice_number=f"3400{order.pk:04d}{settlement.pk:04d}",
            invoice_date=timezone.localtime(clock(when)).date(),
            amount=settlement.amount,
            at=clock(when),
        )
        if upto == "invoiced":
            continue
        services.settlement_transfer(
            settlement=settlement,
            user=unit_user,
            reference_no=f"ICBC{clock(when):%Y%m%d}{settlement.pk:05d}",
            at=clock(when + datetime.timedelta(days=3)),
        )
        if upto == "transferred":
            continue
        services.settlement_confirm_receipt(
            settlement=settlement, user=staff, at=clock(when + datetime.timedelta(days=5))
        )


def _refund(order, when) -> None:
    """Two units of the order's first line found faulty after payment: the supplier refunds
    them by bank transfer, and the ledger releases them from the unit's completion."""
    line = order.lines.order_by("pk").first()
    services.procurement_refund_record(
        order=order,
        partner=line.partner,
        user=line.partner.users.order_by("pk").first(),
        quantities={line.pk: 2},
        reason="两箱到货后发现霉变，退货退款",
        voucher=f"ICBC-R{when:%Y%m%d}{order.pk:05d}",
        at=when,
    )


def _registration(*, regions, tally: Tally) -> None:
    """One self-registered unit waiting for review (idempotent)."""
    if BudgetUnit.objects.filter(name=REGISTRATION["name"]).exists():
        return
    user = User.objects.filter(email=REGISTRANT[0]).first()
    if user is None:
        user = User.objects.create(
            email=REGISTRANT[0],
            last_name=REGISTRANT[1],
            first_name=REGISTRANT[2],
            password=make_password(data.DEMO_PASSWORD),
        )
        tally.created += 1
    region = regions["340621"]
    services.unit_register(
        user=user,
        region=region,
        credit_code=credit_code("12", region.code, REGISTRATION["name"]),
        **REGISTRATION,
    )
    tally.created += 1


def _file(*, unit, policy, user, staff, reserved, ratio, when, approve_at):
    budget = (reserved / ratio / 1000).quantize(Decimal("1"), rounding=ROUND_UP) * 1000
    # Round the budget down so that the ratio never falls below the target.
    while reserved / budget < ratio:
        budget -= 1000
    filing = services.filing_submit(
        unit=unit,
        year=policy.year,
        user=user,
        canteen_budget=budget,
        reserved_amount=reserved,
        union_demand=(reserved * Decimal("0.2")).quantize(HUNDRED),
        contact_name="食堂管理员",
        contact_phone="0561-3012345",
        at=when,
        **_canteen_details(unit, policy.year),
    )
    if filing.status == FilingStatus.PRE_REVIEW:
        # A year already asking for the supervising unit's pre-review (a rerun).
        services.filing_pre_review_approve(
            filing=filing, user=_supervisor_reviewer(unit), at=when + (approve_at - when) / 2
        )
    return services.filing_approve(filing=filing, user=staff, at=approve_at)


def _supervisor_reviewer(unit):
    return (
        unit.supervisor.memberships.filter(role__in=SUPERVISOR_REVIEW_ROLES)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def _pre_review_waiting(*, policy, unit, purchaser, clock) -> None:
    """This year asks for the supervising unit's pre-review, and the school's amendment (a
    higher reserve) waits for 淮北市教育局's (supervisor@example.com); the approved figures
    stay in force meanwhile."""
    if not policy.supervisor_review_required:
        PolicyYear.objects.filter(pk=policy.pk).update(supervisor_review_required=True)
        policy.supervisor_review_required = True
    filing = Filing.objects.get(unit=unit, policy_year=policy)
    if filing.versions.filter(status__in=(FilingStatus.PRE_REVIEW, FilingStatus.SUBMITTED)):
        return
    services.filing_submit(
        unit=unit,
        year=policy.year,
        user=purchaser,
        canteen_budget=filing.canteen_budget,
        reserved_amount=_round_up(filing.reserved_amount * Decimal("1.1")),
        union_demand=filing.union_demand,
        contact_name=filing.contact_name,
        contact_phone=filing.contact_phone,
        note="下半年食堂就餐人数增加，追加预留份额",
        at=clock(timezone.now()),
    )


def _canteen_details(unit, year: int) -> dict:
    """What the unit's canteen case asks of a filing: an outsourced canteen's contract."""
    if unit.canteen_status != CanteenStatus.OUTSOURCED:
        return {}
    return {
        "contractor_name": "淮北市康餐餐饮管理有限公司",
        "contract_no": f"HBST-{year}-{_h(unit.name) % 1000:03d}",
    }


def _round_up(amount: Decimal) -> Decimal:
    return (amount / HUNDRED).quantize(Decimal("1"), rounding=ROUND_UP) * HUNDRED


def _filed(planned: datetime.datetime, first_order: datetime.datetime) -> tuple:
    """(filed, approved), planned: the filing before the first order, approved between."""
    year_start = at(datetime.date(first_order.year, 1, 1), 8, 0)
    filed = max(min(planned, first_order - datetime.timedelta(days=4)), year_start)
    approved = filed + min(datetime.timedelta(days=2), (first_order - filed) / 2)
    return filed, approved


def _unit_year(
    *, unit, policy, user, staff, shop, fraction: Decimal, months: list[int], key: str, clock
):
    """One approved filing with done orders (accepted, paid where the supplier has staff)
    reaching ``fraction`` of the reserved amount."""
    year = policy.year
    plans = []
    for n, month in enumerate(months):
        products = shop.pick(f"{key}-{n}", 1)
        # A canteen's month of one product: 600 to 1,485 units, so that the city's
        # procurement lands in the hundreds of 万元 a year, like the bureau's own figures.
        items = [(p, 600 + (_h(f"{key}-{n}-{p.pk}") % 60) * 15) for p in products]
        plans.append((month, items))
    total = sum(p.stockrecords.all()[0].price * q for _m, items in plans for p, q in items)
    reserved = total if fraction >= 1 else _round_up(total / fraction)
    ratio = Decimal("0.12") + Decimal(_h(key) % 5) / 100
    late = _h(key) % 6 == 0
    placings = [at(datetime.date(year, month, 8 + _h(key) % 10), 10, 0) for month, _i in plans]
    filed, approved = _filed(
        at(datetime.date(year, 4, 12) if late else datetime.date(year, 2, 20), 9, 30),
        min(placings),
    )
    filing = _file(
        unit=unit,
        policy=policy,
        user=user,
        staff=staff,
        reserved=reserved,
        ratio=ratio,
        when=clock(filed),
        approve_at=clock(approved),
    )
    for placed, (_month, items) in zip(placings, plans, strict=True):
        order = _place(unit=unit, filing=filing, user=user, items=items, when=clock(placed))
        if order.status == "待审批":
            approver = unit.memberships.filter(role="approver").first().user
            services.procurement_order_approve(
                order=order, user=approver, at=clock(placed + datetime.timedelta(hours=3))
            )
        _ship(order, clock(placed + datetime.timedelta(days=1)))
        _accept(order, user, clock(placed + datetime.timedelta(days=3)))
        _settle(order, user, placed + datetime.timedelta(days=6), upto="received", clock=clock)
    return filing


def _school(*, unit, policy, purchaser, approver, staff, shop, today, clock):
    """淮北市第一中学 this year: an order in every state, and more bought than reserved (the
    reserve is a floor: completion reads above 100%, 超额完成)."""
    year = policy.year
    month = today.month

    def when(m, day=10, hour=10):
        m = max(1, min(m, month))
        d = min(day, today.day) if m == month else day
        return at(datetime.date(year, m, max(d, 1)), hour, 0)

    staffed = shop.pick("school", 6, staffed=True)
    mixed = shop.pick("school-mixed", 3)
    plans = {
        "done-1": (when(3), [(staffed[0], 40), (staffed[1], 30)]),
        "done-2": (when(6), [(staffed[2], 30), (staffed[3], 25)]),
        "transferred": (when(month - 2), [(staffed[4], 20)]),
        "invoiced": (when(month - 1), [(staffed[5], 20)]),
        "accepted": (when(month, 2), [(mixed[0], 12), (mixed[1], 10)]),
        "shipped": (when(month, 3), [(staffed[0], 15)]),
        "approved": (when(month, 4), [(staffed[1], 12)]),
        "pending": (when(month, 5, 11), [(staffed[2], 8), (mixed[2], 6)]),
        "rejected": (when(month - 1, 20), [(staffed[3], 60)]),
        "cancelled": (when(month - 1, 22), [(staffed[4], 5)]),
    }
    amounts = {
        k: sum(p.stockrecords.all()[0].price * q for p, q in items)
        for k, (_w, items) in plans.items()
    }
    # What counts in full (accepted, with nothing short or refunded) is more than the
    # reserve: the school has bought past it.
    counted = sum(amounts[k] for k in ("done-1", "transferred", "invoiced", "accepted"))
    reserved = (counted * Decimal("0.9") / HUNDRED).quantize(Decimal("1")) * HUNDRED
    filed, approved = _filed(
        at(datetime.date(year, 2, 26), 9, 0), min(w for w, _ in plans.values())
    )
    filing = _file(
        unit=unit,
        policy=policy,
        user=purchaser,
        staff=staff,
        reserved=reserved,
        ratio=Decimal("0.15"),
        when=clock(filed),
        approve_at=clock(approved),
    )
    for key, (placed, items) in plans.items():
        order = _place(unit=unit, filing=filing, user=purchaser, items=items, when=clock(placed))
        step = datetime.timedelta(hours=2)
        if key == "pending":
            continue
        if key == "rejected":
            services.procurement_order_reject(
                order=order, user=approver, reason="数量超出本月食堂用量", at=clock(placed + step)
            )
            continue
        if order.status == "待审批":
            services.procurement_order_approve(order=order, user=approver, at=clock(placed + step))
        if key == "cancelled":
            services.procurement_order_cancel(
                order=order,
                user=purchaser,
                reason="菜单调整，取消本单",
                at=clock(placed + 2 * step),
            )
            continue
        if key == "approved":
            continue
        _ship(order, clock(placed + datetime.timedelta(days=1)))
        if key == "shipped":
            continue
        _accept(
            order,
            purchaser,
            clock(placed + datetime.timedelta(days=2)),
            damaged=1 if key == "done-2" else 0,
        )
        if key == "accepted":
            continue
        upto = {"done-1": "received", "done-2": "received"}.get(key, key)
        _settle(order, purchaser, placed + datetime.timedelta(days=4), upto=upto, clock=clock)
        if key == "done-2":
            _refund(order, clock(placed + datetime.timedelta(days=10)))
    return filing


def _weekly_list(*, unit, purchaser, tally: Tally) -> None:
    """The canteen's weekly list (常购清单) of the three products it orders most, made once
    (also into a demo database seeded before lists were part of the demo)."""
    if PurchaseList.objects.filter(unit=unit).exists():
        return
    top = (
        Line.objects.filter(order__procurement__unit=unit, product__isnull=False)
        .values("product_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "product_id")[:3]
    )
    items = [(row["product_id"], 10) for row in top]
    if items:
        services.purchase_list_save(unit=unit, user=purchaser, name="食堂每周常购", items=items)
        tally.created += 1


def seed_procurement(*, units: dict[str, BudgetUnit], users: dict[str, User], tally: Tally) -> int:
    """Policy years, filings and orders; returns the number of filings of the demo units."""
    from regions.models import Region

    today = timezone.localdate()
    clock = PastClock(timezone.now())
    regions = {r.code: r for r in Region.objects.filter(code__in=["340600", "340621"])}
    this, last = _policy_years(today, regions)
    reopen = not last.is_open
    if reopen:
        PolicyYear.objects.filter(pk=last.pk).update(is_open=True)
        last.is_open = True
    staff = users["city@example.com"]
    purchaser, approver = users["purchaser@example.com"], users["approver@example.com"]
    buyer = User.objects.filter(email=UNITS_BUYER[0]).first()
    if buyer is None:
        buyer = User.objects.create(
            email=UNITS_BUYER[0],
            last_name=UNITS_BUYER[1],
            first_name=UNITS_BUYER[2],
            password=make_password(data.DEMO_PASSWORD),
        )
        tally.created += 1
    school = units[SCHOOL]
    ApprovalRule.objects.get_or_create(
        unit=school, level=1, defaults={"min_amount": Decimal("200")}
    )
    existing = set(
        Filing.objects.filter(unit__in=units.values()).values_list("unit_id", "policy_year_id")
    )
    shop = _Shop()
    for index, (name, unit) in enumerate(sorted(units.items())):
        user = purchaser if name == SCHOOL else buyer
        if name != SCHOOL:
            _, created = BudgetUnitMember.objects.get_or_create(
                unit=unit, user=buyer, role="purchaser"
            )
            tally.created += created
        if (unit.pk, last.pk) not in existing:
            fraction = [Decimal("1"), Decimal("0.92"), Decimal("0.78"), Decimal("1")][index % 4]
            _unit_year(
                unit=unit,
                policy=last,
                user=user,
                staff=staff,
                shop=shop,
                fraction=fraction,
                months=[4 + index % 8],
                key=f"{name}-{last.year}",
                clock=clock,
            )
            tally.created += 1
        if (unit.pk, this.pk) not in existing:
            if name == SCHOOL:
                _school(
                    unit=unit,
                    policy=this,
                    purchaser=purchaser,
                    approver=approver,
                    staff=staff,
                    shop=shop,
                    today=today,
                    clock=clock,
                )
            else:
                # From far behind (one early order) to done.
                fraction = [
                    Decimal("0.18"),
                    Decimal("0.35"),
                    Decimal("0.55"),
                    Decimal("0.8"),
                    Decimal("0.95"),
                    Decimal("1"),
                ][index % 6]
                months = [max(1, today.month - index % 9)]
                _unit_year(
                    unit=unit,
                    policy=this,
                    user=user,
                    staff=staff,
                    shop=shop,
                    fraction=fraction,
                    months=months,
                    key=f"{name}-{this.year}",
                    clock=clock,
                )
            tally.created += 1
    PolicyYear.objects.filter(pk=last.pk).update(is_open=False)
    _pre_review_waiting(policy=this, unit=school, purchaser=purchaser, clock=clock)
    _weekly_list(unit=school, purchaser=purchaser, tally=tally)
    _registration(regions=regions, tally=tally)
    return Filing.objects.filter(unit__in=units.values()).count()
