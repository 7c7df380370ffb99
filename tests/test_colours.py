"""A colour means one thing: RAG colours (and the risk bands' scale) only for RAGs and bands;
workflow states, classifications and chart series in a palette that cannot be taken for
them; every chart series told apart by pattern or dash as well as colour, and named in a
legend, so a chart reads in greyscale."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from steerco import charts
from steerco.core import colours
from steerco.core.choices import RAG, Band, ColouredChoices, CriterionState
from steerco.dashboards import basis, delivery
from steerco.planning import summary

# The sets whose colours say good or bad on a red-to-green scale: RAG, the risk bands, and a
# readiness criterion met (Green) or not (Red). Every other coloured set is not a RAG.
RAG_LIKE: tuple[type[ColouredChoices], ...] = (RAG, Band, CriterionState)
RAG_COLOURS = {m._colour_ for enum in (RAG, Band) for m in enum}


def coloured_sets() -> list[type[ColouredChoices]]:
    from steerco.core import choices

    return [
        value
        for value in vars(choices).values()
        if isinstance(value, type) and issubclass(value, ColouredChoices) and len(value)
    ]


def nearest_rag(colour: str) -> tuple[float, str]:
    return min((colours.difference(colour, rag), rag) for rag in RAG_COLOURS)


@pytest.mark.parametrize("colour", [*colours.SERIES, colours.PALE])
def test_each_colour_of_the_non_rag_palette_is_far_from_every_rag_colour(colour: str) -> None:
    distance, rag = nearest_rag(colour)
    assert distance >= colours.DISTINCT, f"{colour} is only ΔE {distance:.0f} from {rag}"
    ink = colours.ink_for(colour)
    assert colours.contrast_ratio(colour, ink) >= 4.5, f"{ink} on {colour}"


def test_the_difference_of_two_colours_grows_with_how_far_apart_they_look() -> None:
    assert colours.difference("#c62828", "#c62828") == 0
    assert colours.difference("#000000", "#ffffff") == pytest.approx(100, abs=0.1)
    assert colours.difference("#1565c0", "#1565c1") < colours.difference("#1565c0", "#00695c")


def test_every_coloured_set_that_is_not_a_rag_takes_its_colours_from_the_non_rag_palette() -> None:
    others = [enum for enum in coloured_sets() if enum not in RAG_LIKE]
    assert {"ActionStatus", "ReportStatus", "Classification", "MeetingState"} <= {
        enum.__name__ for enum in others
    }
    palette = {*colours.SERIES, colours.PALE}
    wrong = [
        f"{enum.__name__}.{member.name} {member._colour_}"
        for enum in others
        for member in enum
        if member._colour_ not in palette
    ]
    assert not wrong, wrong


def test_the_series_of_every_chart_the_web_and_the_pack_draw_are_not_rag_colours() -> None:
    series = {
        "finance measures": [colour for _, _, colour in delivery.MEASURES],
        "migration plan lines": [summary.LP_COLOUR, summary.GREEDY_COLOUR],
        "a bar that is not a RAG": [charts.NEUTRAL],
        "a status word that is not a RAG": [basis.NEUTRAL],
    }
    for what, used in series.items():
        for colour in used:
            distance, rag = nearest_rag(colour)
            assert distance >= colours.DISTINCT, f"{what}: {colour} is near {rag}"


def fills(svg: str) -> list[str]:
    return re.findall(
        r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="([^"]+)"', svg
    )


def test_each_series_of_a_grouped_chart_has_its_own_pattern_and_a_legend_entry() -> None:
    names = ["Budget", "Actual/forecast", "Third", "Fourth", "Fifth", "Sixth"]
    series = [
        charts.Series(name, [1.0, 2.0], colours.SERIES[i % len(colours.SERIES)])
        for i, name in enumerate(names)
    ]
    svg = charts.grouped_bar_chart("Six series", ["A", "B"], series)
    legend = fills(svg)[: len(names)]  # the legend's swatches come first
    assert len(set(legend)) == len(names), legend  # six fills: solid and five patterns
    assert legend[0] == colours.SERIES[0] and all(f.startswith("url(#") for f in legend[1:])
    for index, name in enumerate(names):
        assert f">{name}</text>" in svg
        if index:  # a pattern is drawn: the series reads in greyscale
            assert f'<pattern id="{legend[index][5:-1]}"' in svg
    # Each bar wears its series' fill: category A's six bars, then B's.
    assert fills(svg)[len(names) :] == legend * 2


def test_a_grouped_chart_of_more_series_than_patterns_is_refused() -> None:
    series = [charts.Series(str(i), [1.0]) for i in range(len(charts.PATTERNS) + 1)]
    with pytest.raises(ValueError, match="can be told apart"):
        charts.grouped_bar_chart("Too many", ["A"], series)


def test_the_finance_chart_tells_budget_from_actual_by_pattern_as_well_as_colour() -> None:
    series = [charts.Series(label, [3.0, None], colour) for _, label, colour in delivery.MEASURES]
    svg = charts.grouped_bar_chart("Finances", ["MHHS", "DCC"], series)
    budget, actual = fills(svg)[:2]
    assert budget == delivery.BUDGET_COLOUR
    assert actual.startswith("url(#")  # hatched
    assert ">Budget</text>" in svg and ">Actual/forecast</text>" in svg
    assert 'font-size="10" fill="#616161">unknown</text>' in svg  # legible where not known


def test_the_lines_of_a_date_chart_differ_in_dash_and_are_named_in_its_legend() -> None:
    days = [dt.date(2024, 1, d) for d in (1, 2, 3)]
    lines = [
        charts.Line("Optimal (LP)", [1, 2, 3], summary.LP_COLOUR),
        charts.Line("Greedy", [1, 1, 3], summary.GREEDY_COLOUR, dash="7 4"),
    ]
    svg = charts.date_line_chart("Plan", days, lines)
    legend = re.findall(
        r'<line [^>]*stroke="([^"]+)" stroke-width="2"( stroke-dasharray="[^"]+")?/>', svg
    )
    assert legend == [(summary.LP_COLOUR, ""), (summary.GREEDY_COLOUR, ' stroke-dasharray="7 4"')]
    assert ">Optimal (LP)</text>" in svg and ">Greedy</text>" in svg


def test_rag_bars_are_the_only_bars_in_rag_colours_and_each_is_named_by_its_word() -> None:
    bars = basis.rag_bars(["red", "grey", "blue", None])
    assert [(b.label, b.colour) for b in bars] == [
        ("Blue", RAG.colour("blue")),
        ("Red", RAG.colour("red")),
        ("Grey", RAG.colour("grey")),
        ("Unknown", RAG.colour("")),
    ]
    svg = charts.bar_chart("RAGs", bars)
    assert all(f">{b.label}</text>" in svg for b in bars)


@pytest.mark.parametrize("member", [m for enum in coloured_sets() for m in enum], ids=str)
def test_every_badge_colour_carries_its_label_at_wcag_aa_contrast(member: ColouredChoices) -> None:
    """Amber (#ef6c00) with white ink is about 3:1; the badge's one ink rule gives it dark
    ink, about 5.2:1. Every coloured set's badge, web and pack alike, meets 4.5:1."""
    colour = member._colour_
    ink = colours.ink_for(colour)
    assert colours.contrast_ratio(colour, ink) >= 4.5, f"{member}: {ink} on {colour}"
    assert f"color:{ink}" in colours.badge_html(member.label, colour)


def test_an_amber_badge_is_dark_on_amber_not_white() -> None:
    assert colours.ink_for(RAG.colour("amber")) == colours.DARK_INK
    assert colours.contrast_ratio(RAG.colour("amber"), colours.LIGHT_INK) < 4.5
