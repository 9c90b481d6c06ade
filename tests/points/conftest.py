import pytest

from points import services
from points.models import (
    Award,
    AwardStep,
    Goods,
    Household,
    Objection,
    PointsEntry,
    Redemption,
    RedemptionLine,
    StockMove,
)
from tests.factories.points import award_in_notice, day, points_world


@pytest.fixture
def world(db):
    return points_world()


def state() -> dict:
    """Everything a refusal must leave as it was."""
    return {
        "awards": list(Award.objects.values_list("pk", "status", "notice_ends_on")),
        "steps": AwardStep.objects.count(),
        "objections": list(Objection.objects.values_list("pk", "decision")),
        "entries": PointsEntry.objects.count(),
        "balances": list(Household.objects.order_by("pk").values_list("pk", "balance")),
        "stock": list(Goods.objects.order_by("pk").values_list("pk", "stock")),
        "moves": StockMove.objects.count(),
        "redemptions": list(Redemption.objects.values_list("pk", "status")),
        "lines": RedemptionLine.objects.count(),
        "households": Household.objects.count(),
    }


def credit(world, household, rule, *, on=None) -> Award:
    """Record (clerk), review (clerk2) and credit an award after its notice."""
    on = on or day(3, 2)
    award = award_in_notice(world, household, rule, on=on)
    assert services.award_credit(award_id=award.pk, today=on.replace(day=28)) is True
    household.refresh_from_db()
    award.refresh_from_db()
    return award
