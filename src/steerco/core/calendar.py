"""Working days: weekends and a region's bank holidays (England & Wales by default).

Bank holidays come from the `holidays` package (country GB, subdivision ENG — not the
UK-wide default, which would miss or add Scottish and Northern Irish days). The scalar
arithmetic is plain Python over a sorted holiday list; the bulk form hands whole arrays to
numpy's business-day functions with the same holidays, so a million offsets cost what numpy
costs.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import holidays
import numpy as np
import numpy.typing as npt

Roll = Literal["forward", "backward"]
FIRST_YEAR, LAST_YEAR = 2015, 2040


class CalendarError(ValueError):
    pass


class WorkingCalendar:
    """Monday to Friday, less the region's bank holidays (and any extra closures)."""

    def __init__(
        self,
        country: str = "GB",
        subdivision: str | None = "ENG",
        years: Iterable[int] = range(FIRST_YEAR, LAST_YEAR + 1),
        extra_closures: Iterable[dt.date] = (),
    ) -> None:
        self.years = list(years)
        try:
            source = holidays.country_holidays(country, subdiv=subdivision, years=self.years)
        except (NotImplementedError, KeyError) as error:
            raise CalendarError(f"no bank holidays for {country}/{subdivision}: {error}") from None
        self.country, self.subdivision = country, subdivision
        closed = {day for day in source if day.weekday() < 5} | {
            day for day in extra_closures if day.weekday() < 5
        }
        self.holidays: list[dt.date] = sorted(closed)
        self.names: dict[dt.date, str] = {day: str(name) for day, name in source.items()}
        self._holiday_set = set(self.holidays)
        self._numpy = np.busdaycalendar(
            weekmask="1111100", holidays=np.array(self.holidays, dtype="datetime64[D]")
        )

    # -- single dates -------------------------------------------------------------------

    def _check(self, day: dt.date) -> None:
        if not self.years[0] <= day.year <= self.years[-1]:
            raise CalendarError(
                f"{day} is outside the calendar's years {self.years[0]}–{self.years[-1]}"
            )

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        return day.weekday() < 5 and day not in self._holiday_set

    def why_not_working(self, day: dt.date) -> str | None:
        """None for a working day, else 'Saturday', 'Sunday' or the bank holiday's name."""
        if self.is_working_day(day):
            return None
        if day.weekday() >= 5:
            return day.strftime("%A")
        return self.names.get(day, "a closure")

    def roll(self, day: dt.date, direction: Roll = "forward") -> dt.date:
        step = dt.timedelta(days=1 if direction == "forward" else -1)
        while not self.is_working_day(day):
            day += step
        return day

    def add_working_days(self, day: dt.date, n: int, roll: Roll = "forward") -> dt.date:
        """``n`` working days after ``day`` (before, if negative), as numpy's
        ``busday_offset(day, n, roll)``: a non-working start is first rolled to a working day."""
        day = self.roll(day, roll)
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in [start, end); if end is before start, minus those in (end, start]
        — numpy's ``busday_count`` convention."""
        if end < start:
            one = dt.timedelta(days=1)
            return -self.working_days_between(end + one, start + one)
        self._check(start)
        self._check(end)
        days = (end - start).days
        weeks, rest = divmod(days, 7)
        weekdays = weeks * 5
        first = start.weekday()
        weekdays += sum(1 for offset in range(rest) if (first + offset) % 7 < 5)
        return weekdays - self._holidays_between(start, end)

    def _holidays_between(self, start: dt.date, end: dt.date) -> int:
        """Weekday holidays in [start, end)."""
        return bisect.bisect_left(self.holidays, end) - bisect.bisect_left(self.holidays, start)

    def add_weeks(self, day: dt.date, weeks: int) -> dt.date:
        return day + dt.timedelta(weeks=weeks)

    # -- arrays ---------------------------------------------------------------------------

    def add_working_days_bulk(
        self,
        days: npt.ArrayLike,
        n: npt.ArrayLike,
        roll: Roll = "forward",
    ) -> npt.NDArray[np.datetime64]:
        """Vectorised ``add_working_days`` over arrays of dates and offsets."""
        return np.busday_offset(
            np.asarray(days, dtype="datetime64[D]"), n, roll=roll, busdaycal=self._numpy
        )

    def working_days_between_bulk(
        self, starts: npt.ArrayLike, ends: npt.ArrayLike
    ) -> npt.NDArray[np.int64]:
        return np.busday_count(
            np.asarray(starts, dtype="datetime64[D]"),
            np.asarray(ends, dtype="datetime64[D]"),
            busdaycal=self._numpy,
        )

    def is_working_day_bulk(self, days: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        return np.is_busday(np.asarray(days, dtype="datetime64[D]"), busdaycal=self._numpy)


@lru_cache(maxsize=16)
def calendar_for(
    country: str = "GB", subdivision: str | None = "ENG", closures: Sequence[dt.date] = ()
) -> WorkingCalendar:
    """A shared calendar per region (building one reads the holiday tables)."""
    return WorkingCalendar(country, subdivision, extra_closures=closures)


# -- regions a programme may choose -----------------------------------------------------------

# Programme.calendar_country and calendar_subdivision hold at most this many characters.
REGION_CODE_LENGTH = 8


@dataclass(frozen=True)
class Region:
    country: str  # ISO 3166-1 alpha-2, as the holidays package names it
    name: str
    subdivisions: dict[str, str]  # code → name ("SCT" → "Scotland"), the code when unnamed


@lru_cache(maxsize=1)
def countries() -> dict[str, str]:
    """Every country the holidays package has bank holidays for: code → name, by name."""
    names = {
        entry[1]: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0])
        for entry in holidays.registry.COUNTRIES.values()
    }
    return dict(sorted(names.items(), key=lambda item: item[1]))


@lru_cache(maxsize=32)
def region(country: str) -> Region:
    """A country's subdivisions, as holidays knows them; CalendarError for an unknown one."""
    name = countries().get(country)
    if name is None:
        raise CalendarError(f"no bank holidays are known for the country {country!r}")
    source = type(holidays.country_holidays(country, years=[]))
    aliases = {code: alias for alias, code in getattr(source, "subdivisions_aliases", {}).items()}
    named = {code: aliases.get(code, code) for code in getattr(source, "subdivisions", ())}
    return Region(country, name, named)


def check_region(country: str, subdivision: str) -> Region:
    """The region ``country``/``subdivision`` (empty: the whole country), or CalendarError
    saying which subdivisions the country has."""
    found = region(country)
    if not subdivision:
        return found
    usable = {
        code: name for code, name in found.subdivisions.items() if len(code) <= REGION_CODE_LENGTH
    }
    if subdivision not in usable:
        listed = ", ".join(f"{code} ({name})" for code, name in usable.items())
        raise CalendarError(
            f"{found.name} ({country}) has no subdivision {subdivision!r}: "
            + (
                f"choose one of {listed}, or none for the whole country"
                if listed
                else "it has none; leave it empty"
            )
        )
    return found
