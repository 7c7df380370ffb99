"""Coming meetings: those scheduled, and those projected from a body's cadence (an rrule)."""

from __future__ import annotations

import datetime as dt

import holidays

from steerco.core.models import Meeting
from steerco.web.meetings import CADENCES, coming

D = dt.date


def meeting(code: str, date: dt.date, kind: str = "regular") -> Meeting:
    return Meeting(code=code, body="PSG", date=date, kind=kind)


SEED = [meeting("PSG-23", D(2023, 8, 2)), meeting("PSG-24", D(2023, 9, 6))]


def test_the_psg_cadence_falls_on_the_seeds_meeting_dates() -> None:
    found = CADENCES["PSG"].between(dt.datetime(2023, 8, 1), dt.datetime(2023, 9, 30), inc=True)
    assert [when.date() for when in found] == [D(2023, 8, 2), D(2023, 9, 6)]


def test_the_psg_cadence_is_the_first_wednesday_of_every_month() -> None:
    found = CADENCES["PSG"].between(dt.datetime(2000, 1, 1), dt.datetime(2040, 12, 31), inc=True)
    assert len(found) == 41 * 12
    assert {(when.weekday(), when.day <= 7) for when in found} == {(2, True)}
    assert len({(when.year, when.month) for when in found}) == 41 * 12


def test_after_psg_24_the_next_six_first_wednesdays_are_projected() -> None:
    entries = coming(SEED, after=D(2023, 9, 6))
    assert [(e.date, e.projected) for e in entries] == [
        (D(2023, 10, 4), True),
        (D(2023, 11, 1), True),
        (D(2023, 12, 6), True),
        (D(2024, 1, 3), True),
        (D(2024, 2, 7), True),
        (D(2024, 3, 6), True),
    ]


def test_a_month_with_a_regular_meeting_scheduled_is_not_projected_again() -> None:
    moved = meeting("PSG-25", D(2023, 10, 11))  # the second Wednesday, scheduled
    extra = meeting("PSG-X1", D(2023, 11, 20), kind="extraordinary")
    entries = coming([*SEED, moved, extra], after=D(2023, 9, 6), months=3)
    assert [(e.date, e.meeting.code if e.meeting else None) for e in entries] == [
        (D(2023, 10, 11), "PSG-25"),
        (D(2023, 11, 1), None),  # an extraordinary meeting leaves the regular one projected
        (D(2023, 11, 20), "PSG-X1"),
        (D(2023, 12, 6), None),
    ]


def test_a_first_wednesday_on_a_bank_holiday_is_projected_on_it_as_the_rule_says() -> None:
    assert D(2025, 1, 1) in holidays.country_holidays("GB", subdiv="ENG", years=2025)
    entries = coming(SEED, after=D(2024, 12, 4), months=2)
    assert [e.date for e in entries] == [D(2025, 1, 1), D(2025, 2, 5)]


def test_a_body_without_a_cadence_has_only_its_scheduled_meetings() -> None:
    other = Meeting(code="DAG-1", body="DAG", date=D(2023, 9, 20), kind="regular")
    entries = coming([other], after=D(2023, 9, 6))
    assert [(e.date, e.body, e.projected) for e in entries] == [(D(2023, 9, 20), "DAG", False)]
