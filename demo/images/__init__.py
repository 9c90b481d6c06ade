"""Generated product pictures: a flat illustration per product, coloured by its category.

Pictures depend only on their arguments (the random details are seeded by the product's UPC),
so a rerun writes the same bytes. A product's short name is drawn in Chinese when a CJK font is
installed; without one the picture has the shapes only, never boxes for missing glyphs.
"""

import functools
import hashlib
import io
import random

from PIL import Image, ImageDraw, ImageFont

from .canvas import RGB, SCALE, SIZE, box, mix, rgb
from .fonts import label_font
from .shapes import SHAPES, draw_box

__all__ = ["SHAPES", "SIZE", "product_image"]


def product_image(
    *, seed: str, shape: str, color: str, palette: tuple[str, str, str], label: str | None
) -> bytes:
    """A SIZE x SIZE JPEG: ``palette`` is (gradient top, gradient bottom, accent) of the
    category, ``color`` the produce's own colour, ``shape`` a key of ``SHAPES``."""
    rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest()[:8], "big"))
    top, bottom, accent = (rgb(c) for c in palette)
    img = _background(top, bottom, rng)
    font = label_font(label) if label else None
    cx, cy = SCALE // 2, (SCALE * 43 // 100 if font else SCALE // 2)

    draw = ImageDraw.Draw(img)
    draw.ellipse(box(cx, cy + 330, 330, 48), fill=mix(bottom, (0, 0, 0), 0.12))
    SHAPES.get(shape, draw_box)(draw, cx, cy, rgb(color), rng)
    if font and label:
        _draw_label(img, label, font, accent)

    out = io.BytesIO()
    img.reduce(2).save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def _background(top: RGB, bottom: RGB, rng: random.Random) -> Image.Image:
    """The category's vertical gradient with a few soft light bubbles."""
    img = _gradient(top, bottom).copy()
    for _ in range(5):
        r = rng.randint(60, 220)
        x, y = rng.randint(0, SCALE), rng.randint(0, SCALE)
        img.paste((255, 255, 255), (x - r, y - r, x + r, y + r), _disc_mask(r, 46))
    return img


# Translucent shapes are pasted in white through a small "L" mask, within their bounding box:
# far cheaper than compositing whole-picture RGBA layers, a hundred pictures at a time.
@functools.cache
def _disc_mask(r: int, opacity: int) -> Image.Image:
    mask = Image.new("L", (2 * r, 2 * r), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, 2 * r - 1, 2 * r - 1), fill=opacity)
    return mask


@functools.cache
def _gradient(top: RGB, bottom: RGB) -> Image.Image:
    mask = Image.linear_gradient("L").resize((SCALE, SCALE))
    return Image.composite(
        Image.new("RGB", (SCALE, SCALE), bottom), Image.new("RGB", (SCALE, SCALE), top), mask
    )


def _draw_label(img: Image.Image, label: str, font: ImageFont.FreeTypeFont, accent: RGB) -> None:
    size = 104
    font = font.font_variant(size=size)
    while font.getlength(label) > SCALE * 0.78 and size > 48:
        size -= 8
        font = font.font_variant(size=size)
    width = font.getlength(label)
    cy = SCALE * 85 // 100
    half_w, half_h = round(width / 2) + 56, round(size * 0.62) + 20
    pill = Image.new("L", (2 * half_w, 2 * half_h), 0)
    ImageDraw.Draw(pill).rounded_rectangle(
        (0, 0, 2 * half_w - 1, 2 * half_h - 1), radius=half_h, fill=228
    )
    img.paste(
        (255, 255, 255), (SCALE // 2 - half_w, cy - half_h, SCALE // 2 + half_w, cy + half_h), pill
    )
    ImageDraw.Draw(img).text((SCALE / 2, cy), label, font=font, fill=accent, anchor="mm")
