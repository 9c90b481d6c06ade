from decimal import Decimal

import pytest

from core.phones import MAINLAND_MOBILE, normalise_mobile
from orders.models import OrderStatus
from orders.shipping.methods import supplier_fee
from payments.exceptions import PaymentDeclinedError, decline_message
from payments.stripe_adapter import from_minor_units, to_minor_units


@pytest.mark.parametrize(
    ("amount", "fen"),
    [("0.01", 1), ("12.34", 1234), ("175.80", 17580), ("99999.99", 9999999)],
)
def test_amounts_go_to_stripe_in_fen_and_back(amount, fen):
    assert to_minor_units(Decimal(amount)) == fen
    assert from_minor_units(fen) == Decimal(amount)


@pytest.mark.parametrize(
    ("raw", "normalised", "valid"),
    [
        ("13812345678", "13812345678", True),
        ("+86 138-1234-5678", "13812345678", True),
        ("008619912345678", "19912345678", True),
        ("12812345678", "12812345678", False),
        ("1381234567", "1381234567", False),
        ("0561-1234567", "05611234567", False),
    ],
)
def test_only_mainland_mobile_numbers_are_accepted(raw, normalised, valid):
    assert normalise_mobile(raw) == normalised
    assert bool(MAINLAND_MOBILE.match(normalised)) is valid


@pytest.mark.parametrize(
    ("subtotal", "threshold", "fee"),
    [("98.99", "99.00", "8.00"), ("99.00", "99.00", "0.00"), ("500", None, "8.00")],
)
def test_a_supplier_charges_its_fee_below_its_free_shipping_threshold(subtotal, threshold, fee):
    assert supplier_fee(
        subtotal=Decimal(subtotal),
        fee=Decimal("8.00"),
        free_threshold=Decimal(threshold) if threshold else None,
    ) == Decimal(fee)


def test_declines_read_as_chinese_messages_by_decline_code():
    assert str(PaymentDeclinedError(code="card_declined", decline_code="insufficient_funds")) == (
        "银行卡余额不足，请更换银行卡。"
    )
    assert "银行卡被拒绝" in decline_message("do_not_honor")
    assert "验证未通过" in decline_message("payment_intent_authentication_failure")


def test_order_statuses_only_move_forward():
    moves = OrderStatus.TRANSITIONS
    assert moves[OrderStatus.PENDING] == (OrderStatus.PAID, OrderStatus.CANCELLED)
    assert moves[OrderStatus.CANCELLED] == ()
    assert moves[OrderStatus.REFUNDED] == ()
    order = list(OrderStatus.ALL)
    for status, following in moves.items():
        for target in following:
            assert order.index(target) > order.index(status)
