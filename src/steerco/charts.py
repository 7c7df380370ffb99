"""SVG charts shared by the steering-group pack and the web dashboards.

Every function returns one self-contained ``<svg>`` element as a ``str``: no JavaScript, no
external files, every piece of text escaped (so a web view may ``mark_safe`` it), and the same
input always gives the same bytes (ids are derived from the content, never random). Charts
stay legible in print and in greyscale: bars carry patterns as well as colours, every bar
is labelled with its value, and a value that is not known is drawn as the word "unknown",
never as an empty or zero bar.

API:

``bar_chart(title, bars, *, width=560, unit="") -> str``
    Horizontal bars, one per ``Bar(label, value, colour, note)``; the value (and note) is
    printed after each bar.
``grouped_bar_chart(title, categories, series, *, width=720, height=260, unit="") -> str``
    Vertical bars, one group per category and one bar per ``Series(name, values, colour)``;
    series are told apart by pattern (``PATTERNS``, so at most six series) as well as
    colour, and a legend names them. Series colours come from ``steerco.core.colours.SERIES``
    (never a RAG colour).
``score_strip(markers, *, bands=(), width=320) -> str``
    A 30-to-1 risk score scale with lettered markers (``("C", 8)``) and optional band zones
    (``ScoreBand("High", 17, 23, colour)``); unknown scores are listed as "unknown".
``date_line_chart(title, days, lines, *, level=None, marker=None, …) -> str``
    Lines over dates, one per ``Line(name, values, colour, dash)``, solid or dashed and
    labelled at their ends; an optional labelled level (a total) and date marker (a
    deadline). The migration plan's cumulative chart.
``milestone_timeline(title, lanes, today, *, width=720) -> str``
    Milestones in lanes (one per tier), a row each: the baseline (hollow diamond) against
    the forecast (filled diamond; a filled circle once achieved), the slip between them as
    a hatched bar (a dotted one where the forecast is earlier), the governing body beside
    the code, the slip in working days at the row's end, and a dashed "today" line (the
    cut-off; at the chart's edge, its label pointing the way, when today is months from
    every milestone date); a legend names each mark.
``slip_chart(title, forecasts, *, baseline=None, …) -> str``
    A milestone's forecast date against the meeting that gave it, with the diagonal where
    the forecast is the meeting's date and an optional baseline: its slip over the meetings.
``text_width(text, size, bold=False) -> float`` and ``wrap(text, width, size)``
    Text metrics of DejaVu Sans (the pack's font), for laying out labels.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from steerco.core.colours import MAGENTA, PALE, SERIES, SLATE, TEAL
from steerco.core.colours import ink_for as core_ink_for

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#212121"
MUTED = "#616161"
GRID = "#bdbdbd"
NEUTRAL = SERIES[0]  # a bar that is not a RAG: never a RAG colour
UNKNOWN = "unknown"

# Labels are laid out with the advance widths of the font the PDF engine sets them in,
# read from the font files themselves (Debian's fonts-dejavu-core, which scripts/test and
# the deployment install). Without them, every character is taken as FALLBACK_WIDTH wide:
# a wider guess than most of DejaVu Sans, so labels wrap early rather than overflow.
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {False: "DejaVuSans.ttf", True: "DejaVuSans-Bold.ttf"}
FALLBACK_WIDTH = 700  # 1/1000 em


@dataclass(frozen=True)
class FontMetrics:
    widths: dict[str, float]  # character → advance width in 1/1000 em
    default: float  # for a character the font does not map
    source: str  # the file read, or why none was


@cache
def metrics(bold: bool = False) -> FontMetrics:
    """Advance widths of DejaVu Sans (``bold``: DejaVu Sans Bold), read once per process."""
    # Imported here: fontTools takes a tenth of a second to import, paid only by a process
    # that lays out text (a pack, a chart), not by every command and page.
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    path = FONT_DIR / FONT_FILES[bold]
    try:
        font = TTFont(path, lazy=True)
    except OSError as error:
        why = f"no font file ({error}): every character {FALLBACK_WIDTH}/1000 em wide"
        logging.getLogger(__name__).warning("chart labels laid out without metrics: %s", why)
        return FontMetrics({}, FALLBACK_WIDTH, why)
    scale = 1000 / font["head"].unitsPerEm
    advances = font["hmtx"].metrics
    widths = {chr(code): advances[name][0] * scale for code, name in font.getBestCmap().items()}
    default = advances[".notdef"][0] * scale if ".notdef" in advances else FALLBACK_WIDTH
    font.close()
    return FontMetrics(widths, default, str(path))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` set in DejaVu Sans at ``size`` (same unit as ``size``)."""
    font = metrics(bold)
    table, default = font.widths, font.default
    return sum(table.get(char, default) for char in text) * size / 1000


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` broken at spaces to fit ``width``; a word longer than a line stands
    on its own line rather than being cut."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, size, bold) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line:
        lines.append(line)
    return lines or [""]


def ink_for(colour: str) -> str:
    """Dark or white text, whichever reads better on ``colour``: the one rule, in core."""
    return core_ink_for(colour)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None
    colour: str = NEUTRAL
    note: str = ""  # printed after the value, e.g. "Red" or "derived"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    colour: str = NEUTRAL


@dataclass(frozen=True)
class ScoreBand:
    label: str
    low: int
    high: int
    colour: str


def _number(value: float, unit: str) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    return f"{unit}{text}" if unit in ("£", "$", "€") else f"{text}{unit}"


def _uid(*parts: object) -> str:
    """A short id derived from the chart's content, unique enough within one page."""
    return "c" + hashlib.sha1(repr(parts).encode()).hexdigest()[:10]


def _title_lines(title: str, width: float) -> list[str]:
    return wrap(title, width - 4, 13, bold=True)


def _open(title: str, width: float, height: float) -> list[str]:
    """The svg element and its title; a title too long for one line wraps, and what
    follows is moved down by the extra lines (``height`` excludes them)."""
    lines = _title_lines(title, width)
    extra = 16 * (len(lines) - 1)
    texts = "".join(
        f'<text x="0" y="{14 + 16 * i}" font-size="13" font-weight="bold">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width:g} {height + extra:g}" width="{width:g}" '
        f'height="{height + extra:g}" font-family="{FONT}" font-size="11" fill="{INK}">',
        f'<title>{escape(title)}</title>{texts}<g transform="translate(0,{extra})">',
    ]


def _close(parts: list[str]) -> str:
    return "".join(parts) + "</g></svg>"


def _text(x: float, y: float, text: str, **attrs: object) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


# One fill per series: solid, diagonal hatch, dots, cross-hatch, vertical and horizontal
# stripes, so that series differ in greyscale too ("" is the solid colour itself).
PATTERNS = (
    "",
    '<path d="M0,6 L6,0" stroke="{c}" stroke-width="2"/>',
    '<circle cx="3" cy="3" r="1.4" fill="{c}"/>',
    '<path d="M0,0 L6,6 M0,6 L6,0" stroke="{c}" stroke-width="1.2"/>',
    '<path d="M3,0 L3,6" stroke="{c}" stroke-width="2"/>',
    '<path d="M0,3 L6,3" stroke="{c}" stroke-width="2"/>',
)


def _patterns(uid: str, colours: Sequence[str]) -> str:
    """The pattern of each series (``PATTERNS``) in its colour."""
    if len(colours) > len(PATTERNS):
        raise ValueError(f"{len(colours)} series: at most {len(PATTERNS)} can be told apart")
    defs = []
    for index, colour in enumerate(colours):
        shape = PATTERNS[index]
        if not shape:
            continue
        defs.append(
            f'<pattern id="{uid}-{index}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="#ffffff"/>{shape.format(c=colour)}</pattern>'
        )
    return f"<defs>{''.join(defs)}</defs>" if defs else ""


def _fill(uid: str, index: int, colour: str) -> str:
    return f"url(#{uid}-{index})" if PATTERNS[index] else colour


def bar_chart(title: str, bars: Sequence[Bar], *, width: int = 560, unit: str = "") -> str:
    """Horizontal bars with the label left and the value (and note) right of each bar."""
    row, size = 24, 11.0
    label_w = min(max((text_width(b.label, size) for b in bars), default=40) + 10, width * 0.45)
    value_w = max((text_width(_bar_text(b, unit), size) for b in bars), default=40) + 8
    plot_w = max(width - label_w - value_w, 40)
    top = max((b.value for b in bars if b.value is not None), default=0) or 1
    height = 28 + row * len(bars) + 6
    parts = _open(title, width, height)
    for index, bar in enumerate(bars):
        y = 26 + index * row
        label = wrap(bar.label, label_w - 10, size)[0]
        parts.append(_text(label_w - 6, y + 15, label, text_anchor="end"))
        if bar.value is None:
            parts.append(
                f'<rect x="{label_w:.1f}" y="{y + 4}" width="44" height="{row - 8}" '
                f'fill="none" stroke="{MUTED}" stroke-dasharray="3 2"/>'
            )
            parts.append(_text(label_w + 50, y + 15, _bar_text(bar, unit), fill=MUTED))
            continue
        length = max(bar.value, 0) * plot_w / top
        parts.append(
            f'<rect x="{label_w:.1f}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{bar.colour}" stroke="{INK}" stroke-width="0.5"/>'
        )
        parts.append(_text(label_w + length + 4, y + 15, _bar_text(bar, unit)))
    return _close(parts)


def _bar_text(bar: Bar, unit: str) -> str:
    value = UNKNOWN if bar.value is None else _number(bar.value, unit)
    return f"{value} · {bar.note}" if bar.note else value


def grouped_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    width: int = 720,
    height: int = 260,
    unit: str = "",
) -> str:
    """Vertical bars grouped by category, one pattern per series, with a legend; values
    that are not known are marked "unknown" where their bar would stand."""
    uid = _uid(title, tuple(categories), tuple((s.name, tuple(s.values)) for s in series))
    left, right, top_margin, bottom = 52.0, 8.0, 44.0, 34.0
    plot_w, plot_h = width - left - right, height - top_margin - bottom
    known = [v for s in series for v in s.values if v is not None]
    step = _step(max(known, default=0))
    ticks = int(-(-max(known, default=0) // step)) or 1
    top = step * ticks
    parts = _open(title, width, height)
    parts.append(_patterns(uid, [s.colour for s in series]))
    parts.extend(_legend(uid, series, left, 22))
    for tick in range(ticks + 1):
        y = top_margin + plot_h - plot_h * tick / ticks
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - right:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        parts.append(_text(left - 4, y + 4, _number(step * tick, unit), text_anchor="end"))
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    base = top_margin + plot_h
    for c_index, category in enumerate(categories):
        x0 = left + c_index * group_w + group_w * 0.1
        parts.append(_text(x0 + group_w * 0.4, base + 14, category, text_anchor="middle"))
        for s_index, one in enumerate(series):
            value = one.values[c_index] if c_index < len(one.values) else None
            x = x0 + s_index * bar_w
            if value is None:
                parts.append(
                    f'<text transform="translate({x + bar_w / 2 + 3:.1f},{base - 2:.1f}) '
                    f'rotate(-90)" font-size="10" fill="{MUTED}">{UNKNOWN}</text>'
                )
                continue
            bar_h = max(value, 0) / top * plot_h
            parts.append(
                f'<rect x="{x:.1f}" y="{base - bar_h:.1f}" width="{bar_w * 0.92:.1f}" '
                f'height="{bar_h:.1f}" fill="{_fill(uid, s_index, one.colour)}" '
                f'stroke="{one.colour}" stroke-width="0.8"/>'
            )
    return _close(parts)


def _step(value: float) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving at most five ticks."""
    if value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value / 5))
    for factor in (1, 2, 5, 10):
        if value / (factor * magnitude) <= 5:
            return factor * magnitude
    return value


def _legend(uid: str, series: Sequence[Series], x: float, y: float) -> list[str]:
    parts = []
    for index, one in enumerate(series):
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="14" height="10" '
            f'fill="{_fill(uid, index, one.colour)}" stroke="{one.colour}"/>'
        )
        parts.append(_text(x + 18, y + 9, one.name))
        x += 30 + text_width(one.name, 11)
    return parts


def score_strip(
    markers: Sequence[tuple[str, int | None]],
    *,
    bands: Sequence[ScoreBand] = (),
    width: int = 240,
) -> str:
    """The 30-to-1 score scale (30 at the left, as the pack's grid runs), band zones when
    known, a lettered marker per known score, and the scores in words underneath, so an
    unknown score reads "unknown" rather than leaving the scale empty."""
    height, left, right = 58.0, 4.0, 4.0
    cell = (width - left - right) / 30

    def x_of(score: int) -> float:
        return left + (30 - score) * cell

    summary = " · ".join(f"{k} {UNKNOWN if v is None else v}" for k, v in markers)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart score-strip" role="img" '
        f'viewBox="0 0 {width} {height:g}" width="{width}" height="{height:g}" '
        f'font-family="{FONT}" font-size="10" fill="{INK}"><title>{escape(summary)}</title>'
    ]
    for band in bands:
        x, w = x_of(band.high), (band.high - band.low + 1) * cell
        parts.append(
            f'<rect x="{x:.1f}" y="1" width="{w:.1f}" height="11" fill="{band.colour}" '
            f'fill-opacity="0.3" stroke="{band.colour}" stroke-width="0.5"/>'
        )
        parts.append(_text(x + w / 2, 10, band.label, text_anchor="middle", font_size="8"))
    parts.append(
        f'<rect x="{left}" y="13" width="{width - left - right:.1f}" height="16" '
        f'fill="#ffffff" stroke="{MUTED}" stroke-width="0.6"/>'
    )
    for tick in (30, 25, 20, 15, 10, 5, 1):
        x = x_of(tick) + cell / 2
        parts.append(
            f'<line x1="{x:.1f}" y1="29" x2="{x:.1f}" y2="32" stroke="{MUTED}"/>'
            + _text(x, 40, str(tick), text_anchor="middle", fill=MUTED, font_size="8")
        )
    for letter, score in markers:
        if score is None:
            continue
        cx = x_of(score) + cell / 2
        parts.append(
            f'<circle cx="{cx:.1f}" cy="21" r="7" fill="#ffffff" stroke="{INK}" '
            f'stroke-width="1.2"/>'
            + _text(cx, 24.5, letter, text_anchor="middle", font_weight="bold")
        )
    parts.append(_text(left, 54, summary))
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Line:
    """One series of a date line chart: a value at the end of each day, drawn solid or
    dashed (``dash`` is an SVG dash pattern such as "7 4") so lines differ in greyscale."""

    name: str
    values: Sequence[float]
    colour: str = NEUTRAL
    dash: str = ""


def date_line_chart(
    title: str,
    days: Sequence[dt.date],
    lines: Sequence[Line],
    *,
    level: tuple[str, float] | None = None,
    marker: tuple[str, dt.date] | None = None,
    y_title: str = "",
    x_title: str = "",
    width: int = 720,
    height: int = 320,
) -> str:
    """Lines over dates, each value read as "by the end of that day" (so every line starts
    from nothing at the end of the day before the first); each line is labelled with its
    name and last value at its end. ``level`` draws a labelled horizontal line (a total to
    reach), ``marker`` a labelled vertical one (a deadline)."""
    if not days:
        raise ValueError(f"chart '{title}': no days to draw")
    first = days[0] - dt.timedelta(days=1)
    last = max(days[-1], marker[1]) if marker else days[-1]
    ends = [_end_label(line) for line in lines]
    tops = [v for line in lines for v in line.values] + ([level[1]] if level else [])
    step = _step(max(tops, default=0))
    ticks = int(-(-max(tops, default=0) // step)) or 1
    top_value = step * ticks
    tick_w = max(text_width(_number(step * t, ""), 11) for t in range(ticks + 1))
    left = tick_w + (26.0 if y_title else 10.0)
    right = max([text_width(t, 11) for t in ends] + ([text_width(level[0], 11)] if level else []))
    right += 10
    top, bottom = 44.0, 24.0 + (16 if x_title else 0)
    plot_w, plot_h = max(width - left - right, 60), height - top - bottom
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return left + plot_w * (day - first).days / span

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / top_value

    parts = _open(title, width, height)
    parts.extend(_line_legend(lines, left, 22))
    for tick in range(ticks + 1):
        y = y_of(step * tick)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
        )
        parts.append(_text(left - 4, y + 4, _number(step * tick, ""), text_anchor="end"))
    base = top + plot_h
    for day, label in _date_ticks(first, last, days, plot_w):
        x = x_of(day)
        parts.append(
            f'<line x1="{x:.1f}" y1="{base:.1f}" x2="{x:.1f}" y2="{base + 4:.1f}" '
            f'stroke="{MUTED}"/>' + _text(x, base + 16, label, text_anchor="middle")
        )
    parts.append(
        f'<line x1="{left:.1f}" y1="{base:.1f}" x2="{left + plot_w:.1f}" y2="{base:.1f}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
    )
    if x_title:
        parts.append(_text(left + plot_w / 2, base + 31, x_title, text_anchor="middle"))
    if y_title:
        parts.append(
            f'<text transform="translate(12,{top + plot_h / 2:.1f}) rotate(-90)" '
            f'text-anchor="middle">{escape(y_title)}</text>'
        )
    labels: list[tuple[float, str]] = []
    if level is not None:
        y = y_of(level[1])
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="1.5 2.5"/>'
        )
        labels.append((y, level[0]))
    if marker is not None:
        x = x_of(marker[1])
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" y2="{base:.1f}" '
            f'stroke="{INK}" stroke-width="1" stroke-dasharray="5 2 1 2"/>'
        )
        anchor = "end" if x - left > plot_w / 2 else "start"
        parts.append(
            _text(x - 3 if anchor == "end" else x + 3, top + 8, marker[0], text_anchor=anchor)
        )
    for line, label in zip(lines, ends, strict=True):
        points = [(x_of(first), y_of(0))] + [
            (x_of(day), y_of(value)) for day, value in zip(days, line.values, strict=False)
        ]
        # Solid lines drawn wider, so a dashed line lying on one still shows both.
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        stroke = 1.8 if line.dash else 3
        parts.append(
            f'<polyline fill="none" stroke-width="{stroke}" stroke-linejoin="round" '
            f'stroke="{line.colour}"{dash} points="'
            + " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            + '"/>'
        )
        labels.append((points[-1][1], label))
    for y, label in _spread(labels, 13, top, base):
        parts.append(_text(left + plot_w + 6, y + 4, label))
    return _close(parts)


def _end_label(line: Line) -> str:
    return f"{line.name} {_number(line.values[-1], '')}" if line.values else line.name


def _line_legend(lines: Sequence[Line], x: float, y: float) -> list[str]:
    parts = []
    for line in lines:
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        parts.append(
            f'<line x1="{x:.1f}" y1="{y + 5:.1f}" x2="{x + 24:.1f}" y2="{y + 5:.1f}" '
            f'stroke="{line.colour}" stroke-width="2"{dash}/>'
        )
        parts.append(_text(x + 28, y + 9, line.name))
        x += 42 + text_width(line.name, 11)
    return parts


def _spread(
    labels: list[tuple[float, str]], gap: float, low: float, high: float
) -> list[tuple[float, str]]:
    """Label positions moved apart (keeping their order) so no two overlap."""
    placed: list[tuple[float, str]] = []
    for y, label in sorted(labels, key=lambda item: item[0]):
        y = max(y, low + 4)
        if placed and y - placed[-1][0] < gap:
            y = placed[-1][0] + gap
        placed.append((y, label))
    overflow = placed[-1][0] - high if placed else 0
    if overflow > 0:  # pushed below the axis: move the whole stack up
        placed = [(y - overflow, label) for y, label in placed]
    return placed


def _date_ticks(
    first: dt.date, last: dt.date, days: Sequence[dt.date], plot_w: float
) -> list[tuple[dt.date, str]]:
    """Dates to mark on the axis: month starts over a long span, working days over a short
    one; as many as fit without their labels touching."""
    room = max(int(plot_w // 90), 2)
    if (last - first).days > 90:
        months = []
        day = dt.date(first.year, first.month, 1)
        while day <= last:
            if day > first:
                months.append(day)
            day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
        every = -(-len(months) // room)
        return [(d, f"{d:%b %Y}") for d in months[::every]]
    every = -(-len(days) // room)
    return [(d, f"{d.day} {d:%b %Y}") for d in days[::every]]


# -- milestone timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    """One milestone on the timeline: its code, governing body, dates and slip."""

    code: str
    body: str  # governing body ("" where not known)
    baseline: dt.date | None
    forecast: dt.date | None
    slip: int | None  # working days past baseline (None: not known)
    achieved: bool


LATE, EARLY = MAGENTA, TEAL  # the slip bar: later than baseline (hatched), earlier (dotted)
TODAY_NEAR_DAYS = 92  # today further than this from every milestone date: at the edge


def _diamond(x: float, y: float, r: float, fill: str) -> str:
    return (
        f'<path d="M{x:.1f},{y - r:.1f} L{x + r:.1f},{y:.1f} L{x:.1f},{y + r:.1f} '
        f'L{x - r:.1f},{y:.1f} Z" fill="{fill}" stroke="{SLATE}" stroke-width="1.2"/>'
    )


def _legend_mark(kind: str, uid: str, x: float, y: float) -> str:
    if kind == "baseline":
        return _diamond(x + 6, y + 5, 5, "#ffffff")
    if kind == "forecast":
        return _diamond(x + 6, y + 5, 4, SLATE)
    if kind == "achieved":
        return f'<circle cx="{x + 6:.1f}" cy="{y + 5:.1f}" r="5" fill="{SLATE}"/>'
    if kind in ("late", "early"):
        stroke = LATE if kind == "late" else EARLY
        return (
            f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="14" height="8" '
            f'fill="url(#{uid}-{kind})" stroke="{stroke}"/>'
        )
    return (
        f'<line x1="{x + 7:.1f}" y1="{y - 2:.1f}" x2="{x + 7:.1f}" y2="{y + 12:.1f}" '
        f'stroke="{INK}" stroke-width="1.2" stroke-dasharray="4 2"/>'
    )


def _timeline_legend(uid: str, today: str, width: float, y: float) -> tuple[list[str], int]:
    """The legend's marks and words, wrapped onto a further line where one is too narrow;
    and the number of lines it takes."""
    marks = (
        ("baseline", "Baseline"),
        ("forecast", "Forecast"),
        ("achieved", "Achieved"),
        ("late", "Slip past baseline"),
        ("early", "Ahead of baseline"),
        ("today", today),
    )
    parts: list[str] = []
    x, lines = 0.0, 1
    for kind, label in marks:
        step = 30 + text_width(label, 11)
        if x and x + step > width:
            x, y, lines = 0.0, y + 16, lines + 1
        parts.append(_legend_mark(kind, uid, x, y) + _text(x + 18, y + 9, label))
        x += step
    return parts, lines


def milestone_timeline(
    title: str,
    lanes: Sequence[tuple[str, Sequence[TimelineItem]]],
    today: tuple[str, dt.date],
    *,
    width: int = 720,
) -> str:
    """Milestones by lane (tier), baseline against forecast with the slip between, the
    governing body named, a dashed line at ``today`` (label, day): see the module's API."""
    items = [item for _, members in lanes for item in members]
    uid = _uid(title, tuple((name, tuple(m)) for name, m in lanes), today)
    row, lane_h, size = 18.0, 18.0, 10.0
    labels = [f"{i.code} · {i.body}" if i.body else i.code for i in items]
    notes = [_slip_note(i) for i in items]
    label_w = max((text_width(t, size) for t in labels), default=60) + 10
    note_w = max((text_width(t, size) for t in notes), default=40) + 10
    dated = [d for i in items for d in (i.baseline, i.forecast) if d]
    days = dated or [today[1]]
    # Today stretches the axis only when it is near the milestones' dates; further off, the
    # line stands at the edge, its label saying which way today lies.
    near = dt.timedelta(days=TODAY_NEAR_DAYS)
    if min(days) - near <= today[1] <= max(days) + near:
        days = [*days, today[1]]
    first = min(days) - dt.timedelta(days=10)
    last = max(days) + dt.timedelta(days=10)
    if today[1] < first:
        today = (f"← {today[0]}", first)
    elif today[1] > last:
        today = (f"{today[0]} →", last)
    legend, legend_rows = _timeline_legend(uid, today[0], width, 22)
    top = 22 + 16 * legend_rows + 22  # legend, then the month labels
    plot_x, plot_w = label_w, max(width - label_w - note_w, 120)
    height = top + sum(lane_h + row * len(m) for _, m in lanes) + 8
    span = max((last - first).days, 1)

    def x_of(day: dt.date) -> float:
        return plot_x + plot_w * (day - first).days / span

    parts = _open(title, width, height)
    parts.append(
        f"<defs>"
        f'<pattern id="{uid}-late" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#ffffff"/>{PATTERNS[1].format(c=LATE)}</pattern>'
        f'<pattern id="{uid}-early" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#ffffff"/>{PATTERNS[2].format(c=EARLY)}</pattern>'
        f"</defs>"
    )
    parts.extend(legend)
    bottom = height - 8
    for day, label in _date_ticks(first, last, sorted(set(days)), plot_w):
        x = x_of(day)
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>' + _text(x, top - 8, label, text_anchor="middle")
        )
    y = float(top)
    index = 0
    for name, members in lanes:
        parts.append(
            f'<rect x="0" y="{y:.1f}" width="{width}" height="{lane_h - 2:.1f}" fill="{PALE}"/>'
        )
        parts.append(_text(4, y + 12, f"{name} ({len(members)})", font_weight="bold"))
        y += lane_h
        for item in members:
            parts.extend(_timeline_row(uid, item, labels[index], y, row, x_of))
            parts.append(_text(width - 4, y + 13, notes[index], text_anchor="end", font_size=10))
            y += row
            index += 1
    x = x_of(today[1])
    parts.append(
        f'<line x1="{x:.1f}" y1="{top - 4:.1f}" x2="{x:.1f}" y2="{bottom:.1f}" '
        f'stroke="{INK}" stroke-width="1.2" stroke-dasharray="4 2"/>'
    )
    return _close(parts)


def _slip_note(item: TimelineItem) -> str:
    if item.slip is None:
        return "slip unknown"
    return f"{item.slip:+d} wd" if item.slip else "0 wd"


def _timeline_row(
    uid: str,
    item: TimelineItem,
    label: str,
    y: float,
    row: float,
    x_of: Callable[[dt.date], float],
) -> list[str]:
    mid = y + row / 2
    parts = [_text(4, mid + 4, label, font_size=10)]
    if item.baseline and item.forecast and item.baseline != item.forecast:
        start, end = sorted((x_of(item.baseline), x_of(item.forecast)))
        late = item.forecast > item.baseline
        fill, stroke = (f"url(#{uid}-late)", LATE) if late else (f"url(#{uid}-early)", EARLY)
        parts.append(
            f'<rect x="{start:.1f}" y="{mid - 4:.1f}" width="{end - start:.1f}" height="8" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="0.8"/>'
        )
    if item.baseline:
        parts.append(_diamond(x_of(item.baseline), mid, 5, "#ffffff"))
    if item.forecast:
        x = x_of(item.forecast)
        if item.achieved:
            # Wider than the baseline's diamond, so that one on the same day is covered.
            parts.append(f'<circle cx="{x:.1f}" cy="{mid:.1f}" r="5.6" fill="{SLATE}"/>')
        else:
            parts.append(_diamond(x, mid, 4, SLATE))
    return parts


def slip_chart(
    title: str,
    forecasts: Sequence[tuple[dt.date, dt.date]],
    *,
    baseline: dt.date | None = None,
    width: int = 560,
    height: int = 380,
) -> str:
    """A milestone's forecast (y) as each meeting (x) gave it: a rising line is a slip; the
    dashed diagonal is where the forecast is the meeting's own date (a forecast on it is
    due, one below it overdue); an optional dotted level is the baseline. Both axes share
    one span of dates, so the diagonal runs corner to corner."""
    if not forecasts:
        raise ValueError(f"chart '{title}': no forecasts to draw")
    days = [d for pair in forecasts for d in pair] + ([baseline] if baseline else [])
    first, last = min(days) - dt.timedelta(days=7), max(days) + dt.timedelta(days=7)
    span = max((last - first).days, 1)
    left, right, top, bottom = 74.0, 16.0, 64.0, 40.0
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(day: dt.date) -> float:
        return left + plot_w * (day - first).days / span

    def y_of(day: dt.date) -> float:
        return top + plot_h - plot_h * (day - first).days / span

    series = [
        Line("Forecast at each meeting", (), INK),
        Line("Forecast = meeting date (due)", (), MUTED, "6 3"),
    ] + ([Line("Baseline", (), MUTED, "1.5 2.5")] if baseline else [])
    parts = _open(title, width, height)
    parts.extend(_line_legend(series, left, 22))
    base = top + plot_h
    ticks = _date_ticks(first, last, [first, last], min(plot_w, plot_h))
    for day, label in ticks:
        x, y = x_of(day), y_of(day)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="0.5"/>'
            + _text(left - 4, y + 4, label, text_anchor="end")
            + f'<line x1="{x:.1f}" y1="{base:.1f}" x2="{x:.1f}" y2="{base + 4:.1f}" '
            f'stroke="{MUTED}"/>' + _text(x, base + 16, label, text_anchor="middle")
        )
    parts.append(
        f'<line x1="{left:.1f}" y1="{base:.1f}" x2="{left + plot_w:.1f}" y2="{base:.1f}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
        f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{base:.1f}" '
        f'stroke="{INK}" stroke-width="0.8"/>'
        + _text(left + plot_w / 2, base + 32, "Meeting date", text_anchor="middle")
        + f'<text transform="translate(12,{top + plot_h / 2:.1f}) rotate(-90)" '
        f'text-anchor="middle">Forecast date</text>'
        f'<line x1="{x_of(first):.1f}" y1="{y_of(first):.1f}" x2="{x_of(last):.1f}" '
        f'y2="{y_of(last):.1f}" stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="6 3"/>'
    )
    if baseline is not None:
        y = y_of(baseline)
        parts.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" '
            f'stroke="{MUTED}" stroke-width="1.2" stroke-dasharray="1.5 2.5"/>'
        )
    points = [(x_of(meeting), y_of(forecast)) for meeting, forecast in forecasts]
    parts.append(
        f'<polyline fill="none" stroke="{INK}" stroke-width="2.2" stroke-linejoin="round" '
        'points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>'
    )
    for (x, y), (meeting, forecast) in zip(points, forecasts, strict=True):
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{INK}">'
            f"<title>{meeting:%d %b %Y}: forecast {forecast:%d %b %Y}</title></circle>"
        )
    return _close(parts)
