"""The portal's rules as plain functions: no database."""

from __future__ import annotations

import datetime as dt

import pytest

from steerco.portal import rules


def test_a_report_moves_draft_submitted_returned_submitted_published() -> None:
    status = rules.DRAFT
    for action, expected in (
        ("submit", "submitted"),
        ("return", "returned"),
        ("submit", "submitted"),
        ("publish", "published"),
    ):
        status = rules.transition(status, action)
        assert status == expected


@pytest.mark.parametrize(
    ("status", "action"),
    [("draft", "publish"), ("draft", "return"), ("returned", "publish"), ("submitted", "submit")],
)
def test_a_move_out_of_turn_is_refused(status: str, action: str) -> None:
    with pytest.raises(rules.TransitionError):
        rules.transition(status, action)


def test_nothing_moves_a_published_report() -> None:
    for action in ("submit", "return", "publish"):
        with pytest.raises(rules.TransitionError, match="published"):
            rules.transition("published", action)
    assert not rules.editable("published") and not rules.editable("submitted")
    assert rules.editable("draft") and rules.editable("returned")


def test_a_report_without_its_rags_and_progress_cannot_be_submitted() -> None:
    problems = rules.submission_problems({"overall_rag": "red", "plan_rag": "green"})
    assert problems["approach_rag"] == "Give the approach RAG before submitting."
    assert "overall_rag" not in problems and "plan_rag" not in problems
    assert problems["progress_next_month"] == "Say what is expected next month before submitting."
    full = {f"{d}_rag": "green" for d in ("overall", *rules.DIMENSIONS)}
    full |= {"progress_last_month": "x", "progress_next_month": "y"}
    assert rules.submission_problems(full) == {}


def test_typed_dates_parse_in_the_usual_ways_or_are_refused() -> None:
    assert rules.parse_date("2023-10-31") == dt.date(2023, 10, 31)
    assert rules.parse_date("31/10/2023") == dt.date(2023, 10, 31)
    assert rules.parse_date("31 Oct 2023") == dt.date(2023, 10, 31)
    assert rules.parse_date("  ") is None
    with pytest.raises(ValueError, match="not a date"):
        rules.parse_date("End Sept'23")


def test_a_decision_needed_before_the_report_date_is_out_of_order() -> None:
    report = dt.date(2023, 10, 1)
    assert rules.date_order_problem(dt.date(2023, 9, 30), report)
    assert rules.date_order_problem(dt.date(2023, 10, 1), report) is None
    assert rules.date_order_problem(None, report) is None
    assert rules.report_date_problem(dt.date(2023, 10, 5), dt.date(2023, 10, 4))


def test_the_reporting_meeting_is_the_first_open_regular_one_from_the_current() -> None:
    def on(day: int) -> dt.date:
        return dt.date(2023, 9, day)

    meetings = [
        rules.MeetingInfo("PSG-24", "regular", on(6), "published"),
        rules.MeetingInfo("EX", "extraordinary", on(10), "open"),
        rules.MeetingInfo("PSG-25", "regular", on(20), "open"),
    ]
    assert rules.reporting_meeting(meetings, "PSG-24") == "PSG-25"
    # The current meeting still open is the one reported for (the one before it closed).
    assert rules.reporting_meeting(meetings, "PSG-25") == "PSG-25"
    frozen = [*meetings[:2], rules.MeetingInfo("PSG-25", "regular", on(20), "frozen")]
    assert rules.reporting_meeting(frozen, "PSG-24") is None
    assert rules.reporting_meeting(meetings, "nope") is None


def test_late_returns_are_those_not_submitted_or_published() -> None:
    rows = rules.late_returns(
        {1: "DCC", 2: "RECCo", 3: "Elexon", 4: "IDNOs"},
        {1: "submitted", 2: "returned", 3: "published"},
    )
    assert [(r.name, r.late) for r in rows] == [
        ("IDNOs", True),
        ("RECCo", True),
        ("DCC", False),
        ("Elexon", False),
    ]


def test_the_next_ref_is_one_past_the_highest_of_its_prefix() -> None:
    assert rules.next_ref(["R040", "R272", "I003", "x"], "risk") == "R273"
    assert rules.next_ref(["R040", "I003"], "issue") == "I004"
    assert rules.next_ref([], "dependency") == "D001"
