"""Dates as packs write them in prose and in stated cells: "30/09/2023", "22/11//23",
"19 August 3034", "30 th Oct 23", "11-Mar-24", "Sept 2033", "End Sept'23", "Oct '23",
"Jan-24", "Q1 2024".

Only dates that carry a year are found (a bare "30-Oct" or "23/8" says nothing of its
year), and only with a capitalised month name ("May 2024", not "may 20"). A date without a
day stands for the last day of its month (or quarter): what "by Oct '23" allows.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    **{name: n for n, name in enumerate(calendar.month_name) if name},
    **{name: n for n, name in enumerate(calendar.month_abbr) if name},
    "Sept": 9,
}
_MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*)\.?"
_YEAR = r"(?P<year>\d{4}|\d{2})"
PATTERNS = (
    # 30/09/2023, 06-11-23, 22/11//23 (a doubled separator as printed)
    re.compile(
        r"(?<![\w.])(?P<day>\d{1,2})\s?([/.-])\s?(?P<mon>\d{1,2})\s?\2{1,2}\s?"
        + _YEAR
        + r"(?![\w/]|\.\d)"
    ),
    # 19 August 3034, 30 th Oct 23, 11-Mar-24, 1st Dec 2023
    re.compile(
        r"(?<![\w.])(?P<day>\d{1,2})\s?(?:st|nd|rd|th)?[\s-]{1,2}"
        + _MONTH
        + r"(?:[\s-]{1,2}|\s?'\s?)"
        + _YEAR
        + r"(?![\w/])"
    ),
    # Sept 2033, c.April 2025
    re.compile(r"(?<![A-Za-z])" + _MONTH + r"\s(?P<year>\d{4})(?![\w/])"),
    # Sept'23, Oct '23, Jan-24
    re.compile(r"(?<![A-Za-z])" + _MONTH + r"(?:\s?'\s?|-)(?P<year>\d{2})(?![\w/])"),
    # Q1 2024
    re.compile(r"(?<![\w])Q(?P<quarter>[1-4])\s?(?P<year>\d{4})(?![\w/])"),
)


@dataclass(frozen=True)
class StatedDate:
    text: str  # as written
    start: int  # where in the text
    year: int
    date: dt.date | None  # the day meant (a month's or quarter's last day), None if no such day


def find(text: str) -> list[StatedDate]:
    """The dates written in ``text`` that carry a year, in the order written; a date that
    cannot exist (31/02/2023) is found with its year and no day."""
    found: list[StatedDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue
            stated = _stated(match)
            if stated is not None:
                taken.append((start, end))
                found.append(stated)
    return sorted(found, key=lambda s: s.start)


def parse(text: str) -> dt.date | None:
    """The first date ``text`` states (a month's last day for a month), or None."""
    for stated in find(text):
        if stated.date is not None:
            return stated.date
    return None


def _stated(match: re.Match[str]) -> StatedDate | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if len(groups["year"]) == 2:
        year += 2000
    if groups.get("quarter"):
        month, day = int(groups["quarter"]) * 3, None
    elif groups.get("month"):
        if groups["month"] not in MONTHS:  # "Marketing", "Decision": not a month
            return None
        month = MONTHS[groups["month"]]
        day = int(groups["day"]) if groups.get("day") else None
    else:
        month, day = int(groups["mon"]), int(groups["day"])
        if not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
    return StatedDate(match.group(0), match.start(), year, _day(year, month, day))


def _day(year: int, month: int, day: int | None) -> dt.date | None:
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        return None
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return dt.date(year, month, last)
    return dt.date(year, month, day) if day <= last else None
