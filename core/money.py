"""Money: one zero, one rounding rule, one way to print an amount.

Amounts are ``Decimal`` yuan with two places (fen). The rounding rule is ROUND_HALF_UP
(四舍五入), the rule of Chinese finance and of the bureau's statistics tables: 0.125 becomes
0.13 and -0.125 becomes -0.13 (halves go away from zero).

Where rounding happens at all: the quota ledger's amounts are unit prices (in fen) times
whole quantities, so they are exact and ``money()`` only checks their form; sums read back
from SQLite come as floats that are off far below a fen, and the reports' shares of a refund
split across lines produce sub-fen values. Both the ledger and the reports round with
``money()``, so one amount is never rounded two ways.
"""

from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
FEN = Decimal("0.01")


def money(value) -> Decimal:
    """``value`` (a Decimal, int, str or a database sum; None counts as 0) to the fen, HALF_UP."""
    return Decimal(value or 0).quantize(FEN, ROUND_HALF_UP)


def yuan(value) -> str:
    """An amount as the shop prints it: ``¥1,234.50``; nothing (None or "") prints as ``—``."""
    if value is None or value == "":
        return "—"
    return f"¥{money(value):,}"
