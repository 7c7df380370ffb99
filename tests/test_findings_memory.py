"""The checker's rules over rows built in memory: no database, each rule silent on clean rows
and finding the fault planted in them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from steerco.rules import findings
from steerco.rules.derived import MemoryFrame


def milestone(code: str, forecast: str, **more: Any) -> dict[str, Any]:
    return {
        "code": code,
        "title": f"Milestone {code}",
        "baseline_date": forecast,
        "forecast_date": forecast,
        "actual_date": None,
        "rag": "green",
        "predecessors": [],
        **more,
    }


def clean() -> MemoryFrame:
    """Two milestones in order, both on working days, forecast after the frame's day."""
    first = milestone("M1", "2023-10-02")
    second = milestone("M2", "2023-10-09", predecessors=[{"predecessor_code": "M1"}])
    return MemoryFrame(now={"milestones": [first, second]}, today=dt.date(2023, 9, 6))


def rules_of(frame: MemoryFrame) -> list[str]:
    return [finding.rule for finding in findings.check(frame)]


def test_clean_rows_raise_no_finding() -> None:
    assert rules_of(clean()) == []


def test_a_code_used_twice_is_an_error() -> None:
    frame = clean()
    frame.now["milestones"].append(milestone("M1", "2023-10-16"))
    found = [f for f in findings.check(frame) if f.rule == "duplicate-ref"]
    assert [(f.severity, f.record, f.found) for f in found] == [
        ("error", "milestone M1", "2 records with code M1")
    ]


def test_a_predecessor_that_does_not_exist_is_a_missing_reference() -> None:
    frame = clean()
    frame.now["milestones"][1]["predecessors"] = [{"predecessor_code": "M9"}]
    found = [f for f in findings.check(frame) if f.rule == "missing-reference"]
    assert [f.found for f in found] == ["M9"]


def test_a_milestone_forecast_before_its_predecessor_breaks_the_schedule() -> None:
    frame = clean()
    frame.now["milestones"][1]["forecast_date"] = "2023-09-25"  # before M1's 2 October
    assert "schedule-relation" in rules_of(frame)


def test_a_forecast_on_a_bank_holiday_is_not_a_working_day() -> None:
    frame = clean()
    frame.now["milestones"][0]["forecast_date"] = "2023-12-25"
    frame.now["milestones"][1]["forecast_date"] = "2023-12-27"
    found = [f for f in findings.check(frame) if f.rule == "non-working-day"]
    assert [f.record for f in found] == ["milestone M1"]
    assert "Christmas" in found[0].found


def test_a_passed_forecast_not_reported_achieved_is_overdue() -> None:
    frame = clean()
    frame.today = dt.date(2023, 10, 4)
    overdue = [f.record for f in findings.check(frame) if f.rule == "milestone-overdue"]
    assert overdue == ["milestone M1"]
    frame.now["milestones"][0]["rag"] = "blue"
    assert "milestone-overdue" not in rules_of(frame)
