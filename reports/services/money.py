from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")


def money(value) -> Decimal:
    """A sum read from the database, to the fen. SQLite adds decimals as floats, so its sums
    carry errors far below a fen; PostgreSQL's are exact already."""
    return Decimal(value or 0).quantize(FEN, ROUND_HALF_UP)
