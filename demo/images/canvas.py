"""Colours and geometry shared by the picture code; coordinates are on the SCALE canvas."""

import math

from PIL import ImageDraw

SIZE = 600  # the stored picture, in pixels
SCALE = SIZE * 2  # drawn at twice the size, then reduced: smooth edges

RGB = tuple[int, int, int]


def rgb(value: str) -> RGB:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def light(c: RGB, t: float = 0.35) -> RGB:
    return mix(c, (255, 255, 255), t)


def dark(c: RGB, t: float = 0.3) -> RGB:
    return mix(c, (0, 0, 0), t)


def box(cx: float, cy: float, rx: float, ry: float) -> tuple[float, float, float, float]:
    return cx - rx, cy - ry, cx + rx, cy + ry


def oval(cx: float, cy: float, rx: float, ry: float, angle: float) -> list[tuple[float, float]]:
    """An ellipse rotated by ``angle`` degrees, as a polygon."""
    a = math.radians(angle)
    points = []
    for i in range(72):
        t = 2 * math.pi * i / 72
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append(
            (cx + x * math.cos(a) - y * math.sin(a), cy + x * math.sin(a) + y * math.cos(a))
        )
    return points


def leaf(draw: ImageDraw.ImageDraw, x: float, y: float, length: float, angle: float) -> None:
    a = math.radians(angle)
    mx, my = x + math.cos(a) * length / 2, y + math.sin(a) * length / 2
    draw.polygon(oval(mx, my, length / 2, length / 5, angle), fill=(86, 150, 62))
    draw.line(
        [(x, y), (x + math.cos(a) * length * 0.9, y + math.sin(a) * length * 0.9)],
        fill=(62, 118, 44),
        width=5,
    )
