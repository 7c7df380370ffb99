"""Colours on screen and in the pack: which ink reads on a background, and the badge.

One rule for every badge and chart label: dark or white text, whichever has the higher
WCAG 2.x contrast ratio against the background.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString

DARK_INK = "#212121"  # the charts' and the pack's text colour
LIGHT_INK = "#ffffff"


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
