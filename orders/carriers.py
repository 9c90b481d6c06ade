"""Carriers a supplier ships with, and the shape of each one's tracking numbers.

Suppliers pick the carrier from this list (其他 takes a name of their own) and the tracking
number is checked against the carrier's format, so a buyer can look the parcel up. The formats
are the carriers' published waybill numbers, kept loose enough for their variants (顺丰's 12 and
15 digit numbers, 京东's JD/JDV prefixes, EMS's domestic and international forms).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

OTHER = "other"


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    pattern: re.Pattern
    example: str


CARRIERS = (
    Carrier("sf", "顺丰速运", re.compile(r"^(SF\d{12,13}|\d{12})$"), "SF1234567890123"),
    Carrier("jd", "京东物流", re.compile(r"^JD[A-Z0-9]{11,16}$"), "JDVA12345678901"),
    Carrier("zto", "中通快递", re.compile(r"^\d{12,14}$"), "731234567890"),
    Carrier("yto", "圆通速递", re.compile(r"^YT\d{13,16}$"), "YT1234567890123"),
    Carrier("sto", "申通快递", re.compile(r"^\d{12,15}$"), "773012345678901"),
    Carrier("yunda", "韵达快递", re.compile(r"^\d{13,15}$"), "4312345678901"),
    Carrier(
        "ems",
        "中国邮政 EMS",
        re.compile(r"^([A-Z]{2}\d{9}[A-Z]{2}|\d{13})$"),
        "1123456789012",
    ),
)
BY_CODE = {carrier.code: carrier for carrier in CARRIERS}
BY_NAME = {carrier.name: carrier for carrier in CARRIERS}
OTHER_PATTERN = re.compile(r"^[A-Za-z0-9-]{6,40}$")


def carrier_choices() -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in CARRIERS] + [(OTHER, _("其他"))]


def tracking_normalise(value: str) -> str:
    """Tracking numbers are typed with spaces and in lower case; carriers print them bare."""
    return re.sub(r"\s", "", value or "").upper()


def tracking_error(*, carrier_name: str, tracking_number: str) -> str | None:
    """Why ``tracking_number`` cannot be the named carrier's, or None. An unlisted carrier
    (其他) takes 6–40 letters, digits or hyphens."""
    carrier = BY_NAME.get(carrier_name)
    if carrier is None:
        if OTHER_PATTERN.match(tracking_number):
            return None
        return str(_("运单号应为 6 至 40 位字母、数字或短横线。"))
    if carrier.pattern.match(tracking_number):
        return None
    return str(
        _("这不是%(carrier)s的运单号格式（如 %(example)s），请核对。")
        % {"carrier": carrier.name, "example": carrier.example}
    )
