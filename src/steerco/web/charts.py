"""Small server-side SVG charts: no JavaScript, readable without colour (every bar is
labelled with its value and category)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = "#1565c0"
    note: str = ""  # shown after the value, e.g. "Red"


def bar_chart(title: str, bars: Sequence[Bar], *, width: int = 560, unit: str = "") -> SafeString:
    """A horizontal bar chart with a label and the value printed on every bar."""
    row, label_w, pad = 26, 200, 8
    height = row * len(bars) + 40
    top = max((bar.value for bar in bars), default=0) or 1
    scale = (width - label_w - 90) / top
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height}" width="100%" style="max-width:{width}px" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for index, bar in enumerate(bars):
        y = 30 + index * row
        length = max(bar.value * scale, 0)
        value = f"{bar.value:g}{unit}" + (f" · {bar.note}" if bar.note else "")
        parts.append(
            f'<text x="{label_w - pad}" y="{y + 15}" text-anchor="end">'
            f"{escape(bar.label[:32])}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{escape(bar.colour)}"></rect>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 15}">{escape(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text escaped above


def paired_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[float | None]]],
    *,
    width: int = 720,
    unit: str = "",
) -> SafeString:
    """Vertical bars, one group per label, one bar per series (name, colour, values);
    a legend names the series and a missing value is drawn as a gap marked "n/a"."""
    height, bottom, left = 240, 200, 40.0
    values = [v for _, _, vs in series for v in vs if v is not None]
    top = max(values, default=0) or 1
    group_w = (width - left) / max(len(labels), 1)
    bar_w = max(group_w / (len(series) + 1), 2)
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} '
        f'{height + 30}" width="100%" style="max-width:{width}px" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="14" class="chart-title">{escape(title)}</text>',
    ]
    for s_index, (name, colour, _) in enumerate(series):
        x = left + s_index * 170
        parts.append(
            f'<rect x="{x}" y="22" width="12" height="12" fill="{escape(colour)}"></rect>'
            f'<text x="{x + 16}" y="33">{escape(name)}</text>'
        )
    for l_index, label in enumerate(labels):
        gx = left + l_index * group_w
        for s_index, (_, colour, vs) in enumerate(series):
            value = vs[l_index] if l_index < len(vs) else None
            x = gx + s_index * bar_w + bar_w / 2
            if value is None:
                parts.append(f'<text x="{x:.1f}" y="{bottom - 2}" class="na">n/a</text>')
                continue
            h = value / top * (bottom - 50)
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - h:.1f}" width="{bar_w - 1:.1f}" '
                f'height="{h:.1f}" fill="{escape(colour)}"><title>{escape(label)} '
                f"{escape(name)}: {value:g}{unit}</title></rect>"
                f'<text x="{x + bar_w / 2:.1f}" y="{bottom - h - 3:.1f}" text-anchor="middle" '
                f'class="value">{value:.2f}</text>'
            )
        parts.append(
            f'<text x="{gx + group_w / 2:.1f}" y="{bottom + 16}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{width}" y2="{bottom}" stroke="#444"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text escaped above
