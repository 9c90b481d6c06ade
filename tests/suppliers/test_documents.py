"""Uploads: recognised by content, size-limited, images re-encoded, stored privately, served
only to the supplier's users and to reviewers whose region covers the supplier."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from PIL import Image, PngImagePlugin

from suppliers.exceptions import DocumentInvalidError
from suppliers.models import Certification, CertificationDocument
from suppliers.services import document_check
from tests.factories.accounts import UserFactory
from tests.factories.catalog import make_credit_code

from .conftest import PDF_BYTES, jpeg_bytes, png_bytes, upload

Partner = get_model("partner", "Partner")


def test_a_pdf_is_accepted_as_it_is():
    checked = document_check(upload("证照.pdf", PDF_BYTES))
    assert (checked.content_type, checked.extension, checked.size) == (
        "application/pdf",
        "pdf",
        len(PDF_BYTES),
    )
    assert checked.content.read() == PDF_BYTES


def test_an_image_is_re_encoded_which_drops_anything_appended_to_it():
    payload = png_bytes() + b"<?php system($_GET['c']); ?>"
    checked = document_check(upload("licence.png", payload))
    data = checked.content.read()
    assert checked.content_type == "image/png"
    assert b"<?php" not in data
    assert Image.open(io.BytesIO(data)).size == (40, 30)


def test_re_encoding_drops_every_metadata_segment():
    comment = b"<script>alert(1)</script>"
    jpeg = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 30)).save(
        jpeg,
        format="JPEG",
        comment=comment,
        icc_profile=b"ICC-PROFILE-BYTES",
        exif=b"Exif\x00\x00MM",
    )
    png = io.BytesIO()
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", comment.decode())
    Image.new("RGB", (40, 30)).save(png, format="PNG", pnginfo=text, icc_profile=b"ICC-BYTES")

    data = document_check(upload("photo.jpg", jpeg.getvalue())).content.read()
    assert comment not in data and b"ICC-PROFILE" not in data and b"Exif" not in data
    assert b"\xff\xfe" not in data[: data.index(b"\xff\xda")]  # no COM segment before the scan
    assert Image.open(io.BytesIO(data)).info.get("comment") is None
    data = document_check(upload("photo.png", png.getvalue())).content.read()
    assert comment not in data and b"iCCP" not in data and b"tEXt" not in data


def test_a_jpeg_is_accepted_and_re_encoded():
    checked = document_check(upload("licence.jpg", jpeg_bytes()))
    assert (checked.content_type, checked.extension) == ("image/jpeg", "jpg")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("licence.pdf", b"just some text pretending to be a PDF", "只接受 JPG、PDF、PNG"),
        ("licence.png", b"MZ\x90\x00\x03" + b"\x00" * 200, "只接受"),
        ("licence.pdf", b"%PDF-1.4\n truncated without an end marker", "PDF 文件不完整"),
        ("licence.png", png_bytes()[:40], "图片文件已损坏"),
        ("licence.gif", b"GIF89a" + b"\x00" * 50, "只接受"),
        ("empty.pdf", b"", "文件是空的"),
    ],
)
def test_bad_files_are_refused_with_a_chinese_reason(name, content, message):
    with pytest.raises(DocumentInvalidError, match=message):
        document_check(upload(name, content))


def test_an_oversize_file_is_refused(settings):
    settings.SUPPLIERS_DOCUMENT_MAX_BYTES = 1024
    with pytest.raises(DocumentInvalidError, match="超过大小上限"):
        document_check(upload("big.pdf", PDF_BYTES + b"0" * 2048 + b"\n%%EOF\n"))


def apply_form(regions, **files):
    data = {
        "name": "濉溪县新苗家庭农场",
        "credit_code": make_credit_code(777),
        "supplier_type": "family_farm",
        "region": regions["濉溪镇"].pk,
        "address": "濉溪镇新苗村",
        "contact_name": "李新苗",
        "contact_phone": "13955512345",
        "households_helped": "8",
        "introduction": "",
        "bank_name": "濉溪农商行",
        "bank_account": "6228480012345678",
        "note": "",
    }
    data.update(files)
    return data


def test_applying_with_a_disguised_file_shows_the_field_error_and_saves_nothing(
    client, regions, settings
):
    user = UserFactory(email="new@example.com")
    client.force_login(user)
    response = client.post(
        reverse("suppliers:apply"),
        apply_form(regions, business_license=upload("licence.pdf", b"not a pdf at all")),
    )
    assert response.status_code == 200
    assert "只接受 JPG、PDF、PNG 文件" in response.content.decode()
    assert Partner.objects.filter(name="濉溪县新苗家庭农场").count() == 0
    assert Certification.objects.count() == 0
    private = Path(settings.SUPPLIERS_PRIVATE_ROOT)
    assert not private.exists() or not any(private.rglob("*.*"))


def test_applying_with_an_invalid_credit_code_shows_the_field_error(client, regions):
    client.force_login(UserFactory(email="new@example.com"))
    data = apply_form(regions, business_license=upload("l.pdf", PDF_BYTES))
    data["credit_code"] = data["credit_code"][:17] + (
        "0" if data["credit_code"][17] != "0" else "1"
    )
    response = client.post(reverse("suppliers:apply"), data)
    assert "统一社会信用代码校验位不正确" in response.content.decode()
    assert Partner.objects.filter(name="濉溪县新苗家庭农场").count() == 0


def test_an_application_through_the_page_stores_the_document_privately(client, regions, settings):
    user = UserFactory(email="new@example.com")
    client.force_login(user)
    response = client.post(
        reverse("suppliers:apply"),
        apply_form(
            regions,
            business_license=upload("营业执照.pdf", PDF_BYTES),
            poverty_proof=upload("proof.png", png_bytes()),
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("suppliers:certification")
    partner = Partner.objects.get(name="濉溪县新苗家庭农场")
    docs = CertificationDocument.objects.filter(certification__partner=partner).order_by("kind")
    assert [(d.kind, d.original_name) for d in docs] == [
        ("business_license", "营业执照.pdf"),
        ("poverty_proof", "proof.png"),
    ]
    stored = Path(docs[0].file.path)
    assert stored.is_relative_to(Path(settings.SUPPLIERS_PRIVATE_ROOT))
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert stored.read_bytes() == PDF_BYTES
    with pytest.raises(ValueError):
        docs[0].file.url  # noqa: B018


@pytest.fixture
def document(suppliers):
    """A document of 口子 (濉溪县)."""
    from suppliers.models import DocumentKind
    from suppliers.services.certifications import _documents_add

    cert = suppliers["kouzi"].certifications.get()
    _documents_add(
        certification=cert,
        documents=[(DocumentKind.BUSINESS_LICENSE, document_check(upload("l.pdf", PDF_BYTES)))],
        user=suppliers["user2"],
    )
    return cert.documents.get()


def test_the_suppliers_own_user_reads_its_document(client, suppliers, document):
    client.force_login(suppliers["user2"])
    response = client.get(reverse("suppliers:document", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_a_pdf_whose_body_is_html_is_still_only_a_sandboxed_download(
    client, suppliers, document, settings
):
    # A file that passed the header check but carries markup: served, never rendered here.
    Path(document.file.path).write_bytes(
        b"%PDF-1.4\n<script>alert(document.cookie)</script>\n%%EOF"
    )
    client.force_login(suppliers["user2"])
    response = client.get(reverse("suppliers:document", kwargs={"pk": document.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("who", "status"), [("county", 200), ("city", 200), ("lieshan", 404), ("user1", 404)]
)
def test_who_else_may_read_a_document(client, suppliers, reviewers, document, who, status):
    user = reviewers.get(who) or suppliers.get(who)
    client.force_login(user)
    response = client.get(reverse("suppliers:document", kwargs={"pk": document.pk}))
    assert response.status_code == status


def test_an_anonymous_visitor_is_sent_to_log_in(client, document):
    response = client.get(reverse("suppliers:document", kwargs={"pk": document.pk}))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
