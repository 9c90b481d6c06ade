"""Finding a font that can draw the products' Chinese names, if the machine has one."""

import functools
import shutil
import subprocess

from PIL import ImageFont

_FONT_FALLBACKS = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
]


def label_font(label: str) -> ImageFont.FreeTypeFont | None:
    """The CJK font if one is installed and has a glyph for every character of ``label``."""
    font = _cjk_font()
    if font is None:
        return None
    missing = _glyph_mask(font, "\uffff")  # what the font draws for a character it lacks
    if any(_glyph_mask(font, ch) == missing for ch in set(label) if not ch.isspace()):
        return None
    return font


@functools.cache
def _glyph_mask(font: ImageFont.FreeTypeFont, ch: str) -> bytes:
    return bytes(font.getmask(ch))


@functools.cache
def _cjk_font() -> ImageFont.FreeTypeFont | None:
    for path, index in [*_fontconfig_cjk_fonts(), *_FONT_FALLBACKS]:
        try:
            return ImageFont.truetype(path, 104, index=index)
        except OSError:
            continue
    return None


def _fontconfig_cjk_fonts() -> list[tuple[str, int]]:
    """Fonts fontconfig knows to cover Simplified Chinese; bold SC faces first."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        result = subprocess.run(  # noqa: S603  (fixed arguments, no user input)
            [fc_list, "--format", "%{file}|%{index}|%{family}|%{style}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    faces = []
    for line in result.stdout.splitlines():
        fields = line.split("|", 3)
        if len(fields) != 4 or not fields[1].isdigit():
            continue
        path, index, family, style = fields
        rank = (
            "Mono" in family,
            not any(tag in family for tag in ("SC", "CN", "Hans")),
            "Bold" not in style,
            family,
            style,
            path,
        )
        faces.append((rank, path, int(index)))
    return [(path, index) for _, path, index in sorted(faces)]
