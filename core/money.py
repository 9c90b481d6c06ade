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

from django.utils.translation import get_language
from django.utils.translation import gettext as _

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


WAN = Decimal("10000")
YI = Decimal("100000000")


def amount(value, scale: str = "") -> str:
    """An amount as the bureau's statistics tables print it (the one rule every report,
    procurement page and public figure uses; in templates the ``amount`` filter of
    ``core/templatetags/figures.py``):

    - ``scale=""`` (a table cell whose column head names 元): ``1,598,000,000.00``;
    - ``scale="元"`` (an exact amount in a sentence): ``1,234.50元``;
    - ``scale="万"`` (cards, headlines, chart labels): ``604.01万元``, from 1亿 ``15.98亿元``,
      below 1万 still in 元 (``3,456.78元``); in English ``¥6.04 million``, ``¥1.60 billion``.

    Nothing (None or "") prints as ``—``; amounts are rounded HALF_UP like ``money()``."""
    if value is None or value == "":
        return "—"
    value = money(value)
    if scale == "":
        return f"{value:,}"
    english = (get_language() or "").startswith("en")
    if scale == "万":
        size = abs(value)
        if english and size >= WAN * 100:
            if size >= YI * 10:
                return _("¥%(n)s billion") % {"n": f"{money(value / (YI * 10)):,}"}
            return _("¥%(n)s million") % {"n": f"{money(value / (WAN * 100)):,}"}
        if not english and size >= YI:
            return _("%(n)s亿元") % {"n": f"{money(value / YI):,}"}
        if not english and size >= WAN:
            return _("%(n)s万元") % {"n": f"{money(value / WAN):,}"}
    elif scale != "元":
        raise ValueError(f"amount: unknown scale {scale!r} (use '', '元' or '万')")
    return _("%(n)s元") % {"n": f"{value:,}"}
