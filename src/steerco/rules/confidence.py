"""Is this date credible? A milestone's forecast over the meetings, and a confidence derived
from that record and from the record of its party's (workstream's or organisation's) other
milestones. Plain functions over plain values; the method and its figures: docs/confidence.md.

The derived confidence is the chance that the forecast holds: that the date the milestone
settles on (achieved, or due at a meeting) is at most ``tolerance_days`` working days later.
It is the share of the party's past forecasts that held, among those made as far ahead of
their date and in the same state (already slipped or not), drawn towards the programme's
share (and that towards ``prior_hold``) while the evidence is thin.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from steerco.core.calendar import CalendarError, WorkingCalendar
from steerco.core.choices import Confidence
from steerco.rules import derive

CONFIDENCE_ORDER = (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)


@dataclass(frozen=True)
class ConfidenceConfig:
    """Settings of the derived confidence, under ``rules_config["confidence"]``."""

    tolerance_days: int = 5  # a forecast holds if the date it settles on is at most this late
    # Working days from meeting to forecast that bound the distance bands (0–20, 21–60…).
    distance_bands: tuple[int, ...] = (20, 60, 120)
    prior_hold: float = 0.8  # the chance a forecast holds, before any evidence
    prior_weight: float = 5.0  # how many forecasts' evidence a prior counts for
    high: float = 0.75  # a chance of holding from which the derived confidence is High
    medium: float = 0.5  # … Medium (below: Low)
    # Forecasts in the party's cell below which a stated confidence is not said to disagree:
    # the derived one is then mostly the programme's record.
    min_evidence: int = 5
    lowest: int = 10  # how many of the least credible milestones the dashboard lists

    @classmethod
    def of(cls, data: dict[str, Any]) -> ConfidenceConfig:
        default = cls()
        config = cls(
            tolerance_days=int(data.get("tolerance_days", default.tolerance_days)),
            distance_bands=tuple(
                sorted(int(b) for b in data.get("distance_bands", default.distance_bands))
            ),
            prior_hold=float(data.get("prior_hold", default.prior_hold)),
            prior_weight=float(data.get("prior_weight", default.prior_weight)),
            high=float(data.get("high", default.high)),
            medium=float(data.get("medium", default.medium)),
            min_evidence=int(data.get("min_evidence", default.min_evidence)),
            lowest=int(data.get("lowest", default.lowest)),
        )
        if not (0 <= config.prior_hold <= 1 and 0 <= config.medium <= config.high <= 1):
            raise ValueError("confidence: prior_hold, medium and high are chances, medium ≤ high")
        return config

    def band(self, probability: float) -> Confidence:
        if probability >= self.high:
            return Confidence.HIGH
        return Confidence.MEDIUM if probability >= self.medium else Confidence.LOW

    def distance_band(self, days: int) -> int:
        """The index of the distance band ``days`` (working days to the date) falls in."""
        return bisect_left(self.distance_bands, days)

    def distance_words(self, band: int) -> str:
        edges = self.distance_bands
        if band >= len(edges):
            return f"more than {edges[-1]} working days" if edges else "any distance"
        low = edges[band - 1] + 1 if band else 1
        return f"{low}–{edges[band]} working days"


@dataclass(frozen=True)
class Point:
    """A milestone as one meeting's record held it (at the meeting's cut-off)."""

    slot: int  # the meeting's place in the programme's meetings, oldest first
    meeting: str
    date: dt.date  # the meeting's date
    forecast: dt.date | None
    rag: str = ""
    actual: dt.date | None = None
    stated: str = ""  # the party's own confidence (Confidence), where its report states one

    @property
    def achieved(self) -> bool:
        return derive.achieved(self.rag, self.actual)

    @property
    def ahead(self) -> bool:
        """Still to come at this meeting: not achieved, its forecast after the meeting."""
        return not self.achieved and self.forecast is not None and self.forecast > self.date


@dataclass(frozen=True)
class Track:
    """One milestone over the meetings: a programme milestone (by code) or a milestone of a
    party's delivery reports (by organisation and name)."""

    key: str
    kind: str  # "programme" or "report"
    party: str  # the workstream, or the reporting organisation
    title: str
    points: tuple[Point, ...]  # oldest first, one per meeting that recorded it


@dataclass(frozen=True)
class Step:
    meeting: str
    date: dt.date
    forecast: dt.date | None
    rag: str
    slip: int | None  # working days later than the meeting before (None: first, or unknown)


@dataclass(frozen=True)
class History:
    steps: tuple[Step, ...]
    reforecasts: int  # meetings at which the forecast differed from the meeting before's
    total_slip: int | None  # working days from the first forecast recorded to the last


class Days:
    """Working days between dates of one calendar, each date's count from a fixed day read
    once (a history asks the same dates again and again)."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar
        self._base = dt.date(calendar.years[0], 1, 1)
        self._count: dict[dt.date, int | None] = {}

    def _of(self, day: dt.date) -> int | None:
        if day not in self._count:
            try:
                self._count[day] = self.calendar.working_days_between(self._base, day)
            except CalendarError:  # a year no calendar holds
                self._count[day] = None
        return self._count[day]

    def between(self, start: dt.date, end: dt.date) -> int | None:
        """As ``WorkingCalendar.working_days_between`` (None where a date is outside it)."""
        if end < start:
            one = dt.timedelta(days=1)
            later = self.between(end + one, start + one)
            return None if later is None else -later
        first, last = self._of(start), self._of(end)
        return None if first is None or last is None else last - first


def history(track: Track, days: Days) -> History:
    steps = []
    moves = 0
    before: dt.date | None = None
    for index, point in enumerate(track.points):
        slip = None
        if index and before is not None and point.forecast is not None:
            slip = days.between(before, point.forecast)
            moves += point.forecast != before
        steps.append(Step(point.meeting, point.date, point.forecast, point.rag, slip))
        before = point.forecast if point.forecast is not None else before
    known = [p.forecast for p in track.points if p.forecast is not None]
    total = days.between(known[0], known[-1]) if known else None
    return History(tuple(steps), moves, total)


def outcome(track: Track) -> tuple[int, dt.date] | None:
    """Where the milestone settled: the first point at which it was achieved or its forecast
    no longer lay after the meeting, and its date then (the actual date where recorded,
    else the forecast: the record's word when it fell due). None: not settled yet."""
    for index, point in enumerate(track.points):
        date = point.actual or point.forecast
        if date is not None and not point.ahead:
            return index, date
    return None


@dataclass(frozen=True)
class Cell:
    """What a forecast is judged by: how far ahead of its date it was made (a distance band)
    and whether the milestone had already slipped (its forecast then later than its first
    recorded one by more than the tolerance)."""

    band: int
    slipped: bool


def cell(track: Track, index: int, days: Days, config: ConfidenceConfig) -> Cell | None:
    """The cell of the forecast at ``track.points[index]``; None where none can be judged."""
    point = track.points[index]
    if not point.ahead or point.forecast is None:
        return None
    distance = days.between(point.date, point.forecast)
    first = next(p.forecast for p in track.points if p.forecast is not None)
    moved = days.between(first, point.forecast)
    if distance is None or moved is None:
        return None
    return Cell(config.distance_band(distance), moved > config.tolerance_days)


class _Counts:
    """Forecasts (held, made) by cell, for the programme and for each party, counted from
    the meeting their milestone settled at: what a judgement at a meeting may know."""

    def __init__(self, seen: Iterable[tuple[int, str, Cell, bool]]) -> None:
        groups: dict[tuple[str, Cell], list[tuple[int, bool]]] = defaultdict(list)
        for slot, party, where, held in seen:
            groups[("", where)].append((slot, held))
            groups[(party, where)].append((slot, held))
        self._slots: dict[tuple[str, Cell], list[int]] = {}
        self._cumulative: dict[tuple[str, Cell], list[tuple[int, int]]] = {}
        for group, found in groups.items():
            found.sort()
            held_so_far = 0
            cumulative = []
            for count, (_, held) in enumerate(found, 1):
                held_so_far += held
                cumulative.append((held_so_far, count))
            self._slots[group] = [slot for slot, _ in found]
            self._cumulative[group] = cumulative

    def upto(self, party: str, where: Cell, slot: int) -> tuple[int, int]:
        """(held, made) among the forecasts of milestones settled by meeting ``slot``."""
        slots = self._slots.get((party, where), [])
        index = bisect_right(slots, slot)
        return self._cumulative[(party, where)][index - 1] if index else (0, 0)


@dataclass(frozen=True)
class Estimate:
    probability: float  # the chance the forecast holds within tolerance
    band: Confidence
    cell: Cell
    party_held: int
    party_made: int
    programme_held: int
    programme_made: int


class Model:
    """The record of every milestone of a programme: for each settled one, whether each of
    its forecasts held; asked at any meeting for the chance that a forecast then holds."""

    def __init__(
        self, tracks: Sequence[Track], calendar: WorkingCalendar, config: ConfidenceConfig
    ) -> None:
        self.days, self.config = Days(calendar), config
        self._counts = _Counts(self._scored(tracks))

    def _scored(self, tracks: Sequence[Track]) -> Iterable[tuple[int, str, Cell, bool]]:
        for track in tracks:
            for _, where, held, settled in self.forecasts(track):
                yield settled, track.party, where, held

    def forecasts(self, track: Track) -> Iterable[tuple[int, Cell, bool, int]]:
        """(point index, cell, held, slot it settled at) of each judged forecast of a
        settled milestone."""
        found = outcome(track)
        if found is None:
            return
        last, date = found
        for index in range(last):
            where = cell(track, index, self.days, self.config)
            forecast = track.points[index].forecast
            if where is None or forecast is None:
                continue
            late = self.days.between(forecast, date)
            held = late is not None and late <= self.config.tolerance_days
            yield index, where, held, track.points[last].slot

    def estimate(self, track: Track, index: int) -> Estimate | None:
        """At ``track.points[index]``, from the milestones settled by then; None where the
        milestone is achieved, due or has no forecast."""
        where = cell(track, index, self.days, self.config)
        if where is None:
            return None
        slot = track.points[index].slot
        config = self.config
        all_held, all_made = self._counts.upto("", where, slot)
        held, made = self._counts.upto(track.party, where, slot)
        prior = config.prior_weight
        programme = (all_held + prior * config.prior_hold) / (all_made + prior)
        probability = (held + prior * programme) / (made + prior)
        return Estimate(
            probability, config.band(probability), where, held, made, all_held, all_made
        )


@dataclass(frozen=True)
class Judgement:
    """The derived confidence beside the stated one, and why, in words."""

    estimate: Estimate | None
    stated: str  # Confidence value, or "" where none is stated
    disagrees: bool
    reason: str


def judge(track: Track, model: Model) -> Judgement:
    """The milestone's derived confidence at its last recorded meeting."""
    point = track.points[-1]
    estimate = model.estimate(track, len(track.points) - 1)
    stated = point.stated
    if estimate is None:
        why = "achieved" if point.achieved else "no forecast" if point.forecast is None else "due"
        return Judgement(None, stated, False, f"Not judged: {why} at {point.meeting}.")
    config = model.config
    where = estimate.cell
    party = track.party or "the programme"
    reason = (
        f"Of the forecasts {party} made {config.distance_words(where.band)} before their date"
        f"{' after an earlier slip' if where.slipped else ' with no slip yet'}, "
        f"{estimate.party_held} of {estimate.party_made} held within "
        f"{config.tolerance_days} working days; across the programme "
        f"{estimate.programme_held} of {estimate.programme_made}: a "
        f"{estimate.probability:.0%} chance this one holds ({estimate.band.label})."
    )
    thin = estimate.party_made < config.min_evidence
    disagrees = bool(stated) and stated != estimate.band and not thin
    if stated and thin:
        reason += f" Stated {Confidence(stated).label}: too little record to weigh it against."
    elif disagrees:
        order = CONFIDENCE_ORDER.index
        higher = order(Confidence(stated)) > order(estimate.band)
        reason += (
            f" Stated {Confidence(stated).label}: "
            f"{'higher' if higher else 'lower'} than the record supports."
        )
    return Judgement(estimate, stated, disagrees, reason)


def float_days(
    forecast: dt.date | None, dependents: Iterable[dt.date | None], days: Days
) -> int | None:
    """Working days from ``forecast`` to the earliest dependent's date (negative: the
    dependent is forecast first); None where either is not known."""
    dates = [d for d in dependents if d is not None]
    if forecast is None or not dates:
        return None
    return days.between(forecast, min(dates))


@dataclass(frozen=True)
class Backtest:
    forecasts: int  # forecasts scored: each judged forecast of a settled milestone
    held: int  # … that held within tolerance
    brier: float  # mean squared error of the derived chance against held (1) or not (0)
    brier_naive: float  # the same for "every forecast holds" (a chance of 1)
    hits: int  # derived chance ≥ 0.5 exactly where the forecast held
    milestones: int  # settled milestones scored
    by_band: dict[str, tuple[int, int]]  # derived band → (forecasts, held)

    @property
    def beats_naive(self) -> bool:
        return self.brier < self.brier_naive


def backtest(tracks: Sequence[Track], model: Model) -> Backtest:
    """How well the derived confidence would have predicted the milestones that have
    settled: each judged forecast made before its milestone settled, the chance derived then
    (from the milestones settled by that meeting, never later) against whether it held."""
    scored = held_count = hits = 0
    settled: set[str] = set()
    brier = naive = 0.0
    by_band: dict[str, list[int]] = {c.value: [0, 0] for c in CONFIDENCE_ORDER}
    for track in tracks:
        for index, _, held, _ in model.forecasts(track):
            estimate = model.estimate(track, index)
            if estimate is None:
                continue
            settled.add(f"{track.kind}:{track.key}")
            scored += 1
            held_count += held
            brier += (estimate.probability - held) ** 2
            naive += (1 - held) ** 2
            hits += (estimate.probability >= 0.5) == held
            by_band[estimate.band][0] += 1
            by_band[estimate.band][1] += held
    return Backtest(
        scored,
        held_count,
        brier / scored if scored else 0.0,
        naive / scored if scored else 0.0,
        hits,
        len(settled),
        {band: (n, h) for band, (n, h) in by_band.items()},
    )
