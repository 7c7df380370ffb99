"""steerco.charts: self-contained SVG, labelled values, "unknown" for what is not known."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from steerco import charts
from steerco.pack.diagram import choreography

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [el.text or "" for el in ET.fromstring(svg).iter(f"{SVG}text")]


def test_a_bar_chart_labels_every_bar_with_its_value_and_note() -> None:
    svg = charts.bar_chart("Risks", [charts.Bar("High", 4, note="derived"), charts.Bar("Low", 29)])
    assert {"High", "Low", "4 · derived", "29"} <= set(texts(svg))


def test_an_unknown_value_is_drawn_as_the_word_unknown_not_as_a_zero_bar() -> None:
    svg = charts.bar_chart("Risks", [charts.Bar("High", None)])
    assert "unknown" in texts(svg)
    grouped = charts.grouped_bar_chart(
        "Spend", ["Apr", "May"], [charts.Series("Budget", [1.5, None])]
    )
    assert "unknown" in texts(grouped)


def test_series_differ_by_pattern_as_well_as_colour_so_greyscale_reads() -> None:
    series = [
        charts.Series("Budget", [1, 2], "#37474f"),
        charts.Series("Actual", [2, 1], "#1565c0"),
    ]
    svg = charts.grouped_bar_chart("Spend", ["Apr", "May"], series)
    assert "<pattern" in svg and "url(#" in svg
    assert {"Budget", "Actual"} <= set(texts(svg))


def test_the_same_chart_is_the_same_bytes_and_text_is_escaped() -> None:
    series = [charts.Series("A&B <x>", [1, 2])]
    first = charts.grouped_bar_chart("T", ["a", "b"], series)
    assert first == charts.grouped_bar_chart("T", ["a", "b"], series)
    assert "A&amp;B &lt;x&gt;" in first
    ET.fromstring(first)  # well-formed


def test_a_long_title_wraps_instead_of_running_off_the_chart() -> None:
    title = "Total agreed actions from IPA reports, with a title far longer than the chart"
    svg = charts.bar_chart(title, [charts.Bar("Complete", 23)], width=300)
    lines = [t for t in texts(svg) if t and t in title]
    assert len(lines) >= 2
    assert all(charts.text_width(line, 13, bold=True) <= 300 for line in lines)


def test_a_score_strip_marks_known_scores_and_says_which_are_unknown() -> None:
    svg = charts.score_strip([("I", None), ("C", 8), ("T", None)])
    words = texts(svg)
    assert "C" in words
    assert "I unknown · C 8 · T unknown" in words


def test_text_width_uses_dejavu_metrics() -> None:
    assert charts.text_width("MMMM", 10) > charts.text_width("iiii", 10)
    lines = charts.wrap("one two three four", 60, 10)
    assert " ".join(lines) == "one two three four" and len(lines) > 1
    assert all(charts.text_width(line, 10) <= 60 for line in lines)


def test_the_choreography_draws_gates_with_each_criterion_state_in_words() -> None:
    milestones = [
        {"code": "T2-A", "title": "Prepare", "rag": "yellow", "governing_body": "TMAG",
         "forecast_date": "2023-10-23", "predecessors": []},
        {"code": "T1-B", "title": "Start", "rag": "", "governing_body": "PSG",
         "forecast_date": "2023-10-30", "predecessors": [{"predecessor_code": "T2-A"}]},
    ]  # fmt: skip
    gates = [
        {"milestone_code": "T1-B", "governing_body": "PSG", "criteria": [
            {"order": 1, "text": "Report supportive", "state": "met", "target_code": ""},
            {"order": 2, "text": "T2-A approved", "state": "unknown", "target_code": "T2-A"},
        ]},
    ]  # fmt: skip
    words = texts(choreography(milestones, gates))
    assert {"T2-A", "T1-B", "Yellow", "Unknown", "Met", "Not ready"} <= set(words)
    assert choreography([], []) == ""


def _migrations() -> str:
    days = [dt.date(2026, 4, 1), dt.date(2026, 4, 2), dt.date(2026, 4, 7)]
    return charts.date_line_chart(
        "Migrated & <cumulative>",
        days,
        [
            charts.Line("Optimal", [100, 200, 1500]),
            charts.Line("Greedy", [100, 150, 1200], dash="7 4"),
        ],
        level=("All 1,600", 1600),
        marker=("Deadline 8 Apr 2026", dt.date(2026, 4, 8)),
        y_title="Meter points",
    )


def test_a_date_line_chart_tells_its_lines_apart_by_dash_and_label_and_marks_the_deadline() -> None:
    svg = _migrations()
    root = ET.fromstring(svg)  # well-formed: the title is escaped
    lines = list(root.iter(f"{SVG}polyline"))
    assert [line.get("stroke-dasharray") for line in lines] == [None, "7 4"]
    points = [[p.split(",") for p in (line.get("points") or "").split()] for line in lines]
    assert [len(p) for p in points] == [4, 4]  # nothing migrated before the first day, then 3
    assert points[0][0] == points[1][0] and points[0][-1][0] == points[1][-1][0]
    labels = set(texts(svg))
    assert {"Optimal 1,500", "Greedy 1,200", "All 1,600", "Deadline 8 Apr 2026"} <= labels
    assert {"0", "1,000", "2,000", "Meter points", "1 Apr 2026"} <= labels
    assert svg == _migrations()
