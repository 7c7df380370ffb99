"""A governance body's cadence: an iCalendar recurrence rule (RFC 5545 RRULE) read by
dateutil, and said in words for people ("first Wednesday of each month").

The rule alone decides the dates: one that falls on a bank holiday is not moved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from dateutil.relativedelta import relativedelta
from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr

# From a start well before any programme, so that every date a programme needs is on it.
_START = dt.datetime(2000, 1, 1)
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_EVERY = {DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year"}


class CadenceError(ValueError):
    pass


def parse(text: str) -> rrule:
    """The rule ``text`` states (``FREQ=MONTHLY;BYDAY=+1WE``, with or without ``RRULE:``)."""
    body = text.strip().removeprefix("RRULE:")
    if not body:
        raise CadenceError("empty")
    if "DTSTART" in body.upper():
        raise CadenceError("give the rule alone, without DTSTART")
    try:
        rule = rrulestr(body, dtstart=_START)
    except (ValueError, TypeError) as error:
        raise CadenceError(f"not an iCalendar RRULE ({error})") from None
    if not isinstance(rule, rrule):  # pragma: no cover - rrulestr gives a set only when asked
        raise CadenceError("one rule, not a set")
    if getattr(rule, "_freq", None) not in _EVERY:
        raise CadenceError("meets at most daily: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY")
    return rule


def describe(text: str) -> str:
    """The rule in words: "first Wednesday of each month", "every 2 weeks on Tuesday"."""
    rule: Any = parse(text)  # dateutil keeps the parts it parsed in private attributes
    interval = rule._interval
    unit = _EVERY[rule._freq]
    each = f"each {unit}" if interval == 1 else f"every {interval} {unit}s"
    nth = rule._bynweekday or ()
    days = rule._byweekday or ()
    if rule._freq == MONTHLY and nth and len(nth) == 1:
        weekday, n = nth[0]
        return f"{_ORDINALS.get(n, f'{n}th')} {_DAYS[weekday]} of {each}"
    if days and rule._freq == WEEKLY:
        return f"{each} on " + " and ".join(_DAYS[d] for d in sorted(days))
    return f"{each} ({text.strip()})"


def dates(text: str, after: dt.date, count: int) -> list[dt.date]:
    """The next ``count`` dates of the rule strictly after ``after``."""
    rule = parse(text)
    found: list[dt.date] = []
    when = dt.datetime.combine(after, dt.time())
    while len(found) < count:
        following = rule.after(when)
        if following is None:
            break
        found.append(following.date())
        when = following
    return found


def between(text: str, first: dt.date, last: dt.date) -> list[dt.date]:
    """The rule's dates from ``first`` to ``last``, both included."""
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last, dt.time())
    return [when.date() for when in parse(text).between(start, end, inc=True)]


def next_month_start(day: dt.date) -> dt.date:
    return (dt.datetime(day.year, day.month, 1) + relativedelta(months=1)).date()
