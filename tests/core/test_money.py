"""core.money: one zero, one rounding rule (ROUND_HALF_UP, 四舍五入), one way to print yuan."""

from decimal import Decimal as D

import pytest

from core.money import FEN, ZERO, amount, money, yuan


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("0.125"), D("0.13")),  # HALF_EVEN would give 0.12
        (D("2.675"), D("2.68")),
        (D("0.135"), D("0.14")),
        (D("-0.125"), D("-0.13")),  # halves go away from zero
        (D("0.124999"), D("0.12")),
        ("19.9", D("19.90")),
        (7, D("7.00")),
        (None, D("0.00")),
        (0.1 + 0.2, D("0.30")),  # a SQLite sum of decimals comes back as a float
    ],
)
def test_money_rounds_half_up_to_the_fen(value, expected):
    assert money(value) == expected
    assert money(value).as_tuple().exponent == -2


def test_zero_and_fen_are_two_place_decimals():
    assert (str(ZERO), str(FEN)) == ("0.00", "0.01")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D("1234.5"), "¥1,234.50"),
        (D("0.125"), "¥0.13"),
        (D("-5"), "¥-5.00"),
        (D("1234567.891"), "¥1,234,567.89"),
        (None, "—"),
        ("", "—"),
    ],
)
def test_yuan_prints_the_rounded_amount(value, expected):
    assert yuan(value) == expected


def test_the_ledger_and_the_reports_round_one_amount_the_same_way():
    from procurement.services import ledger
    from reports.services import facts

    assert ledger.money is money
    assert facts.money is money
    assert ledger.money(D("10.005")) == facts.money(D("10.005")) == D("10.01")


def test_the_template_filters_print_like_core_money():
    from core.templatetags import figures
    from procurement.templatetags import procurement_tags

    assert procurement_tags.register.filters["yuan"](D("0.125")) == "¥0.13"
    assert procurement_tags.register.filters["yuan"](None) == "—"
    assert figures.register.filters["amount"] is amount


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (D("1598000000"), "", "1,598,000,000.00"),
        (D("5337876.745"), "", "5,337,876.75"),
        (D("-1234.5"), "", "-1,234.50"),
        (D("1234.5"), "元", "1,234.50元"),
        (D("6040100"), "万", "604.01万元"),
        (D("1598000000"), "万", "15.98亿元"),
        (D("-123456789"), "万", "-1.23亿元"),
        (D("10000"), "万", "1.00万元"),
        (D("9999.99"), "万", "9,999.99元"),
        (D("0"), "万", "0.00元"),
        (None, "万", "—"),
        ("", "", "—"),
    ],
)
def test_amount_prints_figures_as_bureau_tables_do(value, scale, expected):
    assert amount(value, scale) == expected


def test_amount_in_english_counts_in_millions_and_billions():
    from django.utils import translation

    with translation.override("en"):
        assert amount(D("1598000000"), "万") == "¥1.60 billion"
        assert amount(D("6040100"), "万") == "¥6.04 million"
        assert amount(D("604010"), "万") == "604,010.00 yuan"


def test_amount_refuses_an_unknown_scale():
    with pytest.raises(ValueError, match="unknown scale"):
        amount(D("1"), "千")
