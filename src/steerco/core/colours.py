"""Colours on screen and in the pack: which ink reads on a background, and the badge.

One rule for every badge and chart label: dark or white text, whichever has the higher
WCAG 2.x contrast ratio against the background.
"""

from __future__ import annotations

import math

from django.utils.html import format_html
from django.utils.safestring import SafeString

DARK_INK = "#212121"  # the charts' and the pack's text colour
LIGHT_INK = "#ffffff"

# What is not a RAG (workflow states, classifications, chart series) is drawn in these, so a
# colour on a page or in the pack means one thing: none of them can be taken for a RAG or a
# risk band colour (each is at least ``DISTINCT`` ΔE*ab from every one of those, checked by
# tests/test_colours.py), and each carries white or dark ink at 4.5:1 or more.
SLATE = "#263238"
TEAL = "#00695c"
MAGENTA = "#ad1457"
BROWN = "#4e342e"
PALE = "#cfd8dc"  # a light state (a draft, something not yet under way), with dark ink
# Chart series in order; charts draw each with its own pattern too (steerco.charts).
SERIES = (SLATE, TEAL, MAGENTA, BROWN)
DISTINCT = 25.0


def _channel(byte: int) -> float:
    """An sRGB channel (0-255) as linear light, as WCAG 2.x defines it."""
    value = byte / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour: 0 for black, 1 for white."""
    digits = colour.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"{colour!r} is not a #rrggbb colour")
    red, green, blue = (_channel(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.x contrast ratio of two #rrggbb colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _lab(colour: str) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of a #rrggbb colour."""
    digits = colour.lstrip("#")
    red, green, blue = (_channel(int(digits[i : i + 2], 16)) for i in (0, 2, 4))
    x = (0.4124 * red + 0.3576 * green + 0.1805 * blue) / 0.95047
    y = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    z = (0.0193 * red + 0.1192 * green + 0.9505 * blue) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def difference(first: str, second: str) -> float:
    """How far apart two colours look: CIE76 ΔE*ab (about 2.3 is just noticeable)."""
    return math.dist(_lab(first), _lab(second))


def ink_for(background: str) -> str:
    """The text colour for ``background``: dark or white, whichever contrasts more."""
    dark, light = contrast_ratio(background, DARK_INK), contrast_ratio(background, LIGHT_INK)
    return DARK_INK if dark >= light else LIGHT_INK


def badge_html(label: str, colour: str, hint: str = "") -> SafeString:
    """A badge: its label on its colour, in the ink that reads there (web and pack alike)."""
    title = format_html(' title="{}"', hint) if hint else ""
    return format_html(
        '<span class="badge" style="background:{};color:{}"{}>{}</span>',
        colour,
        ink_for(colour),
        title,
        label,
    )


def unknown_badge_html(label: str) -> SafeString:
    """A value not known: a word in a dashed outline, never a colour."""
    return format_html('<span class="badge badge-unknown">{}</span>', label)
