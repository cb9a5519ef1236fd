"""The seven-dimension chart, drawn on the server as SVG.

One row per dimension on the 1–5 scale between the two mandates: a hollow marker where the
organisation is today, a filled marker where it needs to be, and an arrow between them. The
results page inlines it and the memo embeds it, so both show the same picture. The SVG uses
presentation attributes only (no ``<style>``, no ``style=``), so the page's Content Security
Policy allows it, and it names itself for screen readers with ``<title>`` and ``<desc>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from assessments.methodology.result import DimensionScore
from assessments.questionnaire import DIMENSIONS_BY_KEY, SCALE_MAX, SCALE_MIN

DEFAULT_ACCENT = "#1f4e79"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# Geometry, in SVG user units (the viewBox scales it to any width).
_WIDTH = 640
_LABEL_WIDTH = 190
_LEFT = _LABEL_WIDTH + 20
_RIGHT = _WIDTH - 24
_TOP = 58
_ROW = 34


@dataclass(frozen=True)
class _Geometry:
    width: int
    left: int
    right: int
    top: int
    row: int
    # How far below a row's top its track runs.
    track_offset: int


# Names left of the tracks, for a page or a memo; names above them, for a phone.
_WIDE = _Geometry(width=_WIDTH, left=_LEFT, right=_RIGHT, top=_TOP, row=_ROW, track_offset=6)
_NARROW = _Geometry(width=360, left=20, right=340, top=58, row=46, track_offset=18)
_FONT = "'Source Sans 3', 'DejaVu Sans', sans-serif"
_MUTED = "#5b6470"
_TRACK = "#d5dae1"


def _text(x: float, y: float, body: str, **attrs: object) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{escape(str(v))}"' for name, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(body)}</text>'


def _describe(dimensions: list[DimensionScore]) -> str:
    parts = []
    for d in dimensions:
        name = DIMENSIONS_BY_KEY[d.key].name if d.key in DIMENSIONS_BY_KEY else d.key
        if d.gap == 0:
            move = "no change needed"
        else:
            points = abs(d.gap)
            unit = "point" if points == 1 else "points"
            way = "towards AI leadership" if d.gap > 0 else "towards technology leadership"
            move = f"{points} {unit} {way}"
        parts.append(f"{name}: today {d.today}, needed {d.needed} ({move})")
    scale = (
        f"Scale {SCALE_MIN} to {SCALE_MAX}: {SCALE_MIN} is fully the CTO mandate, "
        f"{SCALE_MAX} fully the CAIO mandate."
    )
    return scale + " " + "; ".join(parts) + "."


def dimension_chart_svg(
    dimensions: list[DimensionScore],
    *,
    accent: str = DEFAULT_ACCENT,
    id_prefix: str = "dimension-chart",
    narrow: bool = False,
) -> str:
    """An accessible SVG of today against needed for each dimension, as a string of markup.

    Every piece of text is escaped here, so the result is safe to mark safe in a template.
    An accent that is not ``#rrggbb`` falls back to the default rather than reaching the markup.
    ``narrow`` draws it for a phone: each dimension's name above its track, in a picture 360
    units wide, so that at a phone's width its words stay at their 13 px.
    """
    if not _COLOUR.match(accent or ""):
        accent = DEFAULT_ACCENT
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", id_prefix) or "dimension-chart"
    geometry = _NARROW if narrow else _WIDE
    width, left, right, top, row = (
        geometry.width,
        geometry.left,
        geometry.right,
        geometry.top,
        geometry.row,
    )
    height = top + row * len(dimensions) + 34
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" class="dimension-chart" '
        f'font-family="{escape(_FONT)}" font-size="13">',
        f'<title id="{title_id}">Where the organisation is today and where it needs to be, '
        "on the seven dimensions</title>",
        f'<desc id="{desc_id}">{escape(_describe(dimensions))}</desc>',
    ]

    def x_of(value: int) -> float:
        return left + (value - SCALE_MIN) * (right - left) / (SCALE_MAX - SCALE_MIN)

    # Pole headings and scale ticks.
    out.append(_text(left, 16, "CTO mandate", fill=_MUTED, font_weight="600"))
    out.append(_text(right, 16, "CAIO mandate", fill=_MUTED, font_weight="600", text_anchor="end"))
    for value in range(SCALE_MIN, SCALE_MAX + 1):
        x = x_of(value)
        if not narrow:
            out.append(
                f'<line x1="{x:.1f}" y1="{top - 18}" x2="{x:.1f}" '
                f'y2="{top + row * len(dimensions) - 10}" stroke="{_TRACK}" '
                'stroke-width="1" stroke-dasharray="2 3"/>'
            )
        out.append(_text(x, top - 24, str(value), fill=_MUTED, text_anchor="middle"))

    for index, d in enumerate(dimensions):
        y = top + index * row + geometry.track_offset
        name = DIMENSIONS_BY_KEY[d.key].name if d.key in DIMENSIONS_BY_KEY else d.key
        if narrow:
            out.append(_text(left - 8, y - 14, name, fill="#1d232b", font_weight="600"))
            # Short ticks at each point, so the names above the tracks stay clear.
            for value in range(SCALE_MIN, SCALE_MAX + 1):
                x = x_of(value)
                out.append(
                    f'<line x1="{x:.1f}" y1="{y - 9}" x2="{x:.1f}" y2="{y + 9}" '
                    f'stroke="{_TRACK}" stroke-width="1"/>'
                )
        else:
            out.append(_text(_LABEL_WIDTH, y + 4.5, name, fill="#1d232b", text_anchor="end"))
        out.append(
            f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{_TRACK}" '
            'stroke-width="6" stroke-linecap="round"/>'
        )
        x_today, x_needed = x_of(d.today), x_of(d.needed)
        if d.gap != 0:
            out.append(
                f'<line x1="{x_today:.1f}" y1="{y}" x2="{x_needed:.1f}" y2="{y}" '
                f'stroke="{accent}" stroke-width="6" stroke-opacity="0.35"/>'
            )
        out.append(
            f'<circle cx="{x_needed:.1f}" cy="{y}" r="8" fill="{accent}" '
            f'stroke="{accent}" stroke-width="2"/>'
        )
        # Today is drawn last so it stays visible when it equals needed.
        radius = 5 if d.gap == 0 else 8
        out.append(
            f'<circle cx="{x_today:.1f}" cy="{y}" r="{radius}" fill="#ffffff" '
            f'stroke="#1d232b" stroke-width="2"/>'
        )

    # Legend.
    y = height - 12
    legend = left - 8 if narrow else left
    out.append(
        f'<circle cx="{legend + 6}" cy="{y - 4}" r="6" fill="#ffffff" stroke="#1d232b" '
        'stroke-width="2"/>'
    )
    out.append(_text(legend + 18, y, "Today", fill="#1d232b"))
    out.append(f'<circle cx="{legend + 86}" cy="{y - 4}" r="6" fill="{accent}"/>')
    out.append(_text(legend + 98, y, "Needed in 24 months", fill="#1d232b"))
    out.append("</svg>")
    return "\n".join(out)
