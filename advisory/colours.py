"""The firm's accent colour must stay readable: it colours memo headings and the buttons and
links of the web pages, always on white (or with white text on it)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.x level AA for normal text.
MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def rgb(colour: str) -> tuple[int, int, int]:
    """(r, g, b) of a #rrggbb colour."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def relative_luminance(colour: str) -> float:
    r, g, b = (_channel(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_on_white(colour: str) -> float:
    """The WCAG contrast ratio of ``colour`` against white, from 1 to 21."""
    return 1.05 / (relative_luminance(colour) + 0.05)


def darker(colour: str, factor: float = 0.82) -> str:
    """A darker shade of the colour, for hover and pressed states."""
    return "#" + "".join(f"{round(c * factor):02x}" for c in rgb(colour))


def validate_readable_on_white(value: str) -> None:
    if not HEX_COLOUR.match(value or ""):
        return  # the format has a validator (and a message) of its own
    ratio = contrast_on_white(value)
    # Compared after rounding down to two places, as the message shows it: a colour shown as
    # "4.49:1" is never accepted, one shown as "4.50:1" always is.
    if int(ratio * 100) < MIN_CONTRAST * 100:
        raise ValidationError(
            "%(colour)s is too light to read on white: its contrast is %(ratio)s:1, and "
            "memo headings and buttons need at least 4.5:1. Choose a darker shade.",
            code="low_contrast",
            params={"colour": value.lower(), "ratio": f"{int(ratio * 100) / 100:.2f}"},
        )
