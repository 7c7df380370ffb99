"""Working-day arithmetic, checked against numpy's business-day functions as the oracle."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steerco.core.calendar import CalendarError, WorkingCalendar, calendar_for

CAL = calendar_for("GB", "ENG")
ORACLE = np.busdaycalendar(
    weekmask="1111100",
    holidays=np.array([d for d in CAL.names if d.weekday() < 5], dtype="datetime64[D]"),
)
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2035, 12, 31))


def oracle_offset(day: dt.date, n: int, roll: str) -> dt.date:
    result = np.busday_offset(np.datetime64(day), n, roll=roll, busdaycal=ORACLE)
    return result.astype(dt.date)  # type: ignore[no-any-return]


@settings(max_examples=400, deadline=None)
@given(
    day=days,
    n=st.integers(min_value=-600, max_value=600),
    roll=st.sampled_from(["forward", "backward"]),
)
def test_adding_working_days_agrees_with_numpy(day: dt.date, n: int, roll: str) -> None:
    assert CAL.add_working_days(day, n, roll) == oracle_offset(day, n, roll)  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(start=days, end=days)
def test_counting_working_days_agrees_with_numpy(start: dt.date, end: dt.date) -> None:
    expected = int(np.busday_count(np.datetime64(start), np.datetime64(end), busdaycal=ORACLE))
    assert CAL.working_days_between(start, end) == expected


@settings(max_examples=200, deadline=None)
@given(day=days)
def test_working_day_test_agrees_with_numpy(day: dt.date) -> None:
    assert CAL.is_working_day(day) == bool(np.is_busday(np.datetime64(day), busdaycal=ORACLE))


def test_the_coronation_of_2023_is_a_bank_holiday_in_england() -> None:
    coronation = dt.date(2023, 5, 8)
    assert not CAL.is_working_day(coronation)
    assert CAL.why_not_working(coronation) == "Coronation of Charles III"
    assert CAL.add_working_days(dt.date(2023, 5, 5), 1) == dt.date(2023, 5, 9)


def test_england_keeps_scotlands_holidays_out() -> None:
    # 2 January is a bank holiday in Scotland only; St Andrew's Day likewise.
    assert CAL.is_working_day(dt.date(2024, 1, 2))
    assert CAL.is_working_day(dt.date(2023, 11, 30))
    scotland = WorkingCalendar("GB", "SCT")
    assert not scotland.is_working_day(dt.date(2024, 1, 2))


def test_christmas_2023_moves_five_working_days_into_the_new_week() -> None:
    # 18 Dec 2023 + 5 working days skips Christmas Day and Boxing Day.
    assert CAL.add_working_days(dt.date(2023, 12, 18), 5) == dt.date(2023, 12, 27)


def test_bulk_offsets_equal_the_scalar_ones() -> None:
    starts = [dt.date(2023, 1, 1) + dt.timedelta(days=i) for i in range(0, 400, 7)]
    offsets = list(range(-30, 30, 1))[: len(starts)]
    bulk = CAL.add_working_days_bulk(starts, offsets).astype(dt.date)
    assert list(bulk) == [CAL.add_working_days(d, n) for d, n in zip(starts, offsets, strict=True)]


def test_extra_closures_are_not_working_days() -> None:
    closed = dt.date(2023, 9, 6)
    calendar = WorkingCalendar(extra_closures=[closed])
    assert not calendar.is_working_day(closed)
    assert calendar.why_not_working(closed) == "a closure"


def test_a_date_outside_the_calendar_is_refused() -> None:
    with pytest.raises(CalendarError, match="outside the calendar"):
        CAL.is_working_day(dt.date(1999, 1, 1))


def test_an_unknown_region_is_refused() -> None:
    with pytest.raises(CalendarError, match="no bank holidays"):
        WorkingCalendar("GB", "XXX")
