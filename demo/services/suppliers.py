"""供应商 and their certifications."""

import datetime

from django.conf import settings
from oscar.core.loading import get_model

from catalog.utils import pinyin_slugify
from regions.models import Region
from suppliers.models import Certification, CertificationStatus

from .. import data
from .base import Tally, at, credit_code, digits, sync

Partner = get_model("partner", "Partner")

# Credit code registration-type prefixes (GB 32100): 11 机关, 12 事业单位, 91 企业,
# 92 个体工商户, 93 农民专业合作社.
_SUPPLIER_CODE_PREFIX = {
    "enterprise": "91",
    "cooperative": "93",
    "family_farm": "92",
    "individual": "92",
}
_HOLDS_CERTIFICATE = {
    CertificationStatus.CERTIFIED,
    CertificationStatus.EXPIRED,
    CertificationStatus.REVOKED,
}


def seed_suppliers(
    *, regions: dict[str, Region], today: datetime.date, tally: Tally
) -> dict[str, Partner]:
    """Suppliers with one certification each; ``certified_until`` mirrors a valid one."""
    existing = {p.code: p for p in Partner.objects.all()}
    certifications = {}
    for cert in Certification.objects.order_by("-pk"):
        certifications[cert.partner_id] = cert  # the first one made for each partner wins
    suppliers: dict[str, Partner] = {}
    certificate_seq: dict[int, int] = {}  # per year, as suppliers.services numbers them
    for entry in data.SUPPLIERS:
        town = regions[entry["town"]]
        status, days = entry["cert"]
        has_certificate = status in _HOLDS_CERTIFICATE
        valid_from = today - datetime.timedelta(days=days) if has_certificate else None
        valid_until = valid_from + datetime.timedelta(days=729) if valid_from else None
        values = {
            "name": entry["name"],
            "credit_code": credit_code(
                _SUPPLIER_CODE_PREFIX[entry["type"]], town.code, entry["name"]
            ),
            "supplier_type": entry["type"],
            "region": town,
            "address": entry["address"],
            "contact_name": entry["contact"],
            "contact_phone": entry["phone"],
            "households_helped": entry["households"],
            "introduction": entry["introduction"],
            "bank_name": entry["bank"],
            "bank_account": "2000" + digits(entry["name"] + "账号", 15),
            "certified_until": valid_until if status == CertificationStatus.CERTIFIED else None,
        }
        code = pinyin_slugify(entry["name"])[:128]
        partner = existing.get(code)
        if partner is None:
            partner = Partner.objects.create(code=code, **values)
            tally.created += 1
        else:
            sync(partner, values, tally)
        suppliers[entry["key"]] = partner

        certificate_no = None
        if has_certificate:
            seq = certificate_seq[valid_from.year] = certificate_seq.get(valid_from.year, 0) + 1
            certificate_no = (
                f"{settings.SUPPLIERS_CERTIFICATE_PREFIX}〔{valid_from.year}〕{seq:04d}"
            )
        if valid_from:
            applied_on = valid_from - datetime.timedelta(days=30)
        else:
            applied_on = today - datetime.timedelta(days=days)
        cert_values = {
            "status": status,
            "certificate_no": certificate_no,
            "valid_from": valid_from,
            "valid_until": valid_until,
            "applied_at": at(applied_on, 9, 30),
            "decided_at": at(valid_from, 15, 0) if valid_from else None,
        }
        cert = certifications.get(partner.pk)
        if cert is None:
            Certification.objects.create(partner=partner, **cert_values)
            tally.created += 1
        else:
            sync(cert, cert_values, tally)
    return suppliers
