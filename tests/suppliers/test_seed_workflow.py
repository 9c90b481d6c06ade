"""seed_demo: suppliers in every certification state, each with its audit trail."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from oscar.core.loading import get_model

from suppliers.models import (
    CertificateSequence,
    Certification,
    CertificationDecision,
    CertificationDocument,
    NoticeKind,
    SupplierNotice,
)

Partner = get_model("partner", "Partner")


@pytest.fixture
def seeded(db, home_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", quiet=True)


def moves(partner_name):
    cert = Certification.objects.get(partner__name=partner_name)
    return cert, [
        (d.from_status, d.to_status)
        for d in CertificationDecision.objects.filter(certification=cert)
    ]


def test_every_state_has_a_supplier_with_its_trail(seeded):
    today = timezone.localdate()
    statuses = set(Certification.objects.values_list("status", flat=True))
    assert statuses == {"applied", "recommended", "returned", "certified", "expired", "revoked"}
    assert not Certification.objects.filter(decisions__isnull=True).exists()

    cert, trail = moves("濉溪县孙疃镇金穗家庭农场")
    assert trail == [("", "applied")]
    cert, trail = moves("淮北市杜集区高岳禾丰粮油商行")
    assert trail == [("", "applied"), ("applied", "recommended")]
    cert, trail = moves("濉溪县临涣镇青禾果蔬家庭农场")
    assert trail == [("", "applied"), ("applied", "returned")]
    assert cert.decisions.last().actor.email == "county@example.com"
    cert, trail = moves("淮北市相山区东山果蔬专业合作社")
    assert trail[-1] == ("certified", "expired")
    cert, trail = moves("淮北市烈山区杨庄富民养殖专业合作社")
    assert trail[-1] == ("certified", "revoked")
    assert cert.decisions.last().actor.email == "city@example.com"
    cert, trail = moves("淮北塔山石榴专业合作社")
    assert trail == [("", "applied"), ("applied", "recommended"), ("recommended", "certified")]

    expiring = Partner.objects.get(name="濉溪县双堆集镇红色家园家庭农场")
    days_left = (expiring.certified_until - today).days
    assert 0 < days_left <= 30
    notice = SupplierNotice.objects.get(partner=expiring)
    assert notice.kind == (NoticeKind.EXPIRY_7 if days_left <= 7 else NoticeKind.EXPIRY_30)

    assert CertificationDocument.objects.filter(kind="business_license").count() == (
        Certification.objects.count()
    )
    year = Certification.objects.filter(valid_from__year=today.year).count()
    if year:
        assert CertificateSequence.objects.get(year=today.year).last == year


def test_a_second_run_adds_no_decisions_documents_or_notices(seeded):
    before = (
        CertificationDecision.objects.count(),
        CertificationDocument.objects.count(),
        SupplierNotice.objects.count(),
    )
    call_command("seed_demo", quiet=True)
    assert (
        CertificationDecision.objects.count(),
        CertificationDocument.objects.count(),
        SupplierNotice.objects.count(),
    ) == before
    assert before[0] > 20
