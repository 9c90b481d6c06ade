"""The minimum reserve is the policy ratio of the budget rounded up to the fen: a reserve
short of the ratio by a fraction of a fen is refused, the next fen passes."""

from decimal import Decimal

import pytest

from procurement import exceptions
from procurement.models import Filing, FilingVersion
from procurement.services.filings import minimum_reserve

from .test_filings import file

pytestmark = pytest.mark.django_db


def test_a_reserve_a_fraction_of_a_fen_short_of_the_minimum_is_refused(
    unit, purchaser, policy_year
):
    # 10% of ¥100.05 is ¥10.005: ¥10.00 is 9.995%, below the minimum.
    with pytest.raises(exceptions.FilingRatioTooLowError) as caught:
        file(unit, purchaser, policy_year.year, budget="100.05", reserved="10.00")

    assert str(caught.value) == (
        f"预留比例 9.99% 低于 {policy_year.year} 年度最低要求 10%：预算 ¥100.05 至少应预留 ¥10.01。"
    )
    assert (Filing.objects.count(), FilingVersion.objects.count()) == (0, 0)


def test_the_minimum_rounded_up_to_the_fen_passes(unit, purchaser, policy_year):
    filing = file(unit, purchaser, policy_year.year, budget="100.05", reserved="10.01")
    assert (filing.canteen_budget, filing.reserved_amount) == (Decimal("100.05"), Decimal("10.01"))


@pytest.mark.parametrize(
    ("budget", "ratio", "minimum"),
    [
        ("100.05", "0.10", "10.01"),  # half a fen: up, where half-even gave 10.00
        ("100.15", "0.10", "10.02"),  # half a fen: up, where half-even gave 10.02 too
        ("100.01", "0.10", "10.01"),  # a tenth of a fen: up
        ("100.00", "0.10", "10.00"),  # exact: unchanged
        ("33333.33", "0.125", "4166.67"),
    ],
)
def test_minimum_reserve_rounds_up_to_the_fen(budget, ratio, minimum):
    assert minimum_reserve(canteen_budget=Decimal(budget), ratio=Decimal(ratio)) == Decimal(minimum)
