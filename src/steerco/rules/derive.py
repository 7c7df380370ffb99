"""Derivations: what a pack today types by hand, computed from the data and its history.

Each is a plain function over plain values, so web pages, the pack and the checker agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from steerco.core.calendar import CalendarError, WorkingCalendar
from steerco.core.choices import RAG_SEVERITY

NEW_ITEM = "New item"
UNKNOWN_WORD = "unknown"  # what a value that is not known reads as: never 0, never blank
NO_CHANGE = "No change"
CLOSED = "Closed"
UNKNOWN = "Unknown"


# -- RAID -----------------------------------------------------------------------------------


def movement(
    previous: int | None, current: int | None, *, existed_before: bool, closed: bool = False
) -> str:
    """Movement since the last meeting in the pack's own words: ``-1 (9 to 8)``,
    ``New item``, ``No change``, ``Closed`` — or ``Unknown`` where a score is not known."""
    if closed:
        return CLOSED
    if not existed_before:
        return NEW_ITEM
    if previous is None or current is None:
        return UNKNOWN
    if previous == current:
        return NO_CHANGE
    return f"{current - previous:+d} ({previous} to {current})"


@dataclass(frozen=True)
class BandCutoffs:
    """Lowest score of each band on the 1–30 scale; below ``medium`` is low."""

    critical: int
    high: int
    medium: int

    def __post_init__(self) -> None:
        if not 1 < self.medium < self.high < self.critical <= 30:
            raise ValueError("band cut-offs must rise: 1 < medium < high < critical ≤ 30")


def band(score: int | None, cutoffs: BandCutoffs | None) -> str | None:
    """The band of a score, or None where the score or the cut-offs are not known."""
    if score is None or cutoffs is None:
        return None
    if not 1 <= score <= 30:
        raise ValueError(f"score {score} is outside 1–30")
    if score >= cutoffs.critical:
        return "critical"
    if score >= cutoffs.high:
        return "high"
    if score >= cutoffs.medium:
        return "medium"
    return "low"


def counts_per_theme(themes: Iterable[Any]) -> dict[Any, int]:
    return dict(Counter(themes))


# -- meetings --------------------------------------------------------------------------------


class _Meeting(Protocol):
    cutoff: dt.datetime | None
    kind: str


M = TypeVar("M", bound=_Meeting)


def previous_meeting(meetings: Iterable[M], before: dt.datetime) -> M | None:
    """The meeting "previous" values are read at: the latest regular meeting whose cut-off
    falls before ``before`` (a meeting's own cut-off, or now for the live state). A meeting
    still open has no cut-off: nothing is read at it yet."""
    earlier = [
        (m.cutoff, m)
        for m in meetings
        if m.kind == "regular" and m.cutoff is not None and m.cutoff < before
    ]
    return max(earlier, key=lambda pair: pair[0], default=(None, None))[1]


# -- milestones ------------------------------------------------------------------------------


def achieved(rag: str | None, actual_date: Any) -> bool:
    """A milestone is achieved once it has an actual date or is reported Blue (achieved
    this period) or Grey (achieved earlier)."""
    return rag in ACHIEVED_RAGS or bool(actual_date)


@dataclass(frozen=True)
class Tolerance:
    """Slip (working days of forecast past baseline) up to ``max_slip`` suggests ``rag``."""

    max_slip: int | None
    rag: str


DEFAULT_TOLERANCES: tuple[Tolerance, ...] = (
    Tolerance(0, "green"),
    Tolerance(10, "yellow"),
    Tolerance(None, "red"),
)


def slip(
    baseline: dt.date | None, forecast: dt.date | None, calendar: WorkingCalendar
) -> int | None:
    """Working days by which the forecast is later than the baseline (negative: earlier)."""
    if baseline is None or forecast is None:
        return None
    try:
        return calendar.working_days_between(baseline, forecast)
    except CalendarError:  # a year no calendar holds: unknown (the checker's impossible-date)
        return None


def suggested_rag(
    slip_days: int | None,
    *,
    achieved: bool = False,
    tolerances: Sequence[Tolerance] = DEFAULT_TOLERANCES,
) -> str | None:
    """The RAG the tolerances suggest for a slip: shown beside the reported one, never
    replacing it. Achieved milestones are Blue; an unknown slip suggests nothing."""
    if achieved:
        return "blue"
    if slip_days is None:
        return None
    for tolerance in tolerances:
        if tolerance.max_slip is None or slip_days <= tolerance.max_slip:
            return tolerance.rag
    return tolerances[-1].rag


def rag_distance(reported: str | None, suggested: str | None) -> int | None:
    """Steps between two RAGs on the severity scale (None if either is off the scale)."""
    if reported not in RAG_SEVERITY or suggested not in RAG_SEVERITY:
        return None
    return abs(RAG_SEVERITY[str(reported)] - RAG_SEVERITY[str(suggested)])


ACHIEVED_RAGS = ("blue", "grey")


def next_lifecycle_rag(current: str | None) -> str | None:
    """An achieved (Blue) milestone is reported Blue once, then Grey from the next meeting."""
    if current in ACHIEVED_RAGS:
        return "grey"
    return None


def lifecycle_rag(previous: str | None, current: str | None) -> str | None:
    """The RAG a milestone is reported with at a meeting: achieved at the previous meeting
    (Blue, or Grey already) and still achieved, it is Grey — the rule fixes it, so nobody
    has to turn it Grey. Otherwise the RAG as recorded."""
    if previous in ACHIEVED_RAGS and current in ACHIEVED_RAGS:
        return next_lifecycle_rag(previous)
    return current


def forecast_rag(current: str | None, forecast: str | None) -> str | None:
    """The RAG forecast for the next meeting: Grey for a milestone achieved now (the rule
    fixes it), otherwise the forecast as recorded."""
    return next_lifecycle_rag(current) or forecast


# -- market roles --------------------------------------------------------------------------


def mvc_shortfall(required: int | None, confirmed: int | None) -> int | None:
    """Market roles confirmed for SIT minus the number the minimum viable cohort requires
    (negative: below the MVC; 0: met, without contingency). The confirmed count is the one
    the pack states ("Number of Market Roles confirmed for SIT"), never the participants
    named, who include those still to be confirmed. None where either is not known."""
    if required is None or confirmed is None:
        return None
    return int(confirmed) - int(required)


# -- agenda ----------------------------------------------------------------------------------


def agenda_slots(start: dt.time, durations: Sequence[int | None]) -> list[tuple[dt.time, dt.time]]:
    """Slot times from the meeting's start and each item's duration, back to back."""
    slots = []
    at = dt.datetime.combine(dt.date(2000, 1, 1), start)
    for minutes in durations:
        end = at + dt.timedelta(minutes=minutes or 0)
        slots.append((at.time(), end.time()))
        at = end
    return slots


def minutes_between(start: dt.time, end: dt.time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


# -- sums ------------------------------------------------------------------------------------


def decimals_of(stated: str) -> int:
    """Decimal places a printed number shows ("£3.41" → 2, "19" → 0)."""
    digits = stated.strip().lstrip("£$€").replace(",", "")
    return len(digits.split(".", 1)[1]) if "." in digits else 0


@dataclass(frozen=True)
class SumCheck:
    parts: int
    total: Decimal
    stated: Decimal
    tolerance: Decimal

    @property
    def holds(self) -> bool:
        return abs(self.total - self.stated) <= self.tolerance


def check_sum(parts: Sequence[Decimal], stated: Decimal, decimals: int) -> SumCheck:
    """Whether a stated total is the sum of its parts within the rounding its precision
    allows: each part and the total are each off by at most half a unit of the last place."""
    half_unit = Decimal(5) * Decimal(10) ** (-decimals - 1)
    total = sum(parts, Decimal(0))
    return SumCheck(len(parts), total, stated, half_unit * (len(parts) + 1))


def total_holds(parts: Sequence[Decimal], stated: Decimal, stated_text: str) -> bool:
    """Whether a stated total is the sum of its parts at the precision it is printed with
    (the one sum tolerance: the checker, the web and the pack use it alike)."""
    return check_sum(parts, stated, decimals_of(stated_text)).holds


# How many months a finance cell covers from its first month (FinanceCell.Period).
PERIOD_MONTHS = {"month": 1, "quarter": 3}


def period_months(start: dt.date, period: str) -> list[dt.date]:
    """The first days of the months a finance cell covers from its first month."""
    index = start.year * 12 + start.month - 1
    return [
        dt.date((index + n) // 12, (index + n) % 12 + 1, 1) for n in range(PERIOD_MONTHS[period])
    ]


def monthly_share(amount: Decimal | None, period: str, split_monthly: bool) -> Decimal | None:
    """What a cell adds to each month it covers: a month's own amount; a quarter's amount
    split evenly only where the pack says so, else not known month by month."""
    if amount is None:
        return None
    months = PERIOD_MONTHS[period]
    if months == 1:
        return amount
    return amount / months if split_monthly else None


def totals_by(
    cells: Iterable[tuple[str, Any, Decimal | None]],
) -> tuple[dict[str, Decimal], dict[Any, Decimal], Decimal]:
    """Totals by party, by month and overall from (party, month, amount) cells; unknown
    amounts are left out."""
    by_party: dict[str, Decimal] = {}
    by_month: dict[Any, Decimal] = {}
    grand = Decimal(0)
    for party, month, amount in cells:
        if amount is None:
            continue
        by_party[party] = by_party.get(party, Decimal(0)) + amount
        by_month[month] = by_month.get(month, Decimal(0)) + amount
        grand += amount
    return by_party, by_month, grand
