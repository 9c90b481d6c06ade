"""The points scheme's test world: a rule book for 淮北市, two villages of 濉溪镇 served by one
supermarket, their clerks, a manager, households and goods."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from points import services
from points.models import (
    Aspect,
    Goods,
    Household,
    Rule,
    RuleBook,
    RuleUnit,
    StockMove,
    StockMoveKind,
    Supermarket,
    Village,
)
from tests.factories.accounts import UserFactory
from tests.factories.regions import region_tree

YEAR = 2026


@dataclass
class World:
    regions: dict
    book: RuleBook
    rules: dict
    supermarket: Supermarket
    village: Village
    other_village: Village
    clerk: object
    clerk2: object
    other_clerk: object
    manager: object
    households: list
    goods: dict


def rule_book(region, *, year=YEAR, notice_days=7, name="积分制评分细则") -> RuleBook:
    book = RuleBook.objects.create(year=year, region=region, name=name, notice_days=notice_days)
    filial = Aspect.objects.create(rule_book=book, number=1, name="孝老敬亲")
    clean = Aspect.objects.create(rule_book=book, number=3, name="环境卫生")
    law = Aspect.objects.create(rule_book=book, number=4, name="遵纪守法")
    return book, {
        "care": Rule.objects.create(
            aspect=filial,
            code="1.1",
            title="照料老人",
            points=5,
            unit=RuleUnit.PER_TIME,
            cap_times=3,
            cap_period="month",
        ),
        "clean": Rule.objects.create(
            aspect=clean,
            code="3.1",
            title="庭院整洁",
            points=10,
            unit=RuleUnit.PER_MONTH,
        ),
        "army": Rule.objects.create(
            aspect=filial,
            code="1.2",
            title="子女参军入伍",
            points=50,
            unit=RuleUnit.ONCE,
        ),
        "photo": Rule.objects.create(
            aspect=clean,
            code="3.2",
            title="改厕改厨",
            points=20,
            unit=RuleUnit.ONCE,
            evidence_required=True,
        ),
        "litter": Rule.objects.create(
            aspect=law,
            code="4.1",
            title="乱倒垃圾",
            points=-5,
            unit=RuleUnit.PER_TIME,
        ),
    }


def points_world(*, households: int = 3) -> World:
    regions = region_tree()
    book, rules = rule_book(regions["淮北市"])
    supermarket = Supermarket.objects.create(name="濉溪镇积分超市", town=regions["濉溪镇"])
    village = Village.objects.create(
        code="340621100201", name="蔡桥村", town=regions["濉溪镇"], supermarket=supermarket
    )
    other = Village.objects.create(
        code="340621100202", name="马桥村", town=regions["濉溪镇"], supermarket=supermarket
    )
    clerk = UserFactory(email="clerk-t@example.com", last_name="李", first_name="记分")
    clerk2 = UserFactory(email="clerk2-t@example.com", last_name="王", first_name="评议")
    other_clerk = UserFactory(email="clerk-other@example.com")
    manager = UserFactory(email="shop-t@example.com", last_name="赵", first_name="店长")
    village.clerks.add(clerk, clerk2)
    other.clerks.add(other_clerk)
    supermarket.managers.add(manager)
    homes = [
        Household.objects.create(
            village=village,
            code=f"CQ{n:03d}",
            head_name=f"张{'三四五六七八九'[n % 7]}明",
            members=3,
            phone_last4=f"{1000 + n}",
        )
        for n in range(1, households + 1)
    ]
    goods = {
        "oil": Goods.objects.create(
            supermarket=supermarket,
            name="食用油 5L",
            unit="桶",
            points_price=60,
            unit_value=Decimal("59.90"),
        ),
        "soap": Goods.objects.create(
            supermarket=supermarket,
            name="洗衣皂",
            unit="块",
            points_price=5,
            unit_value=Decimal("3.50"),
        ),
    }
    for g, n in ((goods["oil"], 4), (goods["soap"], 50)):
        StockMove.objects.create(goods=g, kind=StockMoveKind.RESTOCK, delta=n, reason="首批入库")
        Goods.objects.filter(pk=g.pk).update(stock=n)
        g.stock = n
    return World(
        regions=regions,
        book=book,
        rules=rules,
        supermarket=supermarket,
        village=village,
        other_village=other,
        clerk=clerk,
        clerk2=clerk2,
        other_clerk=other_clerk,
        manager=manager,
        households=homes,
        goods=goods,
    )


def day(month: int, d: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, d)


def award_in_notice(world: World, household, rule, *, on: datetime.date):
    """An award recorded by the world's clerk and passed in review by its second clerk, both
    on ``on``: under notice until ``on`` + the book's notice days."""
    award = services.award_record(
        user=world.clerk,
        household_code=household.code,
        rule_id=rule.pk,
        awarded_on=on,
        today=on,
    )
    services.award_review(user=world.clerk2, award_id=award.pk, passed=True, today=on)
    return award
