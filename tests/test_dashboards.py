"""Dashboard computations over rows built in memory: no database (pytest-django refuses any
query from a test not marked ``django_db``, so these would fail if a computation read one).

Each settled disagreement between the web pages and the pack has a test here that the old
behaviour fails (the old rule is named in each)."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from steerco import charts
from steerco.core.choices import RAG
from steerco.dashboards import BY_SLUG, DASHBOARDS
from steerco.dashboards.activity import code_drafting, industry_change
from steerco.dashboards.basis import UNKNOWN, MemoryFrame, status_word
from steerco.dashboards.delivery import ACTUAL_COLOUR, BUDGET_COLOUR, finances, sit_status
from steerco.dashboards.milestones import milestones
from steerco.dashboards.programme import risk_themes
from steerco.rules import derive


def frame(**registers: list[dict[str, Any]]) -> MemoryFrame:
    """Rows by register (underscores for the dashes in its slug)."""
    return MemoryFrame(now={slug.replace("_", "-"): rows for slug, rows in registers.items()})


def role(required: int | None, confirmed: int | None, *statuses: str) -> dict[str, Any]:
    return {
        "name": "Suppliers",
        "mvc_required": required,
        "mvc_required_text": "",
        "stated_confirmed": confirmed,
        "stated_confirmed_text": "",
        "participants": [
            {"stated_name": f"P{i}", "status": status} for i, status in enumerate(statuses)
        ],
    }


def constituency(*roles: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Suppliers", "stated_participants_confirmed": 3, "market_roles": list(roles)}


def cell(label: str, month: dt.date | None, amount: str | None, stated: str) -> dict[str, Any]:
    party, _, measure = label.partition(" ")
    return {
        "financial_year": "FY 23/24",
        "party": party,
        "measure": "budget" if measure == "Budget" else "actual_forecast",
        "row_label": label,
        "month": month,
        "period": "month",
        "split_monthly": False,
        "amount": None if amount is None else Decimal(amount),
        "stated": stated,
    }


def metric(label: str, value: str | None, group: str = "", total_of: str = "") -> dict[str, Any]:
    return {
        "tracker": "horizon-scanning",
        "group": group,
        "label": label,
        "value": None if value is None else Decimal(value),
        "stated": value or "",
        "approximate": False,
        "total_of": total_of,
    }


APRIL, MAY = dt.date(2023, 4, 1), dt.date(2023, 5, 1)


# -- the list both sides read -----------------------------------------------------------------


def test_every_dashboard_has_one_slug_and_one_computation() -> None:
    assert len(BY_SLUG) == len(DASHBOARDS)
    assert all(callable(d.compute) for d in DASHBOARDS)


def test_every_dashboard_computes_from_empty_rows_without_a_database() -> None:
    for dashboard in DASHBOARDS:
        assert dashboard.compute(MemoryFrame()) is not None


# -- MVC met: the stated confirmed count, never the participants named ------------------------


def test_a_role_with_enough_participants_named_but_too_few_confirmed_is_below_the_mvc() -> None:
    # Old web rule: three named ≥ two required, so "fine"; the pack said "below MVC".
    found = sit_status(
        frame(constituencies=[constituency(role(2, 1, "confirmed", "tbc", "unknown"))])
    )
    (only,) = found.roles
    assert only.shortfall == -1
    assert only.meets_mvc is False
    assert only.verdict == "Below MVC by 1"
    assert only.verdict_rag == "red"
    assert only.named("TBC") == 1


def test_a_role_meets_the_mvc_on_its_stated_count_whoever_is_named() -> None:
    found = sit_status(frame(constituencies=[constituency(role(1, 2))]))
    assert found.roles[0].verdict == "Meets MVC (+1)"


def test_a_role_whose_counts_are_not_known_reads_unknown_or_what_was_printed() -> None:
    printed = role(None, None)
    printed["mvc_required_text"] = "n/a"
    found = sit_status(frame(constituencies=[constituency(role(2, None), printed)]))
    assert [r.verdict for r in found.roles] == [UNKNOWN, "n/a"]
    assert [r.meets_mvc for r in found.roles] == [None, None]


# -- the sum tolerance: the printed precision -------------------------------------------------


def test_a_total_printed_in_whole_pounds_is_not_flagged_for_its_rounding() -> None:
    # Old web rule: |20 - 19.6| > 0.01, a mismatch; printed as "20" it is within rounding.
    found = finances(
        frame(
            finance=[
                cell("MHHS Budget", APRIL, "9.8", "9.8"),
                cell("MHHS Budget", MAY, "9.8", "9.8"),
                cell("MHHS Budget", None, "20", "20"),
            ]
        )
    )
    (row,) = found.rows
    assert row.derived_total == Decimal("19.6")
    assert row.mismatch is False


def test_a_total_printed_in_pence_that_differs_by_more_than_its_rounding_is_flagged() -> None:
    found = finances(
        frame(
            finance=[
                cell("MHHS Budget", APRIL, "1.00", "1.00"),
                cell("MHHS Budget", MAY, "1.00", "1.00"),
                cell("MHHS Budget", None, "2.05", "2.05"),
            ]
        )
    )
    assert found.rows[0].mismatch is True


def test_the_sum_rule_is_the_checkers() -> None:
    parts = [Decimal("9.8"), Decimal("9.8")]
    assert derive.total_holds(parts, Decimal(20), "20")
    assert not derive.total_holds(parts, Decimal(20), "20.0")


def test_a_month_no_party_knows_sums_to_unknown_not_zero() -> None:
    found = finances(
        frame(
            finance=[
                cell("MHHS Budget", APRIL, None, ""),
                cell("MHHS Budget", MAY, "1.5", "1.50"),
            ]
        )
    )
    budget = found.sums[0]
    assert budget.months[0].total is None
    assert budget.months[0].unknown == 1
    assert budget.grand == Decimal("1.5")
    assert found.rows[0].cells[0] is not None and found.rows[0].cells[0].text == UNKNOWN


# -- an unknown metric: "unknown", never a bar of 0 -------------------------------------------


def test_a_breakdown_figure_that_is_not_known_is_drawn_as_unknown_not_as_zero() -> None:
    # Old web rule: float(value or 0), a bar of 0.
    found = industry_change(
        frame(
            metrics=[
                metric("Industry code changes", "3", total_of="codes"),
                metric("REC", "3", group="codes"),
                metric("BSC", None, group="codes"),
            ]
        )
    )
    (group,) = found.breakdowns
    assert [b.value for b in group.bars] == [3.0, None]
    assert group.known_sum == 3.0
    svg = charts.bar_chart(group.title, group.bars)
    assert svg.count(">unknown</text>") == 1
    assert svg.count('fill="none" stroke') == 1  # the dashed frame of an unknown value


# -- code drafting "Complete": coloured on both sides -----------------------------------------


def test_code_drafting_complete_is_coloured_as_achieved() -> None:
    # Old web rule: only RAG words got a badge; "Complete" was plain text.
    row = {
        "name": "Data Services approved at CCAG",
        "target_date": None,
        "target_stated": "Jul-23",
        "forecast_date": None,
        "forecast_stated": "",
        "status": "Complete",
    }
    found = code_drafting(frame(code_drafting=[row]))
    (milestone,) = found.milestones
    assert milestone.status is not None
    assert milestone.status.label == "Complete"
    assert milestone.status.colour == RAG.colour("blue")
    assert milestone.forecast == UNKNOWN
    assert status_word("Green") is not None and status_word("Green").colour == RAG.colour("green")
    assert status_word("") is None


# -- Budget vs Actual: one pair of colours, hatched, never colour alone -----------------------


def test_budget_and_actual_have_one_pair_of_colours_and_differ_by_pattern_too() -> None:
    found = finances(
        frame(
            finance=[
                cell("MHHS Budget", APRIL, "1.39", "1.39"),
                cell("MHHS Actual/Forecast", APRIL, "1.68", "1.68"),
            ]
        )
    )
    colours = [s.colour for s in found.totals]
    assert colours == [BUDGET_COLOUR, ACTUAL_COLOUR]
    assert [s.colour for s in found.by_month[0][1]] == colours
    svg = charts.grouped_bar_chart("t", list(found.parties), found.totals)
    assert "<pattern" in svg  # the second series is hatched
    assert 'fill="url(#' in svg


def test_the_web_chart_module_is_gone() -> None:
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("steerco.web.charts")


# -- achieved, previous meeting -----------------------------------------------------------------


def test_a_milestone_is_achieved_by_an_actual_date_or_blue_or_grey() -> None:
    assert derive.achieved("green", dt.date(2023, 8, 1))
    assert derive.achieved("blue", None)
    assert derive.achieved("grey", None)
    assert not derive.achieved("green", None)
    assert not derive.achieved("", None)


class Meeting:
    def __init__(self, code: str, day: int, kind: str = "regular") -> None:
        self.code, self.kind = code, kind
        self.cutoff = dt.datetime(2023, 9, day, tzinfo=dt.UTC)


def test_the_previous_meeting_is_the_latest_regular_one_before_the_cutoff() -> None:
    meetings = [Meeting("PSG-23", 1), Meeting("X-1", 3, "extraordinary"), Meeting("PSG-24", 5)]
    assert derive.previous_meeting(meetings, meetings[2].cutoff).code == "PSG-23"
    assert derive.previous_meeting(meetings, meetings[0].cutoff) is None


def test_milestones_suggest_blue_when_achieved_and_keep_an_unknown_slip_unknown() -> None:
    base = {
        "tier": "T2",
        "title": "t",
        "governing_body": "TMAG",
        "reporting_table": "",
        "forecast_rag": "",
        "commentary": "",
    }
    rows = [
        {
            **base,
            "code": "A",
            "baseline_date": dt.date(2023, 8, 1),
            "forecast_date": dt.date(2023, 8, 1),
            "actual_date": dt.date(2023, 8, 1),
            "rag": "green",
        },
        {
            **base,
            "code": "B",
            "baseline_date": None,
            "forecast_date": dt.date(2023, 8, 1),
            "actual_date": None,
            "rag": "amber",
        },
    ]
    source = frame(milestones=rows)
    source.before["milestones"] = [{"code": "A", "rag": "amber"}]
    found = milestones(source)
    assert [m.suggested_rag for m in found.milestones] == ["blue", None]
    assert [m.slip for m in found.milestones] == [0, None]
    assert [m.previous_rag for m in found.milestones] == ["amber", None]


def test_risk_movement_is_derived_from_the_previous_meetings_score() -> None:
    theme = {
        "number": 1,
        "title": "SIT",
        "summary": "",
        "mitigation_overview": "",
        "rag": "amber",
        "stated_item_count": 2,
        "stated_item_noun": "risks",
        "updated_to": None,
    }
    item = {
        "ref": "R1",
        "theme": 1,
        "log": "key-risks",
        "description": "d",
        "initial_score": 20,
        "current_score": 8,
        "target_score": 4,
        "stated_band": "",
        "stated_movement": "",
        "status": "open",
        "mitigations": [{"text": "step"}],
    }
    source = frame(raid_themes=[theme], raid=[item, {**item, "ref": "R2", "theme": 2}])
    source.before["raid"] = [{"ref": "R1", "current_score": 9}]
    source.before["raid-themes"] = [{"number": 1, "rag": "red", "stated_item_count": 3}]
    (found,) = risk_themes(source).themes
    assert found.previous_rag == "red"
    assert found.key_risks == 1
    assert [r.movement for r in found.risks] == ["-1 (9 to 8)"]
    assert found.risks[0].mitigations == ("step",)


# -- font metrics: read from the font file ----------------------------------------------------


def test_label_widths_are_read_from_the_dejavu_font_file() -> None:
    regular = charts.metrics(False)
    if not Path(regular.source).is_file():
        pytest.skip("fonts-dejavu-core is not installed")
    from fontTools.ttLib import TTFont

    font = TTFont(regular.source)
    per_em = font["head"].unitsPerEm
    advance = font["hmtx"].metrics[font.getBestCmap()[ord("W")]][0]
    assert charts.text_width("W", 1000) == pytest.approx(advance * 1000 / per_em)
    assert charts.text_width("W", 10, bold=True) > charts.text_width("W", 10)
    assert charts.metrics(False) is regular  # read once per process


def test_without_the_font_file_every_character_takes_the_fallback_width(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(charts, "FONT_DIR", tmp_path)
    charts.metrics.cache_clear()
    try:
        assert charts.text_width("iW", 10) == 2 * charts.FALLBACK_WIDTH * 10 / 1000
        assert "no font file" in charts.metrics(False).source
    finally:
        charts.metrics.cache_clear()
