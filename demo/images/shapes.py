"""Shapes: each function draws one kind of produce or package centred on (cx, cy)."""

import math
from collections.abc import Callable

from .canvas import box, dark, leaf, light, oval


def _fruit(draw, x, y, r, c):
    draw.ellipse(box(x, y, r, r), fill=c)
    draw.ellipse(box(x - r * 0.38, y - r * 0.38, r * 0.22, r * 0.14), fill=light(c, 0.45))


def draw_pomegranate(draw, cx, cy, c, rng):
    for x, y, r, shade in ((cx - 210, cy + 90, 170, 0.25), (cx + 40, cy + 20, 250, 0.0)):
        col = dark(c, shade)
        crown = [
            (x - r * 0.3, y - r * 0.8),
            (x - r * 0.34, y - r * 1.18),
            (x - r * 0.12, y - r * 1.0),
            (x, y - r * 1.25),
            (x + r * 0.12, y - r * 1.0),
            (x + r * 0.34, y - r * 1.18),
            (x + r * 0.3, y - r * 0.8),
        ]
        draw.polygon(crown, fill=dark(col, 0.15))
        _fruit(draw, x, y, r, col)
    for _ in range(6):  # a few seeds spilling out
        sx, sy = cx + rng.randint(140, 330), cy + rng.randint(250, 320)
        draw.ellipse(box(sx, sy, 22, 28), fill=light(c, 0.1))


def draw_round(draw, cx, cy, c, rng):
    for dx, dy, r in ((-190, 80, 170), (170, 90, 160), (0, -30, 210)):
        x, y = cx + dx + rng.randint(-10, 10), cy + dy
        _fruit(draw, x, y, r, c)
        draw.line([(x, y - r * 0.95), (x + 12, y - r * 1.2)], fill=(110, 72, 40), width=12)
    leaf(draw, cx + 12, cy - 270, 150, -25)


def draw_pear(draw, cx, cy, c, rng):
    for dx, s in ((-170, 0.75), (90, 1.0)):
        x = cx + dx
        draw.ellipse(box(x, cy + 110 * s, 200 * s, 190 * s), fill=c)
        draw.ellipse(box(x, cy - 90 * s, 120 * s, 140 * s), fill=c)
        draw.ellipse(box(x - 70 * s, cy + 40 * s, 40 * s, 26 * s), fill=light(c, 0.45))
        draw.line([(x, cy - 220 * s), (x + 15, cy - 290 * s)], fill=(110, 72, 40), width=14)
    leaf(draw, cx + 100, cy - 270, 140, -30)


def draw_strawberry(draw, cx, cy, c, rng):
    for dx, dy, s in ((-200, 90, 0.7), (170, 100, 0.75), (0, 0, 1.0)):
        x, y = cx + dx, cy + dy
        body = [
            (x - 200 * s, y - 120 * s),
            (x + 200 * s, y - 120 * s),
            (x + 150 * s, y + 80 * s),
            (x, y + 250 * s),
            (x - 150 * s, y + 80 * s),
        ]
        draw.polygon(body, fill=c)
        draw.ellipse(box(x, y - 110 * s, 200 * s, 90 * s), fill=c)
        for _ in range(12):
            sx, sy = x + rng.uniform(-130, 130) * s, y + rng.uniform(-110, 110) * s
            draw.ellipse(box(sx, sy, 7 * s, 10 * s), fill=(250, 225, 120))
        for angle in (-150, -110, -70, -30):
            leaf(draw, x, y - 180 * s, 120 * s, angle)


def draw_grapes(draw, cx, cy, c, rng):
    r = 58
    for row, count in enumerate((5, 4, 4, 3, 2, 1)):
        y = cy - 170 + row * 92
        for i in range(count):
            x = cx + (i - (count - 1) / 2) * 108 + rng.randint(-8, 8)
            _fruit(draw, x, y, r, dark(c, rng.uniform(0, 0.2)))
    draw.line([(cx, cy - 230), (cx + 30, cy - 320)], fill=(110, 72, 40), width=16)
    leaf(draw, cx + 20, cy - 280, 200, -20)


def draw_eggs(draw, cx, cy, c, rng):
    draw.chord(box(cx, cy + 60, 360, 260), 0, 180, fill=(176, 128, 78))
    for dx, dy in ((-170, 20), (170, 20), (0, -40), (-85, 70), (85, 70)):
        x, y = cx + dx + rng.randint(-6, 6), cy + dy
        draw.ellipse(box(x, y, 95, 125), fill=c)
        draw.ellipse(box(x - 35, y - 55, 18, 28), fill=light(c, 0.5))
    for i in range(7):  # straw of the nest
        y = cy + 80 + i * 28
        draw.arc(box(cx, y - 80, 340 - i * 30, 110), 10, 170, fill=(140, 96, 52), width=8)


def draw_meat(draw, cx, cy, c, rng):
    bone = (246, 238, 222)
    for dx, dy, angle, s, shade in ((-150, 110, 25, 0.75, 0.15), (60, -10, -35, 1.0, 0.0)):
        a, meat = math.radians(angle), dark(c, shade)
        x, y = cx + dx, cy + dy
        bx, by = x + math.cos(a) * 330 * s, y + math.sin(a) * 330 * s
        draw.line([(x, y), (bx, by)], fill=bone, width=round(50 * s))
        for side in (-1, 1):
            px, py = bx + math.cos(a + side * 1.3) * 32 * s, by + math.sin(a + side * 1.3) * 32 * s
            draw.ellipse(box(px, py, 38 * s, 38 * s), fill=bone)
        mx, my = x - math.cos(a) * 40 * s, y - math.sin(a) * 40 * s
        draw.polygon(oval(mx, my, 200 * s, 150 * s, angle), fill=meat)
        draw.polygon(oval(mx - 30 * s, my - 55 * s, 90 * s, 36 * s, angle), fill=light(meat, 0.3))


def draw_mushroom(draw, cx, cy, c, rng):
    for dx, dy, s in ((-190, 110, 0.65), (90, 0, 1.0)):
        x, y = cx + dx, cy + dy
        draw.rounded_rectangle(
            box(x, y + 150 * s, 75 * s, 150 * s), radius=40 * s, fill=(242, 230, 208)
        )
        draw.pieslice(box(x, y + 20 * s, 260 * s, 230 * s), 180, 360, fill=c)
        draw.rectangle(box(x, y + 18 * s, 250 * s, 10 * s), fill=dark(c, 0.2))
        for _ in range(4):
            sx, sy = x + rng.uniform(-150, 150) * s, y - rng.uniform(60, 160) * s
            draw.ellipse(box(sx, sy, 24 * s, 16 * s), fill=light(c, 0.4))


def draw_root(draw, cx, cy, c, rng):
    for dx, dy, angle, length in ((-120, 60, 70, 320), (60, 10, 100, 360), (200, 80, 80, 280)):
        x, y = cx + dx, cy + dy
        draw.polygon(oval(x, y, length, 70, angle), fill=c)
        draw.polygon(oval(x - 18, y - 10, length * 0.7, 20, angle), fill=light(c, 0.3))
        for _ in range(4):
            t = rng.uniform(-0.7, 0.7) * length
            a = math.radians(angle)
            px, py = x + math.cos(a) * t, y + math.sin(a) * t
            draw.line([(px - 30, py), (px + 30, py + 6)], fill=dark(c, 0.25), width=6)


def draw_garlic(draw, cx, cy, c, rng):
    for dx, s in ((-190, 0.75), (160, 0.8), (0, 1.0)):
        x, y = cx + dx, cy + 60 - 40 * s
        draw.polygon(
            [(x - 60 * s, y - 160 * s), (x, y - 320 * s), (x + 60 * s, y - 160 * s)],
            fill=(240, 232, 236),
        )
        draw.ellipse(box(x, y, 210 * s, 190 * s), fill=(246, 240, 242))
        for k in (-2, -1, 0, 1, 2):
            draw.arc(box(x + k * 55 * s, y, 60 * s, 185 * s), 200, 340, fill=c, width=8)
        draw.line(
            [(x - 60 * s, y + 190 * s), (x + 60 * s, y + 190 * s)], fill=(190, 170, 140), width=10
        )


def draw_leaf(draw, cx, cy, c, rng):
    for i in range(7):  # leafy greens behind the basket
        angle = -160 + i * 23
        leaf(draw, cx + (i - 3) * 40, cy + 40, 300 + rng.randint(-30, 30), angle)
    draw.polygon(oval(cx - 140, cy - 40, 200, 60, -60), fill=(236, 120, 40))
    _fruit(draw, cx + 150, cy - 10, 95, (216, 56, 40))
    draw.polygon(
        [(cx - 330, cy + 60), (cx + 330, cy + 60), (cx + 260, cy + 330), (cx - 260, cy + 330)],
        fill=(184, 134, 80),
    )
    for k in range(4):
        y = cy + 100 + k * 60
        draw.line([(cx - 320 + k * 18, y), (cx + 320 - k * 18, y)], fill=(150, 102, 56), width=8)
    draw.rectangle((cx - 340, cy + 40, cx + 340, cy + 80), fill=c)


def draw_bowl(draw, cx, cy, c, rng):
    draw.chord(box(cx, cy - 10, 320, 190), 180, 360, fill=c)
    for _ in range(60):
        x, y = cx + rng.uniform(-260, 260), cy - rng.uniform(15, 150)
        if ((x - cx) / 300) ** 2 + ((y - cy + 10) / 180) ** 2 < 1:
            draw.ellipse(box(x, y, 12, 7), fill=dark(c, 0.12))
    draw.chord(box(cx, cy - 10, 360, 300), 0, 180, fill=(246, 248, 252))
    draw.rectangle((cx - 360, cy - 30, cx + 360, cy + 8), fill=(226, 234, 246))
    draw.arc(box(cx, cy + 10, 290, 220), 30, 150, fill=(70, 110, 180), width=14)
    draw.rounded_rectangle(
        (cx - 110, cy + 280, cx + 110, cy + 320), radius=16, fill=(220, 228, 240)
    )


def draw_sack(draw, cx, cy, c, rng):
    body = [(cx - 240, cy - 170), (cx + 240, cy - 170), (cx + 290, cy + 300), (cx - 290, cy + 300)]
    draw.polygon(body, fill=c)
    draw.rounded_rectangle((cx - 290, cy + 200, cx + 290, cy + 320), radius=40, fill=c)
    draw.polygon(
        [(cx - 240, cy - 170), (cx - 150, cy - 300), (cx + 150, cy - 300), (cx + 240, cy - 170)],
        fill=dark(c, 0.06),
    )
    draw.rectangle((cx - 170, cy - 200, cx + 170, cy - 160), fill=(176, 60, 46))
    wheat = (196, 144, 52)
    draw.line([(cx, cy + 220), (cx, cy - 60)], fill=wheat, width=10)
    for k in range(5):
        y = cy - 40 + k * 48
        for side in (-1, 1):
            draw.polygon(oval(cx + side * 36, y, 40, 18, side * -35), fill=wheat)


def draw_noodles(draw, cx, cy, c, rng):
    for i in range(38):
        x = cx - 190 + i * 10
        draw.line(
            [(x - (i - 19) * 3, cy - 300), (x + (i - 19) * 3, cy + 300)],
            fill=dark(c, rng.uniform(0, 0.12)),
            width=8,
        )
    draw.rounded_rectangle((cx - 220, cy - 40, cx + 220, cy + 40), radius=18, fill=(196, 46, 40))
    draw.rectangle((cx - 60, cy - 40, cx + 60, cy + 40), fill=(232, 190, 80))


def _bottle(draw, cx, cy, body, glass, cap, w, h, neck):
    draw.rounded_rectangle(
        (cx - w, cy - h * 0.45, cx + w, cy + h * 0.55), radius=w * 0.5, fill=glass
    )
    draw.rounded_rectangle(
        (cx - w * 0.8, cy - h * 0.2, cx + w * 0.8, cy + h * 0.5), radius=w * 0.4, fill=body
    )
    draw.rectangle((cx - w * 0.3, cy - h * 0.45 - neck, cx + w * 0.3, cy - h * 0.4), fill=glass)
    draw.rounded_rectangle(
        (cx - w * 0.36, cy - h * 0.45 - neck - 60, cx + w * 0.36, cy - h * 0.45 - neck + 10),
        radius=12,
        fill=cap,
    )


def draw_oil(draw, cx, cy, c, rng):
    _bottle(draw, cx + 80, cy + 20, c, (236, 240, 236), (200, 50, 40), 160, 560, 80)
    draw.rounded_rectangle((cx - 10, cy + 10, cx + 170, cy + 170), radius=14, fill=(252, 248, 236))
    draw.ellipse(box(cx + 80, cy + 90, 50, 50), fill=(196, 60, 44))
    for i in range(3):  # sesame seeds / peanuts at the foot
        draw.polygon(
            oval(cx - 230 + i * 70, cy + 250 - (i % 2) * 30, 34, 20, 20 + i * 40),
            fill=light(c, 0.4),
        )


def draw_baijiu(draw, cx, cy, c, rng):
    gold = (222, 178, 84)
    _bottle(draw, cx + 40, cy + 30, c, light(c, 0.15), gold, 170, 520, 90)
    draw.rectangle(
        (cx - 60, cy + 20, cx + 140, cy + 200), fill=(250, 244, 228), outline=gold, width=10
    )
    draw.rectangle((cx + 10, cy + 50, cx + 70, cy + 170), fill=c)
    draw.polygon(
        [(cx - 300, cy + 200), (cx - 160, cy + 200), (cx - 190, cy + 320), (cx - 270, cy + 320)],
        fill=(246, 246, 250),
    )
    draw.rectangle((cx - 290, cy + 205, cx - 170, cy + 230), fill=light(c, 0.5))


def draw_wine(draw, cx, cy, c, rng):
    _bottle(draw, cx - 90, cy, dark(c, 0.1), dark(c, 0.25), (200, 170, 90), 120, 600, 150)
    draw.rectangle((cx - 180, cy + 40, cx, cy + 190), fill=(248, 242, 230))
    gx, gy = cx + 200, cy + 40
    draw.chord(box(gx, gy - 90, 120, 150), 0, 180, fill=c)
    draw.arc(box(gx, gy - 90, 120, 150), 180, 360, fill=(250, 250, 250), width=8)
    draw.line([(gx - 120, gy - 90), (gx + 120, gy - 90)], fill=(250, 250, 250), width=8)
    draw.line([(gx, gy + 60), (gx, gy + 250)], fill=(250, 250, 250), width=14)
    draw.ellipse(box(gx, gy + 260, 90, 20), fill=(250, 250, 250))


def draw_juice(draw, cx, cy, c, rng):
    _bottle(draw, cx - 120, cy + 30, c, (240, 244, 246), (60, 140, 80), 130, 500, 60)
    gx, gy = cx + 180, cy + 120
    draw.polygon(
        [(gx - 120, gy - 170), (gx + 120, gy - 170), (gx + 95, gy + 200), (gx - 95, gy + 200)],
        fill=(240, 244, 246),
    )
    draw.polygon(
        [(gx - 110, gy - 100), (gx + 110, gy - 100), (gx + 95, gy + 190), (gx - 95, gy + 190)],
        fill=c,
    )
    draw.line([(gx + 30, gy + 60), (gx + 110, gy - 280)], fill=(246, 200, 60), width=18)
    _fruit(draw, cx + 20, cy + 290, 70, light(c, 0.1))


def draw_jar(draw, cx, cy, c, rng):
    draw.rounded_rectangle(
        (cx - 230, cy - 170, cx + 230, cy + 320), radius=90, fill=(238, 242, 244)
    )
    draw.rounded_rectangle((cx - 205, cy - 110, cx + 205, cy + 300), radius=80, fill=c)
    draw.rounded_rectangle((cx - 250, cy - 270, cx + 250, cy - 160), radius=24, fill=(196, 52, 44))
    draw.rectangle((cx - 250, cy - 230, cx + 250, cy - 210), fill=(226, 180, 80))
    draw.rounded_rectangle((cx - 170, cy + 20, cx + 170, cy + 180), radius=20, fill=(252, 248, 236))
    draw.ellipse(box(cx, cy + 100, 55, 55), fill=dark(c, 0.1))
    draw.rounded_rectangle((cx - 170, cy - 90, cx - 130, cy + 250), radius=20, fill=light(c, 0.3))


def draw_cup(draw, cx, cy, c, rng):
    blue = (58, 100, 170)
    draw.ellipse(box(cx, cy + 250, 260, 50), fill=(236, 240, 246))
    draw.chord(box(cx, cy - 20, 250, 260), 0, 180, fill=(248, 250, 252))
    draw.ellipse(box(cx, cy - 20, 250, 60), fill=c)
    draw.arc(box(cx, cy - 20, 250, 60), 0, 360, fill=blue, width=10)
    draw.arc(box(cx, cy + 40, 200, 160), 30, 150, fill=blue, width=8)
    for k in (-1, 0, 1):  # steam
        x = cx + k * 90
        draw.arc((x - 40, cy - 330, x + 40, cy - 220), 90, 270, fill=(255, 255, 255), width=12)
        draw.arc((x - 40, cy - 230, x + 40, cy - 130), 270, 90, fill=(255, 255, 255), width=12)
    for _ in range(5):
        leaf(draw, cx + rng.randint(180, 320), cy + rng.randint(180, 300), 90, rng.randint(-180, 0))


def draw_box(draw, cx, cy, c, rng):
    gold = (236, 196, 92)
    draw.rectangle((cx - 300, cy - 120, cx + 300, cy + 320), fill=c)
    draw.rectangle((cx - 320, cy - 200, cx + 320, cy - 90), fill=dark(c, 0.12))
    draw.rectangle((cx - 40, cy - 200, cx + 40, cy + 320), fill=gold)
    draw.rectangle((cx - 300, cy + 60, cx + 300, cy + 120), fill=gold)
    for side in (-1, 1):
        draw.polygon(oval(cx + side * 95, cy - 250, 110, 55, side * 20), fill=gold)
    draw.ellipse(box(cx, cy - 230, 45, 40), fill=dark(gold, 0.15))


def draw_bag(draw, cx, cy, c, rng):
    top, bottom = cy - 290, cy + 310
    teeth = 14
    outline = [(cx - 250 + i * 500 / teeth, top + (i % 2) * 26) for i in range(teeth + 1)]
    outline += [(cx + 260, cy), (cx + 250 - 0, bottom)]
    outline += [(cx + 250 - i * 500 / teeth, bottom - (i % 2) * 26) for i in range(teeth + 1)]
    outline += [(cx - 260, cy)]
    draw.polygon(outline, fill=c)
    draw.rectangle((cx - 250, top + 40, cx + 250, top + 90), fill=dark(c, 0.15))
    draw.ellipse(box(cx, cy + 60, 170, 150), fill=light(c, 0.55))
    for _ in range(7):
        draw.polygon(
            oval(
                cx + rng.uniform(-100, 100),
                cy + 60 + rng.uniform(-80, 80),
                38,
                16,
                rng.uniform(0, 180),
            ),
            fill=dark(c, 0.1),
        )


def draw_can(draw, cx, cy, c, rng):
    metal = (214, 220, 226)
    draw.rectangle((cx - 220, cy - 220, cx + 220, cy + 260), fill=metal)
    draw.ellipse(box(cx, cy + 260, 220, 60), fill=metal)
    draw.rectangle((cx - 220, cy - 130, cx + 220, cy + 200), fill=c)
    draw.ellipse(box(cx, cy - 220, 220, 60), fill=light(metal, 0.3))
    draw.ellipse(box(cx, cy - 220, 180, 42), fill=dark(metal, 0.08))
    draw.pieslice(box(cx, cy + 70, 130, 110), 180, 360, fill=light(c, 0.45))
    leaf(draw, cx + 40, cy - 50, 110, -40)


def draw_flatbread(draw, cx, cy, c, rng):
    for k in range(6):
        y = cy + 220 - k * 34
        draw.ellipse(box(cx, y, 330, 90), fill=dark(c, 0.12))
        draw.ellipse(box(cx, y - 8, 326, 86), fill=c)
    for _ in range(14):
        draw.ellipse(
            box(cx + rng.uniform(-240, 240), cy + 50 + rng.uniform(-50, 50), 16, 8),
            fill=dark(c, 0.3),
        )
    draw.polygon(oval(cx + 120, cy - 160, 190, 60, -25), fill=(232, 170, 70))
    for k in range(5):
        draw.line(
            [(cx - 30 + k * 60, cy - 110 - k * 24), (cx + 40 + k * 60, cy - 190 - k * 24)],
            fill=(206, 136, 44),
            width=6,
        )


SHAPES: dict[str, Callable] = {
    "pomegranate": draw_pomegranate,
    "round": draw_round,
    "pear": draw_pear,
    "strawberry": draw_strawberry,
    "grapes": draw_grapes,
    "eggs": draw_eggs,
    "meat": draw_meat,
    "mushroom": draw_mushroom,
    "root": draw_root,
    "garlic": draw_garlic,
    "leaf": draw_leaf,
    "bowl": draw_bowl,
    "sack": draw_sack,
    "noodles": draw_noodles,
    "oil": draw_oil,
    "baijiu": draw_baijiu,
    "wine": draw_wine,
    "juice": draw_juice,
    "jar": draw_jar,
    "cup": draw_cup,
    "box": draw_box,
    "bag": draw_bag,
    "can": draw_can,
    "flatbread": draw_flatbread,
}
