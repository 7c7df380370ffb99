"""What-if over rows built in memory: each expected date counted by hand on the England and
Wales calendar (Summer bank holiday Mon 28 Aug 2023; Christmas Day Mon 25 and Boxing Day
Tue 26 Dec 2023; New Year's Day Mon 1 Jan 2024)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steerco.core.calendar import WorkingCalendar
from steerco.rules.derived import MemoryFrame
from steerco.rules.whatif import CycleError, Proposal, WhatIfError, propose

D = dt.date


def milestone(code: str, forecast: str, *after: str, rag: str = "green") -> dict[str, Any]:
    return {
        "code": code,
        "title": f"Milestone {code}",
        "baseline_date": forecast,
        "forecast_date": forecast,
        "actual_date": None,
        "rag": rag,
        "predecessors": [{"predecessor_code": p} for p in after],
    }


def activity(key: str, day: str, *rules: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "name": key.capitalize(),
        "rule_text": "",
        "rules": list(rules),
        "cells": [{"interval": 1, "date": day, "stated": day}],
    }


def timetable(*activities: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": "grid",
        "title": "Grid",
        "intervals": [{"order": 1, "name": "Interval 1"}],
        "activities": list(activities),
    }


def frame(milestones: list[Any], *activities: Any, **more: Any) -> MemoryFrame:
    now: dict[str, list[Any]] = {"milestones": milestones}
    if activities:
        now["timetables"] = [timetable(*activities)]
    if "gates" in more:
        now["gates"] = more.pop("gates")
    return MemoryFrame(now=now, today=D(2023, 1, 2), **more)


def moved(proposal: Proposal) -> dict[str, tuple[dt.date, dt.date]]:
    return {m.record: (m.old, m.new) for m in proposal.moves}


def review(issue_day: str, reviewed_day: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """'issue' is milestone M1's date; 'reviewed' is 5 working days after it."""
    issue = activity("issue", issue_day, {"relation": "equals", "milestone": {"1": "M1"}})
    reviewed = activity(
        "reviewed", reviewed_day, {"relation": "equals", "of": "issue", "working_days": 5}
    )
    return issue, reviewed


def test_the_five_working_day_review_follows_its_report() -> None:
    # Mon 4 Dec 2023 + 5 working days: Tue 5, Wed 6, Thu 7, Fri 8, Mon 11 Dec.
    proposal = propose(
        frame([milestone("M1", "2023-11-27")], *review("2023-11-27", "2023-12-04")),
        "M1",
        D(2023, 12, 4),
    )
    assert moved(proposal) == {
        "M1": (D(2023, 11, 27), D(2023, 12, 4)),
        "Grid: Issue / Interval 1": (D(2023, 11, 27), D(2023, 12, 4)),
        "Grid: Reviewed / Interval 1": (D(2023, 12, 4), D(2023, 12, 11)),
    }
    last = proposal.moves[-1]
    assert last.working_days == 5
    assert last.rule == "'Reviewed' = 'Issue' +5 working days"
    assert last.chain == ("M1", "Grid: Issue / Interval 1", "Grid: Reviewed / Interval 1")
    assert proposal.raised == proposal.cleared == ()


def test_working_days_skip_a_bank_holiday() -> None:
    # Thu 24 Aug 2023 + 5: Fri 25, (Mon 28 bank holiday), Tue 29, Wed 30, Thu 31, Fri 1 Sep.
    proposal = propose(
        frame([milestone("M1", "2023-08-17")], *review("2023-08-17", "2023-08-24")),
        "M1",
        D(2023, 8, 24),
    )
    assert moved(proposal)["Grid: Reviewed / Interval 1"] == (D(2023, 8, 24), D(2023, 9, 1))


def test_a_date_a_rule_puts_on_a_bank_holiday_rolls_to_the_working_day_before() -> None:
    # 'ready' is one week before 'start' (= M1): Mon 4 Sep − 1 week is the Summer bank
    # holiday, Mon 28 Aug, so ready rolls back to Fri 25 Aug.
    start = activity("start", "2023-08-21", {"relation": "equals", "milestone": {"1": "M1"}})
    ready = activity("ready", "2023-08-14", {"relation": "equals", "of": "start", "weeks": -1})
    proposal = propose(frame([milestone("M1", "2023-08-21")], start, ready), "M1", D(2023, 9, 4))
    assert moved(proposal)["Grid: Ready / Interval 1"] == (D(2023, 8, 14), D(2023, 8, 25))


def test_working_days_skip_the_christmas_gap() -> None:
    # Fri 22 Dec 2023 + 5: (25, 26 Dec bank holidays) Wed 27, Thu 28, Fri 29, (1 Jan) Tue 2,
    # Wed 3 Jan 2024.
    rows = [milestone("M1", "2023-12-15")], *review("2023-12-15", "2023-12-22")
    proposal = propose(frame(*rows), "M1", D(2023, 12, 22))
    assert moved(proposal)["Grid: Reviewed / Interval 1"] == (D(2023, 12, 22), D(2024, 1, 3))


def test_a_programme_closed_between_christmas_and_new_year_counts_none_of_it() -> None:
    # Closed 27–29 Dec as well: Tue 2, Wed 3, Thu 4, Fri 5, Mon 8 Jan 2024.
    closed = WorkingCalendar(extra_closures=[D(2023, 12, 27), D(2023, 12, 28), D(2023, 12, 29)])
    rows = [milestone("M1", "2023-12-15")], *review("2023-12-15", "2023-12-22")
    proposal = propose(frame(*rows, calendar=closed), "M1", D(2023, 12, 22))
    assert moved(proposal)["Grid: Reviewed / Interval 1"] == (D(2023, 12, 22), D(2024, 1, 8))


def test_a_chain_of_three_successors_moves_only_as_far_as_it_must() -> None:
    rows = [
        milestone("A", "2023-10-02"),
        milestone("B", "2023-10-09", "A"),
        milestone("C", "2023-10-16", "B"),
        milestone("D", "2023-10-30", "C"),  # far enough after: stays
    ]
    proposal = propose(frame(rows), "A", D(2023, 10, 18))
    assert moved(proposal) == {
        "A": (D(2023, 10, 2), D(2023, 10, 18)),
        "B": (D(2023, 10, 9), D(2023, 10, 18)),
        "C": (D(2023, 10, 16), D(2023, 10, 18)),
    }
    c = proposal.moves[-1]
    assert (c.chain, c.working_days, c.rule) == (
        ("A", "B", "C"),
        2,
        "B is a predecessor of C: C ≥ B",
    )


def test_a_date_moved_earlier_leaves_its_successors_where_they_are() -> None:
    rows = [milestone("A", "2023-10-02"), milestone("B", "2023-10-09", "A")]
    proposal = propose(frame(rows), "A", D(2023, 9, 25))
    assert moved(proposal) == {"A": (D(2023, 10, 2), D(2023, 9, 25))}
    assert proposal.working_days == -5


def test_moved_earlier_ties_follow_but_predecessors_stay_and_the_broken_rule_is_raised() -> None:
    rows = [milestone("P", "2023-10-23"), milestone("M", "2023-10-30", "P")]
    start = activity("start", "2023-10-30", {"relation": "equals", "milestone": {"1": "M"}})
    gate = {
        "milestone_code": "M",
        "title": "To approve M",
        "stated_ready": None,
        "criteria": [{"order": 1, "text": "P decided", "state": "unknown", "target_code": "P"}],
    }
    proposal = propose(frame(rows, start, gates=[gate]), "M", D(2023, 10, 16))
    assert moved(proposal) == {
        "M": (D(2023, 10, 30), D(2023, 10, 16)),
        "Grid: Start / Interval 1": (D(2023, 10, 30), D(2023, 10, 16)),
    }
    assert [(f.rule, f.record) for f in proposal.raised] == [("schedule-relation", "milestone M")]
    [changed] = proposal.gates
    assert (changed.before, changed.after, changed.late) == ("on course", "at risk", ("P decided",))


def test_an_on_or_before_deadline_pushes_what_it_must_precede() -> None:
    # 'report' (= R) is due 2 weeks before 'ready': R on Fri 13 Oct puts ready on or after
    # Fri 27 Oct.
    report = activity(
        "report",
        "2023-10-06",
        {"relation": "equals", "milestone": {"1": "R"}},
        {"relation": "on_or_before", "of": "ready", "weeks": -2},
    )
    ready = activity("ready", "2023-10-23")
    proposal = propose(frame([milestone("R", "2023-10-06")], report, ready), "R", D(2023, 10, 13))
    assert moved(proposal)["Grid: Ready / Interval 1"] == (D(2023, 10, 23), D(2023, 10, 27))


def test_a_gate_criterion_pushes_the_gate_s_milestone() -> None:
    gate = {
        "milestone_code": "G",
        "title": "To approve G",
        "stated_ready": None,
        "criteria": [{"order": 1, "text": "T done", "state": "unknown", "target_code": "T"}],
    }
    rows = [milestone("T", "2023-10-02"), milestone("G", "2023-10-09")]
    proposal = propose(frame(rows, gates=[gate]), "T", D(2023, 10, 11))
    assert moved(proposal)["G"] == (D(2023, 10, 9), D(2023, 10, 11))
    assert "gate 'To approve G' criterion 1" in proposal.moves[-1].rule
    assert [(g.before, g.after) for g in proposal.gates] == [("on course", "on course")]


def test_moving_a_successor_past_its_predecessor_clears_the_finding() -> None:
    rows = [milestone("A", "2023-10-09"), milestone("B", "2023-10-02", "A")]  # B before A
    proposal = propose(frame(rows), "B", D(2023, 10, 10))
    assert [(f.rule, f.record) for f in proposal.cleared] == [("schedule-relation", "milestone B")]
    assert proposal.raised == ()


def test_an_achieved_milestone_is_held_not_moved() -> None:
    rows = [milestone("A", "2023-10-02"), milestone("B", "2023-10-09", "A", rag="blue")]
    proposal = propose(frame(rows), "A", D(2023, 10, 16))
    assert moved(proposal) == {"A": (D(2023, 10, 2), D(2023, 10, 16))}
    assert [(h.record, h.wanted) for h in proposal.held] == [("B", D(2023, 10, 16))]


def test_a_cycle_of_predecessors_is_refused() -> None:
    rows = [milestone("A", "2023-10-02", "C"), milestone("B", "2023-10-09", "A")]
    rows.append(milestone("C", "2023-10-16", "B"))
    with pytest.raises(CycleError, match="circle: A → B → C → A"):
        propose(frame(rows), "A", D(2023, 10, 4))


@pytest.mark.parametrize(
    ("code", "day", "said"),
    [
        ("M9", D(2023, 10, 4), "there is no milestone M9"),
        ("A", D(2023, 10, 7), r"Sat 07 Oct 2023 is not a working day \(Saturday\)"),
        ("A", D(2023, 8, 28), r"not a working day \(Late Summer Bank Holiday\)"),
        ("A", D(2023, 10, 2), "already forecast on Mon 02 Oct 2023"),
        ("B", D(2023, 10, 4), "B is achieved"),
    ],
)
def test_a_what_if_that_cannot_be_is_refused_in_words(code: str, day: dt.date, said: str) -> None:
    rows = [milestone("A", "2023-10-02"), milestone("B", "2023-09-25", rag="blue")]
    with pytest.raises(WhatIfError, match=said):
        propose(frame(rows), code, day)
