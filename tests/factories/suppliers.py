"""Suppliers: certifications (applications) with their decisions and documents, the bytes
of valid uploads, and bureau reviewers."""

import io

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from regions.models import BureauLevel
from suppliers.models import (
    Certification,
    CertificationDecision,
    CertificationDocument,
    CertificationStatus,
    DocumentKind,
)
from tests.factories.catalog import SupplierFactory
from tests.factories.regions import BureauStaffFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes(size=(40, 30), color=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (20, 120, 40)).save(out, format="JPEG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class CertificationFactory(factory.django.DjangoModelFactory):
    """An application waiting for the county (已申请) of a supplier without a certificate."""

    class Meta:
        model = Certification

    partner = factory.SubFactory(SupplierFactory, certified_until=None)
    status = CertificationStatus.APPLIED

    class Params:
        # certified=True: 已认定 for two years from today, with its certificate number.
        certified = factory.Trait(
            status=CertificationStatus.CERTIFIED,
            certificate_no=factory.Sequence(lambda n: f"淮北消帮认〔测试〕{n:04d}"),
            valid_from=factory.LazyFunction(timezone.localdate),
            valid_until=factory.LazyAttribute(
                lambda o: o.valid_from.replace(year=o.valid_from.year + 2)
            ),
            decided_at=factory.LazyFunction(timezone.now),
        )


class CertificationDecisionFactory(factory.django.DjangoModelFactory):
    """One step of the audit trail: applied, by nobody in particular."""

    class Meta:
        model = CertificationDecision

    certification = factory.SubFactory(CertificationFactory)
    from_status = ""
    to_status = CertificationStatus.APPLIED


class CertificationDocumentFactory(factory.django.DjangoModelFactory):
    """A business licence as a small valid PDF, in the private storage."""

    class Meta:
        model = CertificationDocument

    certification = factory.SubFactory(CertificationFactory)
    kind = DocumentKind.BUSINESS_LICENSE
    original_name = "营业执照.pdf"
    content_type = "application/pdf"
    file = factory.LazyAttribute(lambda o: ContentFile(PDF_BYTES, name=o.original_name))
    size = len(PDF_BYTES)


def reviewer(email: str, region, *, level=BureauLevel.COUNTY, bureau_name: str):
    """A bureau reviewer of ``region``'s subtree."""
    return BureauStaffFactory(
        user__email=email, region=region, level=level, bureau_name=bureau_name
    ).user
