"""The certification workflow through its services: who may decide what, in which region,
and what every decision records."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from catalog.models import ListingDecision, ListingStatus
from suppliers.exceptions import (
    CertificationApplicationOpenError,
    CertificationPermissionError,
    CertificationTransitionError,
    DocumentInvalidError,
)
from suppliers.models import (
    CertificateSequence,
    Certification,
    CertificationDecision,
    CertificationStatus,
    DocumentKind,
    SupplierNotice,
)
from suppliers.services import (
    certification_apply,
    certification_approve,
    certification_recommend,
    certification_reject,
    certification_resubmit,
    certification_return,
    certification_revoke,
    document_check,
)
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import PDF_BYTES, png_bytes, upload

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
S = CertificationStatus


def new_partner(regions, town="濉溪镇", n=901):
    return Partner(
        name="濉溪县新苗家庭农场",
        credit_code=make_credit_code(n),
        supplier_type="family_farm",
        region=regions[town],
        address="濉溪镇新苗村",
        contact_name="李新苗",
        contact_phone="13955512345",
        households_helped=8,
        bank_name="濉溪农商行",
        bank_account="6228480012345678",
    )


def licence():
    return [(DocumentKind.BUSINESS_LICENSE, document_check(upload("licence.pdf", PDF_BYTES)))]


@pytest.fixture
def applicant(regions):
    user = UserFactory(email="xinmiao@example.com")
    cert = certification_apply(partner=new_partner(regions), user=user, documents=licence())
    return {"user": user, "certification": cert, "partner": cert.partner}


def trail(cert):
    return list(
        CertificationDecision.objects.filter(certification=cert).values_list(
            "from_status", "to_status", "actor__email", "reason"
        )
    )


def test_an_application_creates_the_supplier_with_its_applicant_as_staff(applicant):
    partner = applicant["partner"]
    assert list(partner.users.values_list("email", flat=True)) == ["xinmiao@example.com"]
    assert partner.certified_until is None
    assert applicant["certification"].status == S.APPLIED
    assert trail(applicant["certification"]) == [
        ("", S.APPLIED, "xinmiao@example.com", "提交认定申请")
    ]
    assert applicant["certification"].documents.get().content_type == "application/pdf"


def test_an_application_without_a_business_licence_is_refused_and_nothing_is_saved(regions):
    user = UserFactory(email="x@example.com")
    other = [(DocumentKind.OTHER, document_check(upload("a.png", png_bytes())))]
    with pytest.raises(DocumentInvalidError, match="请上传营业执照"):
        certification_apply(partner=new_partner(regions), user=user, documents=other)
    assert Partner.objects.filter(name="濉溪县新苗家庭农场").count() == 0
    assert Certification.objects.count() == 0


def test_county_recommends_and_city_certifies_with_a_numbered_certificate(
    applicant, reviewers, django_capture_on_commit_callbacks
):
    cert = applicant["certification"]
    certification_recommend(certification=cert, user=reviewers["county"], reason="材料齐全")
    with django_capture_on_commit_callbacks(execute=True):
        cert = certification_approve(certification=cert, user=reviewers["city"])
    year = timezone.localdate().year
    assert cert.status == S.CERTIFIED
    assert cert.certificate_no == f"淮北消帮认〔{year}〕0001"
    assert cert.valid_from == timezone.localdate()
    assert cert.valid_until == timezone.localdate() + datetime.timedelta(days=729)
    partner = Partner.objects.get(pk=applicant["partner"].pk)
    assert partner.certified_until == cert.valid_until
    assert partner.is_certified
    assert trail(cert) == [
        ("", S.APPLIED, "xinmiao@example.com", "提交认定申请"),
        (S.APPLIED, S.RECOMMENDED, "county@example.com", "材料齐全"),
        (S.RECOMMENDED, S.CERTIFIED, "city@example.com", "经审核，予以认定"),
    ]
    labels = list(cert.decisions.values_list("actor_label", flat=True))
    assert labels == ["濉溪县新苗家庭农场", "濉溪县乡村振兴局", "淮北市乡村振兴局"]
    notice = SupplierNotice.objects.get(partner=partner)
    assert cert.certificate_no in notice.message
    assert mail.outbox[-1].to == ["xinmiao@example.com"]


def test_certificate_numbers_follow_a_yearly_sequence(regions, reviewers):
    numbers = []
    for n in range(3):
        user = UserFactory(email=f"farm{n}@example.com")
        partner = new_partner(regions, n=910 + n)
        partner.name = f"农场{n}"
        cert = certification_apply(partner=partner, user=user, documents=licence())
        certification_recommend(certification=cert, user=reviewers["county"])
        numbers.append(
            certification_approve(certification=cert, user=reviewers["city"]).certificate_no
        )
    year = timezone.localdate().year
    assert numbers == [f"淮北消帮认〔{year}〕{i:04d}" for i in (1, 2, 3)]
    assert CertificateSequence.objects.get(year=year).last == 3


def test_a_county_reviewer_cannot_decide_outside_their_county(applicant, reviewers):
    cert = applicant["certification"]
    with pytest.raises(CertificationPermissionError, match="不在您的管辖区域"):
        certification_recommend(certification=cert, user=reviewers["lieshan"])
    with pytest.raises(CertificationPermissionError):
        certification_return(certification=cert, user=reviewers["lieshan"], reason="不符合")
    cert.refresh_from_db()
    assert cert.status == S.APPLIED
    assert len(trail(cert)) == 1


def test_only_the_city_approves_and_only_the_county_recommends(applicant, reviewers):
    cert = applicant["certification"]
    with pytest.raises(CertificationPermissionError, match="县级"):
        certification_recommend(certification=cert, user=reviewers["city"])
    certification_recommend(certification=cert, user=reviewers["county"])
    with pytest.raises(CertificationPermissionError, match="市级"):
        certification_approve(certification=cert, user=reviewers["county"])
    with pytest.raises(CertificationPermissionError):
        certification_approve(certification=cert, user=applicant["user"])
    cert.refresh_from_db()
    assert cert.status == S.RECOMMENDED
    assert cert.certificate_no is None
    assert len(trail(cert)) == 2


def test_an_application_cannot_skip_the_county(applicant, reviewers):
    cert = applicant["certification"]
    with pytest.raises(CertificationTransitionError, match="已申请"):
        certification_approve(certification=cert, user=reviewers["city"])
    cert.refresh_from_db()
    assert (cert.status, cert.certificate_no) == (S.APPLIED, None)
    assert CertificateSequence.objects.count() == 0


def test_a_returned_application_is_corrected_and_resubmitted(applicant, reviewers):
    cert = applicant["certification"]
    with pytest.raises(CertificationTransitionError, match="请填写理由"):
        certification_return(certification=cert, user=reviewers["county"], reason="  ")
    certification_return(
        certification=cert, user=reviewers["county"], reason="带贫证明缺少村委盖章"
    )
    assert (
        "带贫证明缺少村委盖章" in SupplierNotice.objects.get(partner=applicant["partner"]).message
    )
    extra = [(DocumentKind.POVERTY_PROOF, document_check(upload("proof.png", png_bytes())))]
    certification_resubmit(
        certification=cert, user=applicant["user"], documents=extra, note="已补盖章"
    )
    cert.refresh_from_db()
    assert cert.status == S.APPLIED
    assert sorted(cert.documents.values_list("kind", flat=True)) == [
        "business_license",
        "poverty_proof",
    ]
    assert [row[:2] for row in trail(cert)] == [
        ("", S.APPLIED),
        (S.APPLIED, S.RETURNED),
        (S.RETURNED, S.APPLIED),
    ]
    assert trail(cert)[-1][3] == "已补盖章"


def test_another_supplier_cannot_resubmit_an_application(applicant, reviewers, suppliers):
    cert = applicant["certification"]
    certification_return(certification=cert, user=reviewers["county"], reason="缺材料")
    with pytest.raises(CertificationPermissionError):
        certification_resubmit(certification=cert, user=suppliers["user1"], documents=[])
    cert.refresh_from_db()
    assert cert.status == S.RETURNED


def test_a_second_application_while_one_is_open_is_refused(applicant):
    with pytest.raises(CertificationApplicationOpenError):
        certification_apply(
            partner=applicant["partner"], user=applicant["user"], documents=licence()
        )
    assert Certification.objects.filter(partner=applicant["partner"]).count() == 1


def test_the_city_rejects_with_a_reason(applicant, reviewers):
    cert = applicant["certification"]
    certification_recommend(certification=cert, user=reviewers["county"])
    with pytest.raises(CertificationTransitionError):
        certification_reject(certification=cert, user=reviewers["city"], reason="")
    certification_reject(certification=cert, user=reviewers["city"], reason="带贫户数不实")
    cert.refresh_from_db()
    assert cert.status == S.REJECTED
    assert trail(cert)[-1] == (S.RECOMMENDED, S.REJECTED, "city@example.com", "带贫户数不实")
    assert Partner.objects.get(pk=cert.partner_id).certified_until is None


def test_revoking_delists_the_suppliers_products_at_once(suppliers, reviewers):
    tashan = suppliers["tashan"]
    cert = tashan.certifications.get()
    assert suppliers["pomegranate"] in Product.objects.purchasable()
    certification_revoke(certification=cert, user=reviewers["city"], reason="带贫信息不实")
    cert.refresh_from_db()
    tashan.refresh_from_db()
    assert cert.status == S.REVOKED
    assert tashan.certified_until is None
    product = Product.objects.get(pk=suppliers["pomegranate"].pk)
    assert product.listing_status == ListingStatus.DELISTED
    assert product not in Product.objects.purchasable()
    decision = ListingDecision.objects.get(product=product)
    assert (decision.from_status, decision.to_status, decision.actor) == (
        "listed",
        "delisted",
        None,
    )
    assert "带贫信息不实" in decision.reason
    # the other supplier is untouched
    assert Product.objects.get(pk=suppliers["liquor"].pk).listing_status == ListingStatus.LISTED


def test_a_county_reviewer_cannot_revoke(suppliers, reviewers):
    cert = suppliers["kouzi"].certifications.get()
    with pytest.raises(CertificationPermissionError):
        certification_revoke(certification=cert, user=reviewers["county"], reason="x")
    cert.refresh_from_db()
    assert cert.status == S.CERTIFIED


def test_a_renewal_starts_the_day_after_the_current_certificate_ends(suppliers, reviewers):
    kouzi = suppliers["kouzi"]
    current_end = kouzi.certified_until
    cert = certification_apply(partner=kouzi, user=suppliers["user2"], documents=licence())
    certification_recommend(certification=cert, user=reviewers["county"])
    cert = certification_approve(certification=cert, user=reviewers["city"])
    assert cert.valid_from == current_end + datetime.timedelta(days=1)
    kouzi.refresh_from_db()
    assert kouzi.certified_until == cert.valid_until
