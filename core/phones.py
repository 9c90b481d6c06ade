"""Mainland phone numbers, written one way everywhere.

A mobile reads ``138 1234 5678`` (the way checkout shows it and people dial it); a landline
reads ``0561-3012345`` (area code, hyphen, number). Stored values come in several shapes —
``PhoneNumber`` objects (``+8613812345678``), typed text with spaces, hyphens or a ``+86``
prefix — and every page shows them through :func:`phone_display` (the ``phone`` template
filter), with :func:`phone_tel` for a ``tel:`` link a supplier can tap.
"""

import re

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
# Area codes of three digits (010, 02x) are the municipalities and big cities; every other
# area code has four (0561 淮北).
_THREE_DIGIT_AREA = re.compile(r"^0(10|2\d)")


def normalise_mobile(value) -> str:
    """'+86 138-1234-5678' -> '13812345678' (mainland numbers only)."""
    digits = re.sub(r"[\s\-()]", "", str(value or ""))
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    return digits


def is_callable_number(value) -> bool:
    """A mainland mobile or a landline with its area code."""
    return bool(
        MAINLAND_MOBILE.match(normalise_mobile(value))
        or LANDLINE.match(re.sub(r"[\s()]", "", str(value or "")))
    )


def _landline_parts(value) -> tuple[str, str] | None:
    text = re.sub(r"[\s()]", "", str(value or ""))
    if not LANDLINE.match(text):
        return None
    if "-" in text:
        area, number = text.split("-", 1)
        return area, number
    size = 3 if _THREE_DIGIT_AREA.match(text) else 4
    return text[:size], text[size:]


def phone_display(value) -> str:
    """The number as people read it; anything unrecognised is shown as it was typed."""
    if not value:
        return ""
    mobile = normalise_mobile(value)
    if MAINLAND_MOBILE.match(mobile):
        return f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
    parts = _landline_parts(value)
    if parts:
        return "-".join(parts)
    return str(value).strip()


def phone_tel(value) -> str:
    """The digits a ``tel:`` link dials (empty when the value is not a number we know)."""
    mobile = normalise_mobile(value)
    if MAINLAND_MOBILE.match(mobile):
        return mobile
    parts = _landline_parts(value)
    return "".join(parts) if parts else ""
