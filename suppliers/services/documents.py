"""Checking uploads by their content: certification documents and product images."""

import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..exceptions import DocumentInvalidError

#: What we accept, by the type the file's own bytes declare (not its name or the browser's word).
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}
# Pillow refuses larger images on its own (decompression bomb); keep well under its limit.
MAX_PIXELS = 40_000_000


@dataclass
class CheckedFile:
    """A checked upload: the bytes to store (re-encoded for images), its type and extension."""

    content: ContentFile
    content_type: str
    extension: str
    original_name: str
    size: int


def _read_limited(upload, max_bytes: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes:
        raise DocumentInvalidError(_too_large(max_bytes))
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DocumentInvalidError(_too_large(max_bytes))
    if not data:
        raise DocumentInvalidError(_("文件是空的，请重新选择。"))
    return data


def _too_large(max_bytes: int) -> str:
    return _("文件超过大小上限 %(mb)s MB，请压缩后再上传。") % {
        "mb": f"{max_bytes / 1024 / 1024:g}"
    }


def _reencode_image(data: bytes, content_type: str) -> bytes:
    """Decode and write the image again: drops metadata and anything hidden after the pixels."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise DocumentInvalidError(_("图片尺寸过大，请缩小后再上传。"))
            image = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            if content_type == "image/png":
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                _metadata_drop(image)
                image.save(out, format="PNG", optimize=True)
            else:
                image = image.convert("RGB")
                _metadata_drop(image)
                image.save(out, format="JPEG", quality=88, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DocumentInvalidError(_("图片文件已损坏或无法识别，请重新上传。"))
    return out.getvalue()


def _metadata_drop(image) -> None:
    """Forget every metadata segment the decoder read (comments, ICC profile, EXIF, XMP, text
    chunks): Pillow writes a JPEG comment and an ICC profile it read back into the new file
    unless told otherwise. Only a palette's transparency, part of the pixels, is kept."""
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}


def _check_pdf(data: bytes) -> None:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise DocumentInvalidError(_("PDF 文件不完整或已损坏，请重新上传。"))


def upload_check(upload, *, allowed: dict[str, str], max_bytes: int) -> CheckedFile:
    """Read ``upload`` (at most ``max_bytes``), recognise its type from its bytes, and return
    what to store: images decoded and re-encoded, PDFs checked for their header and end
    marker. Raises ``DocumentInvalidError`` with a Chinese reason otherwise."""
    data = _read_limited(upload, max_bytes)
    kind = filetype.guess(data)
    if kind is None or kind.mime not in allowed:
        names = "、".join(sorted({ext.upper() for ext in allowed.values()}))
        raise DocumentInvalidError(
            _("只接受 %(types)s 文件（按文件内容识别，不看扩展名）。") % {"types": names}
        )
    content_type = kind.mime
    if content_type == "application/pdf":
        _check_pdf(data)
    else:
        data = _reencode_image(data, content_type)
    extension = allowed[content_type]
    original = (getattr(upload, "name", "") or f"upload.{extension}").rsplit("/", 1)[-1][:200]
    return CheckedFile(
        content=ContentFile(data, name=f"upload.{extension}"),
        content_type=content_type,
        extension=extension,
        original_name=original,
        size=len(data),
    )


def document_check(upload) -> CheckedFile:
    return upload_check(
        upload, allowed=DOCUMENT_TYPES, max_bytes=settings.SUPPLIERS_DOCUMENT_MAX_BYTES
    )


def product_image_check(upload) -> CheckedFile:
    return upload_check(
        upload, allowed=IMAGE_TYPES, max_bytes=settings.SUPPLIERS_PRODUCT_IMAGE_MAX_BYTES
    )
