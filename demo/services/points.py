"""积分超市: the city's rule book for last year and this one, three villages with 120
households, their supermarkets and goods, and a year of history (awards credited, some
under notice, one objected, one rejected; redemptions), written in bulk so that seeding stays
fast, and two restocking orders from the marketplace (集市补货) through the real services:
placed with their funding, approved, shipped, accepted into stock and paid. The history is
written once: a rerun finds it and only brings the rule book, places and accounts up to
date."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from oscar.core.loading import get_model

from accounts.models import User
from orders.models import OrderStatus
from points import services as points_services
from points.models import (
    Aspect,
    Award,
    AwardAction,
    AwardStatus,
    AwardStep,
    EntryKind,
    Goods,
    Household,
    Objection,
    PointsEntry,
    Redemption,
    RedemptionLine,
    RestockOrder,
    Rule,
    RuleBook,
    RuleUnit,
    StockMove,
    StockMoveKind,
    Supermarket,
    Village,
)
from procurement import services as procurement_services
from procurement.models import ApprovalRule, BudgetUnitMember, MemberRole
from regions.models import Region
from reports.services import sales_facts_sync

from .. import data
from ..data import points as table
from .base import Tally, credit_code, digits, upsert
from .base import at as planned_at
from .procurement import _restock, _settle, _ship

Product = get_model("catalogue", "Product")


def at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    """A moment of the points story, never after now: today's steps are planned at fixed
    hours, which a run early in the morning has not reached yet."""
    return min(planned_at(day, hour, minute), timezone.now())


def _rule_book(*, year: int, city: Region, tally: Tally) -> list[Rule]:
    book = upsert(
        RuleBook,
        {"year": year, "region": city},
        {"name": f"淮北市乡村振兴超市积分制评分细则（{year}）", "notice_days": table.NOTICE_DAYS},
        tally,
    )
    rules = []
    for number, (aspect_name, entries) in enumerate(table.RULE_BOOK, start=1):
        aspect = upsert(Aspect, {"rule_book": book, "number": number}, {"name": aspect_name}, tally)
        for code, title, points, unit, cap_times, cap_period, evidence in entries:
            rules.append(
                upsert(
                    Rule,
                    {"aspect": aspect, "code": code},
                    {
                        "title": title,
                        "points": points,
                        "unit": unit,
                        "cap_times": cap_times,
                        "cap_period": cap_period,
                        "evidence_required": evidence,
                        "is_active": True,
                    },
                    tally,
                )
            )
    return rules


def _places(*, regions: dict, users: dict[str, User], tally: Tally):
    supermarkets = {
        name: upsert(
            Supermarket, {"name": name}, {"town": regions[town], "address": address}, tally
        )
        for name, town, address in table.SUPERMARKETS
    }
    villages = {
        code: upsert(
            Village,
            {"code": code},
            {
                "name": name,
                "town": regions[town],
                "supermarket": supermarkets[market],
                "objection_contact": phone,
            },
            tally,
        )
        for code, name, town, market, _prefix, phone in table.VILLAGES
    }
    for email, codes in table.CLERKS.items():
        for code in codes:
            if not villages[code].clerks.filter(pk=users[email].pk).exists():
                villages[code].clerks.add(users[email])
                tally.updated += 1
    for email, names in table.MANAGERS.items():
        for name in names:
            if not supermarkets[name].managers.filter(pk=users[email].pk).exists():
                supermarkets[name].managers.add(users[email])
                tally.updated += 1
    return supermarkets, villages


def _households(villages: dict[str, Village], tally: Tally) -> list[Household]:
    existing = set(
        Household.objects.filter(village__in=villages.values()).values_list("code", flat=True)
    )
    new = []
    for code, _name, _town, _market, prefix, _phone in table.VILLAGES:
        for n in range(1, table.HOUSEHOLDS_PER_VILLAGE + 1):
            hh_code = f"{prefix}{n:03d}"
            if hh_code in existing:
                continue
            seed = int(digits(hh_code, 4))
            new.append(
                Household(
                    village=villages[code],
                    code=hh_code,
                    head_name=table.SURNAMES[seed % len(table.SURNAMES)]
                    + table.GIVEN[(seed // 7) % len(table.GIVEN)],
                    members=2 + seed % 5,
                    phone_last4=digits(f"phone {hh_code}", 4),
                )
            )
    Household.objects.bulk_create(new)
    tally.created += len(new)
    return list(Household.objects.filter(village__in=villages.values()).select_related("village"))


def _goods(supermarkets: dict[str, Supermarket], tally: Tally) -> dict[tuple[str, str], Goods]:
    # A shelf line named as a marketplace product is that product (restocking maps by it).
    titles = [row[0] for row in table.GOODS]
    products = {p.title: p for p in Product.objects.filter(title__in=titles)}
    goods = {}
    for market in supermarkets.values():
        for name, unit, price, value, _stock in table.GOODS:
            goods[(market.name, name)] = upsert(
                Goods,
                {"supermarket": market, "name": name},
                {
                    "unit": unit,
                    "points_price": price,
                    "unit_value": Decimal(value),
                    "is_active": True,
                    "product": products.get(name),
                },
                tally,
            )
    return goods


class History:
    """A year of the scheme, built in memory in time order and then written in bulk."""

    def __init__(self, *, today, books, households, goods, supermarkets, users):
        self.today = today
        self.books = books
        self.households = households
        self.goods = goods
        self.supermarkets = supermarkets
        self.clerk, self.reviewer = users["clerk@example.com"], users["clerk2@example.com"]
        self.manager = users["shopkeeper@example.com"]
        self.rng = random.Random(17)
        self.awards: list[Award] = []
        self.events: list[tuple] = []  # (time, order, kind, payload)

    def _pick_rules(self, rules, used, count, month):
        eligible = [
            r
            for r in rules
            if not r.evidence_required
            and (r.pk, month) not in used
            and (r.points > 0 or self.rng.random() < 0.08)
            and used[r.pk] < (1 if r.unit == RuleUnit.ONCE else r.cap_times or 12)
        ]
        return self.rng.sample(eligible, min(count, len(eligible)))

    def awards_plan(self):
        start = self.today - datetime.timedelta(days=360)
        for household in self.households:
            used = defaultdict(int)
            for month in range(12):
                day = start + datetime.timedelta(days=30 * month + self.rng.randint(0, 27))
                if day >= self.today:
                    day = self.today - datetime.timedelta(days=self.rng.randint(0, 12))
                rules = self.books[day.year]
                month_key = (day.year, day.month)
                for rule in self._pick_rules(rules, used, self.rng.choice((0, 1, 1, 2)), month_key):
                    used[rule.pk] += 1
                    # At most one award of a rule in a calendar month (monthly rules, and
                    # the monthly caps stay far from their limits).
                    used[(rule.pk, month_key)] = 1
                    self._award(household, rule, day)
            if household.code.endswith(("001", "002", "003")):
                # Recorded yesterday: waiting for the village review.
                day = self.today - datetime.timedelta(days=1)
                month_key = (day.year, day.month)
                for rule in self._pick_rules(self.books[day.year], used, 1, month_key):
                    used[rule.pk] += 1
                    used[(rule.pk, month_key)] = 1
                    self._award(household, rule, day)

    def _award(self, household, rule, day):
        review = day + datetime.timedelta(days=2)
        notice_ends = review + datetime.timedelta(days=table.NOTICE_DAYS)
        credit_on = notice_ends + datetime.timedelta(days=1)
        if credit_on <= self.today:
            status = AwardStatus.CREDITED
        elif review <= self.today:
            status = AwardStatus.NOTICE
        else:
            status = AwardStatus.PENDING
        award = Award(
            household=household,
            rule=rule,
            awarded_on=day,
            points=rule.points,
            status=status,
            recorded_by=self.clerk,
            recorded_at=at(day, 16, 30),
            notice_ends_on=notice_ends if status != AwardStatus.PENDING else None,
        )
        award.review_on = review
        award.credit_on = credit_on
        self.awards.append(award)

    def redemptions_plan(self):
        for household in self.households:
            market = household.village.supermarket.name
            for month in range(1, 12, 2):
                day = self.today - datetime.timedelta(
                    days=330 - 30 * month + self.rng.randint(0, 9)
                )
                picks = self.rng.sample(table.GOODS, 2)
                items = [(self.goods[(market, name)], self.rng.randint(1, 2)) for name, *_ in picks]
                self.events.append(
                    (at(day, 10, self.rng.randint(0, 59)), 2, "redeem", (household, items))
                )

    def write(self):
        Award.objects.bulk_create(self.awards)
        steps, objections = [], []
        for award in self.awards:
            steps.append(
                AwardStep(
                    award=award, action=AwardAction.RECORD, by=self.clerk, at=award.recorded_at
                )
            )
            if award.status != AwardStatus.PENDING:
                steps.append(
                    AwardStep(
                        award=award,
                        action=AwardAction.REVIEW_PASS,
                        by=self.reviewer,
                        note="村民代表评议通过",
                        at=at(award.review_on, 19, 0),
                    )
                )
            if award.status == AwardStatus.CREDITED:
                self.events.append((at(award.credit_on, 0, 10), 1, "credit", award))
        noticed = [a for a in self.awards if a.status == AwardStatus.NOTICE]
        for objected in noticed[:1]:
            self._objection(objected, objections, steps)
        pending = [a for a in self.awards if a.status == AwardStatus.PENDING]
        if pending:
            rejected = pending[-1]
            rejected.status = AwardStatus.REJECTED
            steps.append(
                AwardStep(
                    award=rejected,
                    action=AwardAction.REVIEW_REJECT,
                    by=self.reviewer,
                    note="评议认为事实不清，退回补充材料",
                    at=at(self.today, 8, 30),
                )
            )
            Award.objects.filter(pk=rejected.pk).update(status=AwardStatus.REJECTED)
        self.events += [
            (
                at(self.today - datetime.timedelta(days=364), 8, 0),
                0,
                "stock",
                (g, stock, "开业首批入库"),
            )
            for (market, name), g in self.goods.items()
            for gname, _u, _p, _v, stock in table.GOODS
            if gname == name
        ]
        AwardStep.objects.bulk_create(steps)
        Objection.objects.bulk_create(objections)
        self._ledger()

    def _objection(self, award, objections, steps):
        note = "该户本月庭院卫生检查时仍有杂物堆放，请核实。"
        when = at(award.review_on + datetime.timedelta(days=1), 9, 0)
        objections.append(
            Objection(
                award=award,
                raised_by="村民代表",
                content=note,
                recorded_by=self.reviewer,
                recorded_at=when,
            )
        )
        steps.append(
            AwardStep(
                award=award, action=AwardAction.OBJECTION, by=self.reviewer, note=note, at=when
            )
        )

    def _ledger(self):
        balance = defaultdict(int)
        stock = defaultdict(int)
        entries, moves, redemptions, lines = [], [], [], []
        for when, _order, kind, payload in sorted(self.events, key=lambda e: (e[0], e[1])):
            if kind == "stock":
                goods, quantity, reason = payload
                stock[goods.pk] += quantity
                moves.append(
                    StockMove(
                        goods=goods,
                        kind=StockMoveKind.RESTOCK,
                        delta=quantity,
                        reason=reason,
                        created_by=self.manager,
                        created_at=when,
                    )
                )
            elif kind == "credit":
                award = payload
                delta = (
                    award.points
                    if award.points > 0
                    else -min(-award.points, balance[award.household_id])
                )
                award.credited_points = delta
                if delta:
                    balance[award.household_id] += delta
                    entries.append(
                        PointsEntry(
                            household_id=award.household_id,
                            kind=EntryKind.AWARD,
                            delta=delta,
                            balance_after=balance[award.household_id],
                            award=award,
                            reason=f"{award.rule.code} {award.rule.title}",
                            created_at=when,
                        )
                    )
            else:
                household, items = payload
                items = [(g, q) for g, q in items if stock[g.pk] >= q]
                total = sum(g.points_price * q for g, q in items)
                if not items or total > balance[household.pk]:
                    continue
                redemption = Redemption(
                    number=f"T{len(redemptions)}",
                    supermarket=household.village.supermarket,
                    household=household,
                    total_points=total,
                    total_value=sum((g.unit_value * q for g, q in items), Decimal("0.00")),
                    created_by=self.manager,
                    created_at=when,
                )
                redemptions.append((redemption, items, when))
                balance[household.pk] -= total
                for g, q in items:
                    stock[g.pk] -= q
        Redemption.objects.bulk_create([r for r, _i, _w in redemptions])
        for redemption, items, when in redemptions:
            redemption.number = f"DH{when:%y%m%d}{redemption.pk:06d}"
            for g, q in items:
                lines.append(
                    RedemptionLine(
                        redemption=redemption,
                        goods=g,
                        quantity=q,
                        points_price=g.points_price,
                        unit_value=g.unit_value,
                    )
                )
                moves.append(
                    StockMove(
                        goods=g,
                        kind=StockMoveKind.REDEMPTION,
                        delta=-q,
                        redemption=redemption,
                        created_by=self.manager,
                        created_at=when,
                    )
                )
        Redemption.objects.bulk_update([r for r, _i, _w in redemptions], ["number"])
        RedemptionLine.objects.bulk_create(lines)
        # The redemption entries go in time order with the award entries: rebuild the
        # running balance over both.
        for redemption, _items, when in redemptions:
            entries.append(
                PointsEntry(
                    household_id=redemption.household_id,
                    kind=EntryKind.REDEMPTION,
                    delta=-redemption.total_points,
                    balance_after=0,
                    redemption=redemption,
                    created_by=self.manager,
                    created_at=when,
                )
            )
        entries.sort(key=lambda e: (e.created_at, e.kind != "award"))
        running = defaultdict(int)
        for entry in entries:
            running[entry.household_id] += entry.delta
            entry.balance_after = running[entry.household_id]
        PointsEntry.objects.bulk_create(entries)
        StockMove.objects.bulk_create(moves)
        credited = [a for a in self.awards if a.status == AwardStatus.CREDITED]
        Award.objects.bulk_update(credited, ["credited_points"])
        for household in self.households:
            household.balance = running[household.pk]
        Household.objects.bulk_update(self.households, ["balance"])
        for goods in self.goods.values():
            goods.stock = stock[goods.pk]
        Goods.objects.bulk_update(list(self.goods.values()), ["stock"])
        credit_steps = [
            AwardStep(award=a, action=AwardAction.CREDIT, at=at(a.credit_on, 0, 10))
            for a in credited
        ]
        AwardStep.objects.bulk_create(credit_steps)


def _restock_buyer(*, market: Supermarket, users: dict[str, User], tally: Tally):
    """临涣镇积分超市 opened as a buyer, with the village committee's director as approver
    of orders from ``RESTOCK_APPROVAL_FROM``."""
    unit = points_services.supermarket_buyer_open(
        supermarket=market, credit_code=credit_code("N2", market.town.code, market.name)
    )
    approver = users[table.RESTOCK_APPROVER]
    _member, created = BudgetUnitMember.objects.get_or_create(
        unit=unit, user=approver, role=MemberRole.APPROVER
    )
    if created:
        ApprovalRule.objects.create(
            unit=unit, level=1, min_amount=Decimal(table.RESTOCK_APPROVAL_FROM)
        )
        tally.created += 1
    return unit, approver


def _funding(spec, total: Decimal) -> dict[str, str]:
    fixed = {source: Decimal(amount) for source, amount in spec if amount is not None}
    rest = [source for source, amount in spec if amount is None]
    return {
        **{k: str(v) for k, v in fixed.items()},
        **{source: str(total - sum(fixed.values(), Decimal("0.00"))) for source in rest},
    }


def _restock_orders(*, market: Supermarket, users: dict[str, User], today, tally: Tally) -> None:
    """The two restocking orders of ``table.RESTOCK_ORDERS``, each through the services
    the pages use: placed (the funding adds up to the total), approved above the threshold,
    shipped by the supplier, accepted into stock (a new shelf line priced in points), paid,
    and its sales facts written (channel 积分超市)."""
    _unit, approver = _restock_buyer(market=market, users=users, tally=tally)
    if RestockOrder.objects.filter(supermarket=market).exists():
        return
    manager = users["shopkeeper@example.com"]

    def clock(moment):
        return min(moment, timezone.now())

    for days, items, funding in table.RESTOCK_ORDERS:
        when = at(today - datetime.timedelta(days=days), 9, 0)
        products = [(Product.objects.get(title=title), q) for title, q, _p in items]
        _restock(products)
        lines = procurement_services.procurement_order_preview(
            user=manager, items=[(p.pk, q) for p, q in products]
        )
        total = sum((line.line_price_incl_tax for line in lines), Decimal("0.00"))
        restock = points_services.restock_order_place(
            user=manager,
            supermarket_id=market.pk,
            items=[(p.pk, q) for p, q in products],
            funding=_funding(funding, total),
            contact_name=manager.get_full_name() or "超市管理员",
            contact_phone="13905617001",
            at=when,
        )
        order = restock.order
        if order.status == OrderStatus.PENDING_APPROVAL:
            procurement_services.procurement_order_approve(
                order=order, user=approver, comment="村委会同意", at=clock(when + _hours(3))
            )
        for event in _ship(order, clock(when + _hours(24))):
            points_services.restock_shipment_accept(
                user=manager,
                number=order.number,
                shipping_event_id=event.pk,
                quantities={},
                points_prices={
                    p.pk: price
                    for (p, _q), (*_t, price) in zip(products, items, strict=True)
                    if price
                },
                note="到货验收，数量质量无误",
                at=clock(when + _hours(48)),
            )
        _settle(order, manager, when + _hours(72), upto="received", clock=clock)
        sales_facts_sync(order_id=order.pk)
        tally.created += 1


def _hours(n: int) -> datetime.timedelta:
    return datetime.timedelta(hours=n)


def seed_points(
    *, regions: dict[str, Region], users: dict[str, User], today: datetime.date, tally: Tally
) -> int:
    """The points scheme's demo; returns the number of households."""
    city = regions[data.CITY[0]]
    books = {
        year: _rule_book(year=year, city=city, tally=tally) for year in (today.year - 1, today.year)
    }
    supermarkets, villages = _places(regions=regions, users=users, tally=tally)
    households = _households(villages, tally)
    goods = _goods(supermarkets, tally)
    if Award.objects.filter(household__village__in=villages.values()).exists():
        return len(households)
    history = History(
        today=today,
        books=books,
        households=households,
        goods=goods,
        supermarkets=supermarkets,
        users=users,
    )
    history.awards_plan()
    history.redemptions_plan()
    history.write()
    tally.created += len(history.awards)
    _restock_orders(
        market=supermarkets[table.SUPERMARKETS[0][0]], users=users, today=today, tally=tally
    )
    return len(households)
