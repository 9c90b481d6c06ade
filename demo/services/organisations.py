"""“八进” demo: the organisation types of the policy years, the union of 淮北市第一中学
(purchaser ``union@example.com``, approver ``union-chair@example.com``, approval from
¥5,000, target ¥30,000) with its holiday group order — 50 gift boxes of two suppliers to 50
staff addresses, each parcel shipped by its supplier with its own waybill, accepted by the
union (one box accepted as damaged, with its reason) and paid — and ten staff of the
school (``staffer@`` and ``staff02@`` … ``staff10@``) linked to it with its invite code
(their personal orders are card-paid, so ``seed_demo_aftersales`` places them).

Beyond the school: the enterprise 淮北矿业集团 (purchaser ``enterprise@example.com``) with a
canteen order of its own, its union 淮北矿业集团工会 (purchaser ``mine-union@``, approver
``mine-union-chair@example.com``, approval from ¥5,000, target ¥50,000) with a completed
union order, and the hospital 淮北矿工总医院 (purchaser ``hospital@example.com``) with a
completed order in its own channel: each approved where its rules ask, shipped, accepted,
invoiced, transferred and confirmed; each also bought (about a fifth less) last September,
so that the annual report of last year and the 八进 table's year before show them.

Everything goes through the real services (order, approval, the address list's import, the
suppliers' shipments, acceptance, settlement). Idempotent: a union that has its holiday order
is left as it is. Nothing is dated after the moment the demo is loaded.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from accounts.models import User
from orders.models import OrderStatus, Shipment
from procurement import services
from procurement.models import (
    ApprovalRule,
    BudgetUnit,
    BudgetUnitMember,
    PolicyYear,
    ProcurementOrder,
    StaffLink,
    StaffLinkStatus,
)
from regions.models import Region
from suppliers.services import group_shipment_ship

from .base import Tally, credit_code
from .procurement import SCHOOL, _accept, _place, _settle, _ship

Product = get_model("catalogue", "Product")
ShippingEvent = get_model("order", "ShippingEvent")

UNION = "淮北市第一中学工会"
UNION_REGION = "340603"  # 相山区
#: The ten linked staff of the school, in the order they are linked.
STAFF = ("staffer@example.com", *(f"staff{i:02d}@example.com" for i in range(2, 11)))

ENTERPRISE = "淮北矿业集团"
MINE_UNION = "淮北矿业集团工会"
HOSPITAL = "淮北矿工总医院"
#: (name, org type, credit code prefix, address, [(email, role)], order note, ¥ order size)
ORGANISATIONS = (
    (
        ENTERPRISE,
        "enterprise",
        "91",
        "淮北市相山区人民中路276号",
        [("enterprise@example.com", "admin"), ("enterprise@example.com", "purchaser")],
        "职工食堂采购：皖北农产品",
        Decimal("3000"),
    ),
    (
        MINE_UNION,
        "union",
        "81",
        "淮北市相山区人民中路276号",
        [("mine-union@example.com", "purchaser"), ("mine-union-chair@example.com", "approver")],
        "夏送清凉：一线矿工慰问品",
        Decimal("12000"),
    ),
    (
        HOSPITAL,
        "hospital",
        "12",
        "淮北市相山区淮海西路 66 号",
        [("hospital@example.com", "admin"), ("hospital@example.com", "purchaser")],
        "职工食堂与营养科采购",
        Decimal("6000"),
    ),
)
MINE_UNION_TARGET = Decimal("50000")
HOLIDAY_NOTE = "节日慰问：教职工礼盒 50 份，分送 50 个地址"
DAMAGED_REASON = "礼盒外箱压坏，石榴破损 1 盒"
GIFT_BOXES = 50
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("芳", "伟", "静", "强", "敏", "磊", "丽", "军", "洋", "勇")
STREETS = (
    ("相山区", "淮海西路"),
    ("杜集区", "矿山集路"),
    ("烈山区", "烈山镇榴园路"),
    ("濉溪县", "濉溪镇沱河路"),
)


def holiday_addresses() -> list[tuple]:
    """The 50 staff addresses of the holiday order (one gift box each), as list rows."""
    rows = []
    for i in range(GIFT_BOXES):
        county, street = STREETS[i % len(STREETS)]
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES) + i) % len(GIVEN)]
        rows.append(
            (name, f"1395610{i:04d}", "安徽省", "淮北市", county, "", f"{street}{i + 1}号", 1)
        )
    return rows


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    from orders.group_orders import COLUMNS

    book = Workbook()
    sheet = book.active
    sheet.append([str(label) for _f, label, _h in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _gift_products() -> list:
    """One purchasable product of each demo supplier with staff (塔山 and 口子)."""
    products = []
    for email in ("supplier@example.com", "supplier2@example.com"):
        product = (
            Product.objects.purchasable()
            .filter(structure="standalone", stockrecords__partner__users__email=email)
            .order_by("upc")
            .first()
        )
        if product is not None:
            products.append(product)
    return products


def _moments(now: datetime.datetime) -> list[datetime.datetime]:
    """Placed, approved, shipped, accepted, settled: spread over the last twelve days, never
    before 1 January (a load on New Year's morning squeezes them into the hours since)."""
    local = timezone.localtime(now)
    year_start = timezone.make_aware(datetime.datetime(local.year, 1, 1, 0, 5))
    start = max(now - datetime.timedelta(days=12), year_start)
    span = now - start
    return [start + span * k / 10 for k in (0, 1, 3, 6, 8)]


def _union(*, school: BudgetUnit, staff: User, users: dict, year: int, tally: Tally) -> BudgetUnit:
    union = BudgetUnit.objects.filter(name=UNION, parent=school).first()
    if union is None:
        # An organisation sits in a county (区); the city-level school is on 相山区's 淮海西路.
        region = Region.objects.get(code=UNION_REGION)
        union = services.organisation_create(
            user=staff,
            name=UNION,
            credit_code=credit_code("81", region.code, UNION),
            region=region,
            org_type="union",
            parent=school,
            address=school.address or "淮北市相山区淮海西路1号",
        )
        tally.created += 1
    for email, role in (
        ("union@example.com", "purchaser"),
        ("union-chair@example.com", "approver"),
    ):
        _member, created = BudgetUnitMember.objects.get_or_create(
            unit=union, user=users[email], role=role
        )
        tally.created += created
    ApprovalRule.objects.get_or_create(
        unit=union, level=1, defaults={"min_amount": Decimal("5000")}
    )
    if not union.union_targets.filter(year=year).exists():
        services.union_target_set(user=staff, union=union, year=year, amount=Decimal("30000"))
        tally.created += 1
    return union


def _holiday_order(*, union: BudgetUnit, users: dict, tally: Tally) -> None:
    if ProcurementOrder.objects.filter(unit=union, note=HOLIDAY_NOTE).exists():
        return
    products = _gift_products()
    if len(products) < 2:
        return
    buyer, chair = users["union@example.com"], users["union-chair@example.com"]
    placed, approved, shipped, accepted, settled = _moments(timezone.now())
    order = _place(
        unit=union,
        filing=None,
        user=buyer,
        items=[(product, GIFT_BOXES) for product in products],
        when=placed,
        note=HOLIDAY_NOTE,
    )
    services.group_order_addresses_import(order=order, user=buyer, data=_xlsx(holiday_addresses()))
    services.procurement_order_approve(order=order, user=chair, at=approved)
    parcels = Shipment.objects.filter(order=order).select_related("partner").order_by("pk")
    for i, parcel in enumerate(parcels):
        staff = parcel.partner.users.order_by("pk").first()
        # Each parcel its own waybill, in the carrier's format (orders.carriers).
        group_shipment_ship(
            partner=parcel.partner,
            order=order,
            shipment_id=parcel.pk,
            carrier="顺丰速运",
            tracking_number=f"SF{order.pk:07d}{i:06d}",
            user=staff,
        )
    ShippingEvent.objects.filter(order=order).update(date_created=shipped)
    events = list(ShippingEvent.objects.filter(order=order).order_by("pk"))
    # The first address's 塔山 box arrived crushed: accepted as damaged, with the reason,
    # so the supplier is paid for 49 and the union's completion counts 49.
    first = events[0].line_quantities.get()
    services.group_parcel_accept(
        order=order,
        shipping_event_id=events[0].pk,
        user=buyer,
        quantities={first.line_id: (first.quantity - 1, 0, 1)},
        reason=DAMAGED_REASON,
        at=accepted,
    )
    for event in events[1:]:
        services.procurement_shipment_accept(shipping_event=event, user=buyer, at=accepted)
    # _settle transfers three days and confirms five days after the invoice: never after now.
    now = timezone.now()
    _settle(order, buyer, settled, upto="received", clock=lambda moment: min(moment, now))
    tally.created += 1


def _staff(*, school: BudgetUnit, staff: User, users: dict, tally: Tally) -> None:
    """Link the ten staff accounts to the school with one invite code (those linked already
    are left as they are)."""
    linked = set(
        StaffLink.objects.filter(user__email__in=STAFF, status=StaffLinkStatus.ACTIVE).values_list(
            "user__email", flat=True
        )
    )
    waiting = [email for email in STAFF if email not in linked]
    if not waiting:
        return
    invite = services.staff_invite_rotate(unit=school, user=staff)
    for email in waiting:
        services.staff_link_by_code(user=users[email], code=invite.code)
        tally.created += 1


def _organisation(*, name, org_type, prefix, address, members, parent, staff, users, year, tally):
    unit = BudgetUnit.objects.filter(name=name, kind="organisation").first()
    if unit is None:
        region = Region.objects.get(code=UNION_REGION)
        unit = services.organisation_create(
            user=staff,
            # On the platform since the spring before last year's orders.
            at=timezone.make_aware(datetime.datetime(year - 1, 3, 2, 9, 0)),
            name=name,
            credit_code=credit_code(prefix, region.code, name),
            region=region,
            org_type=org_type,
            parent=parent,
            address=address,
        )
        tally.created += 1
    for email, role in members:
        _member, created = BudgetUnitMember.objects.get_or_create(
            unit=unit, user=users[email], role=role
        )
        tally.created += created
    return unit


def _last_year_moments(year: int) -> list[datetime.datetime]:
    """Placed, approved, shipped, accepted, settled in September of ``year`` (a past year)."""
    start = timezone.make_aware(datetime.datetime(year, 9, 8, 10, 0))
    return [start + datetime.timedelta(days=d) for d in (0, 1, 3, 6, 9)]


def _completed_order(
    *, unit: BudgetUnit, note: str, size: Decimal, moments: list, tally: Tally
) -> None:
    """An order of about ``size`` yuan of the two gift products, approved by the unit's
    approver where its rules ask, shipped, accepted, invoiced, transferred and confirmed at
    ``moments`` (placed, approved, shipped, accepted, settled; none after now)."""
    if ProcurementOrder.objects.filter(unit=unit, note=note).exists():
        return
    products = _gift_products()
    if not products:
        return
    per_set = sum((p.stockrecords.order_by("pk").first().price for p in products), Decimal(0))
    sets = int(size // per_set) + 1
    members = {m.role: m.user for m in unit.memberships.select_related("user")}
    buyer = members["purchaser"]
    placed, approved, shipped, accepted, settled = moments
    order = _place(
        unit=unit,
        filing=None,
        user=buyer,
        items=[(product, sets) for product in products],
        when=placed,
        note=note,
    )
    if order.status == OrderStatus.PENDING_APPROVAL:
        services.procurement_order_approve(order=order, user=members["approver"], at=approved)
    _ship(order, shipped)
    _accept(order, buyer, accepted)
    now = timezone.now()
    _settle(order, buyer, settled, upto="received", clock=lambda moment: min(moment, now))
    tally.created += 1


def _beyond_the_school(*, staff: User, users: dict, year: int, tally: Tally) -> None:
    """淮北矿业集团, its union and 淮北矿工总医院, each with a completed order this year and
    a smaller one last September (the 八进 table's year before; the union's target of
    both years)."""
    parents = {}
    for name, org_type, prefix, address, members, note, size in ORGANISATIONS:
        unit = _organisation(
            name=name,
            org_type=org_type,
            prefix=prefix,
            address=address,
            members=members,
            parent=parents.get(ENTERPRISE) if org_type == "union" else None,
            staff=staff,
            users=users,
            year=year,
            tally=tally,
        )
        parents[name] = unit
        if org_type == "union":
            ApprovalRule.objects.get_or_create(
                unit=unit, level=1, defaults={"min_amount": Decimal("5000")}
            )
            for target_year in (year - 1, year):
                if not unit.union_targets.filter(year=target_year).exists():
                    services.union_target_set(
                        user=staff, union=unit, year=target_year, amount=MINE_UNION_TARGET
                    )
                    tally.created += 1
        _completed_order(
            unit=unit,
            note=f"{year - 1} 年{note}",
            size=size * Decimal("0.8"),
            moments=_last_year_moments(year - 1),
            tally=tally,
        )
        _completed_order(
            unit=unit, note=note, size=size, moments=_moments(timezone.now()), tally=tally
        )


def seed_organisations(
    *, units: dict[str, BudgetUnit], users: dict[str, User], tally: Tally
) -> int:
    """The “八进” demo; returns the number of organisations."""
    year = timezone.localdate().year
    for policy in PolicyYear.objects.filter(year__in=(year - 1, year)):
        if not policy.organisation_types.exists():
            services.organisation_types_seed(policy_year=policy)
            tally.created += 1
    school, staff = units[SCHOOL], users["city@example.com"]
    union = _union(school=school, staff=staff, users=users, year=year, tally=tally)
    _holiday_order(union=union, users=users, tally=tally)
    _staff(school=school, staff=staff, users=users, tally=tally)
    _beyond_the_school(staff=staff, users=users, year=year, tally=tally)
    return BudgetUnit.objects.filter(kind="organisation").count()
