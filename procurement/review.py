"""What a purchaser reviewed: a fingerprint of the basket lines the review page showed
(product, supplier's stock record, quantity, unit price), so that the submit orders exactly
that or nothing (``procurement_order_submit(fingerprint=...)``)."""

import hashlib
from collections.abc import Iterable
from decimal import Decimal

from core.money import ZERO, money


def lines_fingerprint(lines: Iterable[tuple[int, int | None, int, Decimal]]) -> str:
    """A fingerprint of ``(product id, stock record id, quantity, unit price)`` rows: equal
    for the same rows in any order, different when any row, quantity or price differs.
    The API documents it as the first 32 hex digits of the SHA-256 of the sorted rows
    ``"product:stockrecord:quantity:price"`` (price with two decimals), one per line."""
    rows = sorted(
        f"{product}:{stockrecord or 0}:{quantity}:{money(price or ZERO):.2f}"
        for product, stockrecord, quantity, price in lines
    )
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()[:32]


def basket_fingerprint(lines) -> str:
    """The fingerprint of a basket's lines at the strategy's prices now (what the review page
    shows and what a submission would freeze on the order's lines)."""
    return lines_fingerprint(
        (line.product_id, line.stockrecord_id, line.quantity, line.unit_price_incl_tax)
        for line in lines
    )
