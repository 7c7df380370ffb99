"""Meetings: the calendar of coming meetings (scheduled, and projected from each body's
cadence) and where a meeting's pack file lives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from steerco.core.models import Meeting

# A body's cadence: (weekday, which one in the month). PSG meets on the first Wednesday.
CADENCES: dict[str, tuple[int, int]] = {"PSG": (2, 1)}


@dataclass(frozen=True)
class CalendarEntry:
    date: dt.date
    body: str
    meeting: Meeting | None  # None: projected from the cadence, not yet scheduled

    @property
    def projected(self) -> bool:
        return self.meeting is None


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    first = dt.date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + dt.timedelta(days=offset + 7 * (nth - 1))


def coming(meetings: Sequence[Meeting], after: dt.date, months: int = 6) -> list[CalendarEntry]:
    """Scheduled meetings after ``after``, and for each body with a cadence, its projected
    regular meetings in the next ``months`` months where none is scheduled that month."""
    entries = [CalendarEntry(m.date, m.body, m) for m in meetings if m.date > after]
    scheduled = {(m.body, m.date.year, m.date.month) for m in meetings if m.kind == "regular"}
    bodies = {m.body for m in meetings} & set(CADENCES)
    for body in sorted(bodies):
        weekday, nth = CADENCES[body]
        year, month = after.year, after.month
        for _ in range(months):
            month += 1
            if month > 12:
                year, month = year + 1, 1
            if (body, year, month) not in scheduled:
                entries.append(CalendarEntry(nth_weekday(year, month, weekday, nth), body, None))
    return sorted(entries, key=lambda e: (e.date, e.body))
