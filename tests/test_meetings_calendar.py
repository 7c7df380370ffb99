"""Coming meetings: those scheduled, and those projected from a body's cadence (an rrule)."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from steerco.core import cadence
from steerco.core.models import Meeting
from steerco.meetings.calendar import coming

D = dt.date


def meeting(code: str, date: dt.date, kind: str = "regular") -> Meeting:
    return Meeting(code=code, body="PSG", date=date, kind=kind)


SEED = [meeting("PSG-23", D(2023, 8, 2)), meeting("PSG-24", D(2023, 9, 6))]
PSG = "FREQ=MONTHLY;BYDAY=+1WE"  # as examples/mhhs/bodies.yaml states it
CADENCES = {"PSG": PSG}


def test_the_psg_cadence_falls_on_the_seeds_meeting_dates() -> None:
    assert cadence.between(PSG, D(2023, 8, 1), D(2023, 9, 30)) == [D(2023, 8, 2), D(2023, 9, 6)]
    assert cadence.describe(PSG) == "first Wednesday of each month"


def test_the_psg_cadence_is_the_first_wednesday_of_every_month() -> None:
    found = cadence.between(PSG, D(2000, 1, 1), D(2040, 12, 31))
    assert len(found) == 41 * 12
    assert {(when.weekday(), when.day <= 7) for when in found} == {(2, True)}
    assert len({(when.year, when.month) for when in found}) == 41 * 12


def test_after_psg_24_the_next_six_first_wednesdays_are_projected() -> None:
    entries = coming(SEED, after=D(2023, 9, 6), cadences=CADENCES)
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
    entries = coming([*SEED, moved, extra], after=D(2023, 9, 6), cadences=CADENCES, months=3)
    assert [(e.date, e.meeting.code if e.meeting else None) for e in entries] == [
        (D(2023, 10, 11), "PSG-25"),
        (D(2023, 11, 1), None),  # an extraordinary meeting leaves the regular one projected
        (D(2023, 11, 20), "PSG-X1"),
        (D(2023, 12, 6), None),
    ]


def test_a_first_wednesday_on_a_bank_holiday_is_projected_on_it_as_the_rule_says() -> None:
    assert D(2025, 1, 1) in holidays.country_holidays("GB", subdiv="ENG", years=2025)
    entries = coming(SEED, after=D(2024, 12, 4), cadences=CADENCES, months=2)
    assert [e.date for e in entries] == [D(2025, 1, 1), D(2025, 2, 5)]


def test_a_body_without_a_cadence_has_only_its_scheduled_meetings() -> None:
    other = Meeting(code="DAG-1", body="DAG", date=D(2023, 9, 20), kind="regular")
    entries = coming([other], after=D(2023, 9, 6), cadences={"DAG": ""})
    assert [(e.date, e.body, e.projected) for e in entries] == [(D(2023, 9, 20), "DAG", False)]


def test_a_body_with_a_cadence_and_no_meeting_yet_is_projected() -> None:
    entries = coming(
        [], after=D(2023, 9, 6), cadences={"CCAG": "FREQ=MONTHLY;BYDAY=+4WE"}, months=2
    )
    assert [(e.date, e.body) for e in entries] == [
        (D(2023, 10, 25), "CCAG"),
        (D(2023, 11, 22), "CCAG"),
    ]


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=+2WE", "second Wednesday of each month"),
        ("RRULE:FREQ=MONTHLY;BYDAY=-1FR", "last Friday of each month"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "every 2 weeks on Tuesday"),
    ],
)
def test_a_cadence_is_said_in_words(rule: str, words: str) -> None:
    assert cadence.describe(rule) == words


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("", "empty"),
        ("FREQ=FORTNIGHTLY", "not an iCalendar RRULE"),
        ("DTSTART:20230101T000000\nRRULE:FREQ=MONTHLY", "without DTSTART"),
        ("FREQ=HOURLY", "at most daily"),
    ],
)
def test_a_cadence_that_is_not_a_rule_is_refused_saying_why(rule: str, problem: str) -> None:
    with pytest.raises(cadence.CadenceError, match=problem):
        cadence.parse(rule)
