"""Derivations are plain functions: each tested without the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steerco.core.calendar import calendar_for
from steerco.rules import derive
from steerco.rules.relations import Relation, RuleError

CAL = calendar_for("GB", "ENG")


@pytest.mark.parametrize(
    ("previous", "current", "existed", "closed", "words"),
    [
        (9, 8, True, False, "-1 (9 to 8)"),
        (16, 13, True, False, "-3 (16 to 13)"),
        (5, 7, True, False, "+2 (5 to 7)"),
        (8, 8, True, False, "No change"),
        (None, 8, False, False, "New item"),
        (8, 8, True, True, "Closed"),
        (None, None, True, False, "Unknown"),
    ],
)
def test_movement_is_said_in_the_packs_own_words(
    previous: int | None, current: int | None, existed: bool, closed: bool, words: str
) -> None:
    assert derive.movement(previous, current, existed_before=existed, closed=closed) == words


def test_bands_follow_the_configured_cutoffs_and_are_unknown_without_them() -> None:
    cutoffs = derive.BandCutoffs(critical=25, high=16, medium=8)
    assert [derive.band(s, cutoffs) for s in (30, 25, 24, 16, 15, 8, 7, 1)] == [
        "critical",
        "critical",
        "high",
        "high",
        "medium",
        "medium",
        "low",
        "low",
    ]
    assert derive.band(12, None) is None
    assert derive.band(None, cutoffs) is None
    with pytest.raises(ValueError, match="outside 1–30"):
        derive.band(31, cutoffs)
    with pytest.raises(ValueError, match="must rise"):
        derive.BandCutoffs(critical=10, high=16, medium=8)


def test_suggested_rag_follows_slip_in_working_days() -> None:
    baseline = dt.date(2023, 9, 14)
    assert derive.slip(baseline, dt.date(2023, 9, 27), CAL) == 9
    assert derive.suggested_rag(0) == "green"
    assert derive.suggested_rag(-3) == "green"
    assert derive.suggested_rag(9) == "yellow"
    assert derive.suggested_rag(11) == "red"
    assert derive.suggested_rag(None) is None
    assert derive.suggested_rag(40, achieved=True) == "blue"
    custom = (derive.Tolerance(5, "green"), derive.Tolerance(None, "amber"))
    assert derive.suggested_rag(9, tolerances=custom) == "amber"


def test_an_achieved_milestone_turns_grey_after_its_meeting() -> None:
    assert derive.next_lifecycle_rag("blue") == "grey"
    assert derive.next_lifecycle_rag("green") is None


def test_agenda_slots_run_back_to_back_from_the_start() -> None:
    slots = derive.agenda_slots(dt.time(10, 0), [5, 10, 5, 10])
    assert [(a.strftime("%H:%M"), b.strftime("%H:%M")) for a, b in slots] == [
        ("10:00", "10:05"),
        ("10:05", "10:15"),
        ("10:15", "10:20"),
        ("10:20", "10:30"),
    ]


def test_a_total_within_its_rounding_holds_and_beyond_it_does_not() -> None:
    parts = [
        Decimal(x) for x in "1.68 1.88 1.94 1.82 1.59 1.73 1.77 1.52 1.40 1.54 1.71 1.25".split()
    ]
    assert derive.check_sum(parts, Decimal("19.85"), 2).holds  # 19.83: within 13 half-cents
    assert not derive.check_sum(parts, Decimal("19.95"), 2).holds
    assert derive.decimals_of("£3.41") == 2 and derive.decimals_of("55") == 0


def test_totals_by_party_month_and_overall_leave_unknown_amounts_out() -> None:
    by_party, by_month, grand = derive.totals_by(
        [("A", 1, Decimal("1.5")), ("A", 2, None), ("B", 1, Decimal("2"))]
    )
    assert by_party == {"A": Decimal("1.5"), "B": Decimal("2")}
    assert by_month == {1: Decimal("3.5")}
    assert grand == Decimal("3.5")


def test_relations_compute_their_target_dates() -> None:
    start = dt.date(2024, 1, 15)
    week_before = Relation.parse({"relation": "equals", "of": "start", "weeks": -1})
    assert week_before.target(start, CAL) == dt.date(2024, 1, 8)
    review = Relation.parse({"relation": "equals", "of": "issued", "working_days": 5})
    assert review.target(dt.date(2023, 12, 18), CAL) == dt.date(2023, 12, 27)
    by = Relation.parse({"relation": "on_or_before", "of": "ready", "weeks": -2})
    assert by.holds(dt.date(2023, 10, 6), by.target(dt.date(2023, 10, 23), CAL))
    assert not by.holds(dt.date(2023, 10, 10), by.target(dt.date(2023, 10, 23), CAL))
    assert by.describe("A", "B") == "A ≤ B -2 weeks"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"relation": "near", "of": "x"}, "relation must be one of"),
        ({"relation": "equals"}, "either another date"),
        ({"relation": "equals", "of": "x", "weeks": "two"}, "whole numbers"),
        ({"relation": "equals", "of": "x", "colour": "red"}, "unknown rule keys: colour"),
        ("x = y", "must be a mapping"),
    ],
)
def test_a_malformed_rule_is_refused_with_its_reason(rule: object, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        Relation.parse(rule)


def test_a_milestone_achieved_last_meeting_is_grey_now_and_forecast_grey() -> None:
    assert derive.lifecycle_rag("blue", "blue") == "grey"
    assert derive.lifecycle_rag("grey", "blue") == "grey"
    assert derive.lifecycle_rag("grey", "grey") == "grey"
    assert derive.lifecycle_rag("green", "blue") == "blue"  # achieved this period
    assert derive.lifecycle_rag("blue", "red") == "red"  # reopened: as recorded
    assert derive.lifecycle_rag(None, "blue") == "blue"
    assert derive.forecast_rag("blue", "green") == "grey"
    assert derive.forecast_rag("amber", "red") == "red"
