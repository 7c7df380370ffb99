"""Coming meetings: those scheduled, and for each body with a cadence, its regular meetings
projected where none is scheduled that month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from steerco.core import cadence
from steerco.core.models import Meeting


@dataclass(frozen=True)
class CalendarEntry:
    date: dt.date
    body: str
    meeting: Meeting | None  # None: projected from the cadence, not yet scheduled

    @property
    def projected(self) -> bool:
        return self.meeting is None


def coming(
    meetings: Sequence[Meeting],
    after: dt.date,
    cadences: Mapping[str, str],
    months: int = 6,
) -> list[CalendarEntry]:
    """Scheduled meetings after ``after``, and for each body with a cadence (body code →
    RRULE), its projected regular meetings in the whole calendar months after ``after``'s,
    ``months`` of them, where none is scheduled that month."""
    entries = [CalendarEntry(m.date, m.body, m) for m in meetings if m.date > after]
    scheduled = {(m.body, m.date.year, m.date.month) for m in meetings if m.kind == "regular"}
    first = cadence.next_month_start(after)
    last = first + relativedelta(months=months, days=-1)
    for body, rule in sorted(cadences.items()):
        if not rule:
            continue
        for when in cadence.between(rule, first, last):
            if (body, when.year, when.month) not in scheduled:
                entries.append(CalendarEntry(when, body, None))
    return sorted(entries, key=lambda e: (e.date, e.body))
