"""The Wagtail document upload form, checking that a file's content matches its extension."""

import re
from pathlib import Path

import filetype
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

ZIP_BASED = {"docx", "xlsx", "pptx", "zip"}
OLE_BASED = {"doc", "xls", "ppt"}
TEXT = {"txt", "csv"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def content_matches_extension(head: bytes, extension: str) -> bool:
    """Whether the first bytes of a file are what its extension says it is."""
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ZIP_BASED:
        kind = filetype.guess(head)
        return kind is not None and kind.extension in ZIP_BASED
    if extension in OLE_BASED:
        return head.startswith(OLE_MAGIC)
    if extension in TEXT:
        if b"\x00" in head:
            return False
        for encoding in ("utf-8", "gb18030"):
            try:
                head.decode(encoding)
                return True
            except UnicodeDecodeError:
                # A multi-byte character may be cut at the end of the sample.
                try:
                    head[:-3].decode(encoding)
                    return True
                except UnicodeDecodeError:
                    continue
        return False
    return False


class SafeDocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is None or upload is self.initial.get("file") or not hasattr(upload, "read"):
            return upload
        name = Path(upload.name).name
        extension = Path(name).suffix.lower().lstrip(".")
        upload.seek(0)
        head = upload.read(8192)
        upload.seek(0)
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise forms.ValidationError(
                _("不支持 .%(ext)s 文件；可上传：%(allowed)s。"),
                params={"ext": extension, "allowed": "、".join(settings.WAGTAILDOCS_EXTENSIONS)},
            )
        if not content_matches_extension(head, extension):
            raise forms.ValidationError(
                _("文件内容与扩展名 .%(ext)s 不符，请上传真实的文档。"),
                params={"ext": extension},
            )
        # Letters (Chinese included), digits, "-" and "_" only: no markup, no path parts.
        stem = re.sub(r"[^\w-]+", "_", Path(name).stem).strip("_") or "document"
        upload.name = f"{stem[:80]}.{extension}"
        return upload
