"""No script through rich text, menus or uploads; documents download as attachments."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from frontend.models import NewsPage
from frontend.services import rich_text_clean

pytestmark = pytest.mark.django_db

Document = get_document_model()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_rich_text_cleaning_drops_scripts_handlers_and_javascript_links():
    dirty = (
        '<p>你好<script>alert(1)</script><img src=x onerror="alert(2)">'
        '<a href="javascript:alert(3)">链接</a><b onclick="alert(4)">粗体</b></p>'
        '<iframe src="https://evil.example/"></iframe><h2 style="color:red">标题</h2>'
    )
    clean = rich_text_clean(dirty)

    assert clean == "<p>你好alert(1)<a>链接</a><b>粗体</b></p><h2>标题</h2>"
    for bad in ("<script", "onerror", "onclick", "javascript:", "<iframe", "style="):
        assert bad not in clean


def test_markup_typed_into_the_editor_is_stored_and_shown_as_text(client, tree, reviewer):
    contentstate = {
        "blocks": [
            {
                "key": "a1",
                "type": "unstyled",
                "depth": 0,
                "text": '<script>alert(1)</script><img src=x onerror="alert(2)"> 链接',
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 48, "length": 2, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(3)"}}
        },
    }
    client.force_login(reviewer)
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("frontend", "newspage", tree["news_index"].pk)),
        nested_form_data(
            {
                "title": "注入测试",
                "slug": "xss",
                "category": "work",
                "date": "2024-05-06",
                "source": "",
                "summary": "",
                "cover_image": "",
                "body": streamfield([("rich_text", json.dumps(contentstate))]),
                "attachments": inline_formset([]),
                "comments": inline_formset([]),
                "action-publish": "发布",
            }
        ),
    )
    assert response.status_code == 302

    page = NewsPage.objects.get(slug="xss")
    stored = page.body[0].value.source
    assert "<script" not in stored and "javascript:" not in stored
    assert "&lt;script&gt;" in stored
    body = Client().get(page.url).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert '<img src=x onerror="alert(2)">' not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_menu_link_must_be_a_page_or_a_safe_address():
    from frontend.blocks import MenuItemBlock

    block = MenuItemBlock()
    with pytest.raises(Exception) as error:
        block.clean(block.to_python({"label": "恶意", "page": None, "url": "javascript:alert(1)"}))
    assert "url" in error.value.block_errors
    assert block.clean(block.to_python({"label": "商品", "page": None, "url": "/shop/"}))


def upload(client, name: str, content: bytes):
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_an_uploaded_document_gets_a_safe_name_and_downloads_as_an_attachment(
    client, tree, editor, settings
):
    client.force_login(editor)
    response = upload(client, '"><script>alert(1)<script>填报说明.pdf', PDF)
    assert response.status_code == 302, response.context["form"].errors

    document = Document.objects.get()
    stored = document.file.name.rsplit("/", 1)[-1]
    assert stored.startswith("script_alert_1_script_填报说明") and stored.endswith(".pdf")
    for bad in "<>\"'/":
        assert bad not in stored

    response = Client().get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("页面.html", b"<html><script>alert(1)</script></html>", "不支持 .html 文件"),
        ("伪装.pdf", b"<html><script>alert(1)</script></html>", "文件内容与扩展名 .pdf 不符"),
        ("表格.xlsx", b"MZ\x90\x00 not a spreadsheet", "文件内容与扩展名 .xlsx 不符"),
    ],
)
def test_an_upload_that_is_not_what_it_claims_is_refused(
    client, tree, editor, name, content, message
):
    client.force_login(editor)
    response = upload(client, name, content)

    assert message in response.content.decode()
    assert Document.objects.count() == 0


def test_a_text_document_is_served_as_plain_text_attachment(client, tree, editor):
    client.force_login(editor)
    assert upload(client, "名单.txt", b"<script>alert(1)</script>").status_code == 302

    response = Client().get(Document.objects.get().url)
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment")
