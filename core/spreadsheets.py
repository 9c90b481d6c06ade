"""Cells written to CSV or Excel files that people open in a spreadsheet program.

A text cell that begins with one of ``FORMULA_START`` would be run as a formula (CSV/formula
injection), so every export escapes it with a leading apostrophe. Used by the supplier
sales CSV, the procurement completion workbook and the bureau's annual report."""

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` unchanged unless it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
