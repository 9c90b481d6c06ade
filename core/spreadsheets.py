"""Cells of CSV or Excel files that people fill in or open in a spreadsheet program.

Read: ``cell_text`` is what an uploaded cell says (the household list, a group order's
address list, the 832 purchases and the bureau's offline sales imports). Written: a text
cell that begins with one of ``FORMULA_START`` would be run as a formula (CSV/formula
injection), so every export escapes it with a leading apostrophe. Used by the supplier
sales CSV, the procurement completion workbook and the bureau's annual report."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` unchanged unless it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cell_text(value) -> str:
    """An uploaded cell as text: empty for an empty cell, a whole number without the ``.0``
    a spreadsheet gives it (a mobile typed as a number), surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
