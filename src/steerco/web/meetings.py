"""Meetings: the calendar of coming meetings (scheduled, and projected from each body's
cadence) and where a meeting's pack file lives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, WE, rrule

from steerco.core.models import Meeting

# A body's regular meetings as a recurrence rule (from a start well before any programme):
# PSG meets on the first Wednesday of each month. The dates are the rule's alone: one that
# falls on a bank holiday is not moved.
CADENCES: dict[str, rrule] = {
    "PSG": rrule(MONTHLY, byweekday=WE(+1), dtstart=dt.datetime(2000, 1, 1)),
}


@dataclass(frozen=True)
class CalendarEntry:
    date: dt.date
    body: str
    meeting: Meeting | None  # None: projected from the cadence, not yet scheduled

    @property
    def projected(self) -> bool:
        return self.meeting is None


def coming(meetings: Sequence[Meeting], after: dt.date, months: int = 6) -> list[CalendarEntry]:
    """Scheduled meetings after ``after``, and for each body with a cadence, its projected
    regular meetings in the next ``months`` months where none is scheduled that month."""
    entries = [CalendarEntry(m.date, m.body, m) for m in meetings if m.date > after]
    scheduled = {(m.body, m.date.year, m.date.month) for m in meetings if m.kind == "regular"}
    bodies = {m.body for m in meetings} & set(CADENCES)
    # The whole calendar months after ``after``'s.
    first = dt.datetime(after.year, after.month, 1) + relativedelta(months=1)
    last = first + relativedelta(months=months, days=-1)
    for body in sorted(bodies):
        for when in CADENCES[body].between(first, last, inc=True):
            if (body, when.year, when.month) not in scheduled:
                entries.append(CalendarEntry(when.date(), body, None))
    return sorted(entries, key=lambda e: (e.date, e.body))
