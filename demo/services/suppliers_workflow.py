"""认定记录: the audit trail, documents and notices behind the demo suppliers' certifications,
one supplier whose application was returned, and a paid order for the supplier portal.

Idempotent: a certification that already has decisions, documents or a notice keeps them.
"""

import datetime
import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count
from oscar.core.loading import get_model
from PIL import Image, ImageDraw, ImageFont

from accounts.models import User
from demo.images.fonts import _cjk_font
from regions.models import BureauOffice, BureauStaff, Region
from suppliers.models import (
    CertificateSequence,
    Certification,
    CertificationDecision,
    CertificationDocument,
    CertificationStatus,
    DocumentKind,
)
from suppliers.services import certification_expiry_reminders

from .base import Tally, at, credit_code, sync

Partner = get_model("partner", "Partner")
S = CertificationStatus

RETURNED_SUPPLIER = {
    "code": "suixi-linhuan-returned-demo",
    "name": "濉溪县临涣镇青禾果蔬家庭农场",
    "type": "family_farm",
    "town": "340621104",
    "address": "濉溪县临涣镇青禾村五组",
    "contact": "邵青禾",
    "phone": "13955187720",
    "households": 7,
    "bank": "安徽濉溪农村商业银行临涣支行",
    "introduction": "农场种植西红柿、黄瓜等设施蔬菜80亩，带动本村脱贫户务工。",
    "days": 12,
    "reason": "带贫减贫证明未加盖村委会公章，请补充后重新提交。",
}


def _bureau_labels() -> dict[str, tuple[User | None, str]]:
    """Reviewer per county code (the demo county account where there is one). Suppliers are
    certified by the rural-revitalisation offices, never by the finance bureau's staff."""
    staff = {
        s.region.code: s
        for s in BureauStaff.objects.select_related("region", "user").filter(
            office_kind=BureauOffice.RURAL
        )
    }
    labels = {}
    for county in Region.objects.counties():
        member = staff.get(county.code)
        labels[county.code] = (
            (member.user, member.bureau_name) if member else (None, f"{county.name}乡村振兴局")
        )
    city = staff.get("340600")
    labels["city"] = (city.user, city.bureau_name) if city else (None, "淮北市乡村振兴局")
    return labels


def _trail(cert: Certification, labels, today: datetime.date) -> list[CertificationDecision]:
    """The decisions that lead to the certification's seeded status."""
    partner = cert.partner
    county_user, county_label = labels.get(partner.region.code[:6], (None, ""))
    city_user, city_label = labels["city"]
    applied = cert.applied_at
    steps = [("", S.APPLIED, None, partner.name, "提交认定申请", applied)]
    if cert.status == S.RETURNED:
        steps.append(
            (
                S.APPLIED,
                S.RETURNED,
                county_user,
                county_label,
                RETURNED_SUPPLIER["reason"],
                applied + datetime.timedelta(days=3),
            )
        )
    if cert.status in (S.RECOMMENDED, S.CERTIFIED, S.EXPIRED, S.REVOKED):
        steps.append(
            (
                S.APPLIED,
                S.RECOMMENDED,
                county_user,
                county_label,
                "材料齐全，带贫情况属实，同意推荐",
                applied + datetime.timedelta(days=6),
            )
        )
    if cert.status in (S.CERTIFIED, S.EXPIRED, S.REVOKED):
        steps.append(
            (S.RECOMMENDED, S.CERTIFIED, city_user, city_label, "经审核，予以认定", cert.decided_at)
        )
    if cert.status == S.EXPIRED:
        day = cert.valid_until + datetime.timedelta(days=1)
        steps.append(
            (
                S.CERTIFIED,
                S.EXPIRED,
                None,
                "系统",
                f"有效期已于 {cert.valid_until.isoformat()} 届满",
                at(day, 0, 30),
            )
        )
    if cert.status == S.REVOKED:
        steps.append(
            (
                S.CERTIFIED,
                S.REVOKED,
                city_user,
                city_label,
                "经核查，带动脱贫户数与实际不符，撤销认定",
                at(today - datetime.timedelta(days=20), 10, 0),
            )
        )
    return [
        CertificationDecision(
            certification=cert,
            from_status=a,
            to_status=b,
            actor=who,
            actor_label=label,
            reason=reason,
            created_at=when,
        )
        for a, b, who, label, reason, when in steps
    ]


def _licence_png(name: str, code: str) -> bytes:
    image = Image.new("RGB", (900, 640), (250, 247, 238))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 880, 620), outline=(180, 40, 40), width=6)
    cjk = _cjk_font()
    if cjk is None:  # no CJK font on this machine: the code alone
        draw.text((80, 260), code, fill=(40, 40, 40), font=ImageFont.load_default(size=28))
    else:
        title, body = cjk.font_variant(size=44), cjk.font_variant(size=26)
        draw.text((300, 60), "营 业 执 照", fill=(180, 40, 40), font=title)
        draw.text((80, 200), f"名称：{name}", fill=(40, 40, 40), font=body)
        draw.text((80, 260), f"统一社会信用代码：{code}", fill=(40, 40, 40), font=body)
        draw.text((80, 540), "（演示材料）", fill=(120, 120, 120), font=body)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 1/Kids[3 0 R]>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _documents(cert: Certification) -> int:
    partner = cert.partner
    files = [
        (
            DocumentKind.BUSINESS_LICENSE,
            "营业执照.png",
            "image/png",
            _licence_png(partner.name, partner.credit_code or ""),
        ),
        (DocumentKind.POVERTY_PROOF, "带贫减贫证明.pdf", "application/pdf", _PDF),
    ]
    for kind, original, content_type, data in files:
        doc = CertificationDocument(
            certification=cert,
            kind=kind,
            original_name=original,
            content_type=content_type,
            size=len(data),
            uploaded_at=cert.applied_at,
        )
        doc.file.save(original.replace(".", "-demo."), ContentFile(data), save=False)
        doc.save()
    return len(files)


def _returned_supplier(regions: dict[str, Region], today: datetime.date, tally: Tally) -> None:
    entry = RETURNED_SUPPLIER
    town = regions[entry["town"]]
    values = {
        "name": entry["name"],
        "credit_code": credit_code("92", town.code, entry["name"]),
        "supplier_type": entry["type"],
        "region": town,
        "address": entry["address"],
        "contact_name": entry["contact"],
        "contact_phone": entry["phone"],
        "households_helped": entry["households"],
        "introduction": entry["introduction"],
        "bank_name": entry["bank"],
        "bank_account": "62284800" + "12345678901",
    }
    partner = Partner.objects.filter(code=entry["code"]).first()
    if partner is None:
        partner = Partner.objects.create(code=entry["code"], **values)
        tally.created += 1
    else:
        sync(partner, values, tally)
    if not partner.certifications.exists():
        Certification.objects.create(
            partner=partner,
            status=S.RETURNED,
            applied_at=at(today - datetime.timedelta(days=entry["days"]), 10, 15),
        )
        tally.created += 1


def _sequence_sync() -> None:
    """Certificate numbering continues after the seeded numbers of each year."""
    prefix = settings.SUPPLIERS_CERTIFICATE_PREFIX
    last: dict[int, int] = {}
    for number in Certification.objects.filter(certificate_no__startswith=prefix).values_list(
        "certificate_no", flat=True
    ):
        year, seq = number[len(prefix) + 1 : len(prefix) + 5], number[len(prefix) + 6 :]
        if year.isdigit() and seq.isdigit():
            last[int(year)] = max(last.get(int(year), 0), int(seq))
    for year, seq in last.items():
        row, _created = CertificateSequence.objects.get_or_create(year=year)
        if row.last < seq:
            row.last = seq
            row.save(update_fields=["last"])


def seed_supplier_workflow(
    *, regions: dict[str, Region], today: datetime.date, tally: Tally
) -> int:
    """Audit trails for every certification, documents for the open ones, the 30/7-day
    reminders due today. Returns how many certifications have a trail."""
    _returned_supplier(regions, today, tally)
    labels = _bureau_labels()
    certs = (
        Certification.objects.select_related("partner", "partner__region")
        .annotate(
            n_decisions=Count("decisions", distinct=True), n_docs=Count("documents", distinct=True)
        )
        .order_by("pk")
    )
    for cert in certs:
        if cert.partner.region_id is None:
            continue
        if cert.n_decisions == 0:
            decisions = _trail(cert, labels, today)
            CertificationDecision.objects.bulk_create(decisions)
            tally.created += len(decisions)
        if cert.n_docs == 0:
            tally.created += _documents(cert)
    _sequence_sync()
    with transaction.atomic():
        tally.created += len(certification_expiry_reminders(today=today))
    return Certification.objects.filter(decisions__isnull=False).distinct().count()
