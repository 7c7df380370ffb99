"""Forecast history and derived confidence of every milestone — the programme's and those of
participants' delivery reports — computed once for the web (the milestones dashboard, a
milestone's page, the API) and the pack. The method: ``steerco.rules.confidence`` and
docs/confidence.md.

Every figure is read as of the meetings held by the source's moment, each meeting's state at
its cut-off, as the source's audience may see it (``Source.history``): a milestone is judged
at the last meeting that recorded it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from typing import Any

from steerco.io.exporter import Row
from steerco.rules.confidence import (
    Backtest,
    History,
    Judgement,
    Model,
    Point,
    Track,
    backtest,
    float_days,
    history,
    judge,
)
from steerco.rules.derived import Source

PROGRAMME, REPORT = "programme", "report"


@dataclass(frozen=True)
class MilestoneConfidence:
    key: str  # a programme milestone's code; a report milestone's "organisation: name"
    kind: str  # PROGRAMME or REPORT
    title: str
    party: str  # the workstream, or the reporting organisation
    meeting: str  # the meeting it was last recorded at (and is judged at)
    forecast: dt.date | None
    rag: str
    history: History
    float_days: int | None  # working days to the next dependent milestone or gate
    next_dependent: str  # what that is ("" where none is known)
    judgement: Judgement
    record_id: int | None = None  # a programme milestone's id, for a link to its page

    @property
    def probability(self) -> float | None:
        return self.judgement.estimate.probability if self.judgement.estimate else None

    @property
    def percent(self) -> int | None:
        """The chance the forecast holds, in whole per cent."""
        return None if self.probability is None else round(self.probability * 100)


@dataclass(frozen=True)
class Confidences:
    meeting: str | None  # the last meeting held, the one judged at
    items: tuple[MilestoneConfidence, ...]
    model: Model
    tracks: tuple[Track, ...]

    def of(self, key: str) -> MilestoneConfidence | None:
        return next((m for m in self.items if m.key == key), None)

    def lowest(self, count: int | None = None) -> tuple[MilestoneConfidence, ...]:
        """The judged milestones least likely to hold their forecast, least likely first."""
        judged = [m for m in self.items if m.probability is not None]
        judged.sort(key=lambda m: (m.probability, m.forecast or dt.date.max, m.key))
        return tuple(judged[: self.model.config.lowest if count is None else count])


# What the computation reads (``Source.history``, and the organisations' names).
READS = (
    "milestones",
    "milestones.predecessors",
    "gates",
    "gates.criteria",
    "reports",
    "reports.milestones",
    "organisations",
)
_KEPT: OrderedDict[Hashable, Confidences] = OrderedDict()
KEEP = 16  # computations kept per process: a programme's audiences and recent meetings
_LOCK = threading.Lock()


def confidences(source: Source) -> Confidences:
    """Every milestone's history and confidence. Kept per process by the version of what
    it reads (``Source.history_version``), so that a page asks one query, not the whole
    history, until a record changes or a meeting's cut-off passes."""
    version = source.history_version(READS)
    if version is not None:
        with _LOCK:  # a threaded server's requests share the computations kept
            kept = _KEPT.get(version)
            if kept is not None:
                _KEPT.move_to_end(version)
                return kept
    found = _compute(source)
    if version is not None:
        with _LOCK:
            _KEPT[version] = found
            while len(_KEPT) > KEEP:
                _KEPT.popitem(last=False)
    return found


def forget() -> None:
    """Drop the computations kept (a test measuring the computation itself)."""
    with _LOCK:
        _KEPT.clear()


def _compute(source: Source) -> Confidences:
    meetings, tracks = _tracks(source)
    model = Model(tracks, source.calendar, source.config.confidence)
    dependents = _dependents(source, tracks)
    held = source.history("milestones")
    ids = {r["code"]: r["id"] for r in held[-1][1]} if held else {}
    items = []
    for track in tracks:
        last = track.points[-1]
        later = dependents.get(track.key, []) if track.kind == PROGRAMME else []
        spare = float_days(last.forecast, (d for _, d in later), model.days)
        first = min(later, key=lambda d: d[1] or dt.date.max, default=("", None))
        items.append(
            MilestoneConfidence(
                key=track.key,
                kind=track.kind,
                title=track.title,
                party=track.party,
                meeting=last.meeting,
                forecast=last.forecast,
                rag=last.rag,
                history=history(track, model.days),
                float_days=spare,
                next_dependent=first[0] if first[1] is not None else "",
                judgement=judge(track, model),
                record_id=ids.get(track.key) if track.kind == PROGRAMME else None,
            )
        )
    current = meetings[-1]["code"] if meetings else None
    return Confidences(current, tuple(items), model, tuple(tracks))


def lowest(source: Source, count: int | None = None) -> tuple[MilestoneConfidence, ...]:
    """The milestones whose derived confidence is lowest: what a summary of the pack lists."""
    return confidences(source).lowest(count)


def backtested(source: Source) -> Backtest:
    """The method's back-test over the source's whole history (``steerco.rules.confidence``)."""
    found = confidences(source)
    return backtest(found.tracks, found.model)


def as_json(source: Source, programme: str, as_of: str | None) -> dict[str, Any]:
    """Every milestone's history and confidence as plain JSON values (the API's shape)."""
    found = confidences(source)
    return {
        "programme": programme,
        "as_of": as_of,
        "judged_at": found.meeting,
        "method": dataclasses.asdict(found.model.config),
        "milestones": [_json(m) for m in found.items],
    }


def _json(m: MilestoneConfidence) -> dict[str, Any]:
    estimate = m.judgement.estimate
    return {
        "key": m.key,
        "kind": m.kind,
        "title": m.title,
        "party": m.party,
        "meeting": m.meeting,
        "forecast": m.forecast,
        "rag": m.rag,
        "reforecasts": m.history.reforecasts,
        "total_slip": m.history.total_slip,
        "float_days": m.float_days,
        "next_dependent": m.next_dependent,
        "derived": None
        if estimate is None
        else {
            "probability": round(estimate.probability, 4),
            "confidence": str(estimate.band.value),
            "party_held": estimate.party_held,
            "party_made": estimate.party_made,
            "programme_held": estimate.programme_held,
            "programme_made": estimate.programme_made,
        },
        "stated": m.judgement.stated,
        "disagrees": m.judgement.disagrees,
        "reason": m.judgement.reason,
        "history": [dataclasses.asdict(step) for step in m.history.steps],
    }


# -- the record over the meetings, as tracks ---------------------------------------------------


def _tracks(source: Source) -> tuple[list[Row], list[Track]]:
    held = source.history("milestones")
    meetings = [meeting for meeting, _ in held]
    points: dict[str, list[Point]] = defaultdict(list)  # by code
    about: dict[str, Row] = {}
    for slot, (meeting, records) in enumerate(held):
        for record in records:
            points[record["code"]].append(_point(slot, meeting, record))
            about[record["code"]] = record
    tracks = [
        Track(code, PROGRAMME, about[code]["workstream"], about[code]["title"], tuple(found))
        for code, found in points.items()
    ]
    tracks.sort(key=lambda t: (about[t.key]["order"], t.key))
    return meetings, tracks + _report_tracks(source)


def _point(slot: int, meeting: Row, record: Row, stated: str = "") -> Point:
    return Point(
        slot=slot,
        meeting=meeting["code"],
        date=meeting["date"],
        forecast=record.get("forecast_date"),  # records as stored: dates, never text
        rag=record.get("rag") or "",
        actual=record.get("actual_date"),
        stated=stated,
    )


def _report_tracks(source: Source) -> list[Track]:
    """A report milestone over the meetings: the milestone of the same name in the same
    organisation's report for each meeting (a name given twice in one report is told apart
    by its place among those of that name)."""
    reports = source.history("reports")
    lines = source.history("reports.milestones")
    names = {o["id"]: o["name"] for o in source.records("organisations")}
    points: dict[tuple[Any, str, int], list[Point]] = defaultdict(list)
    titles: dict[tuple[Any, str, int], str] = {}
    for slot, ((meeting, found), (_, milestones)) in enumerate(zip(reports, lines, strict=True)):
        own = {r["id"]: r for r in found if r["meeting_id"] == meeting["id"]}
        seen: dict[tuple[Any, str], int] = defaultdict(int)
        for line in milestones:
            report = own.get(line["report_id"])
            if report is None:
                continue
            name = " ".join(line["name"].split())
            same = (report["organisation_id"], name.lower())
            seen[same] += 1
            key = (*same, seen[same])
            points[key].append(_point(slot, meeting, line, line.get("confidence") or ""))
            titles[key] = name
    tracks = []
    for key, series in points.items():
        party = names.get(key[0], "an organisation")
        label = f"{party}: {titles[key]}" + (f" ({key[2]})" if key[2] > 1 else "")
        tracks.append(Track(label, REPORT, party, titles[key], tuple(series)))
    return sorted(tracks, key=lambda t: t.key)


def _dependents(
    source: Source, tracks: Iterable[Track]
) -> dict[str, list[tuple[str, dt.date | None]]]:
    """Programme milestone code → what depends on it, as of the last meeting held: the
    milestones that name it as a predecessor, and the gates with a criterion on it (a gate
    falls on its own milestone's forecast), each with its forecast date."""
    forecast = {t.key: t.points[-1].forecast for t in tracks if t.kind == PROGRAMME}
    links = source.history("milestones.predecessors")
    gates = source.history("gates")
    criteria = source.history("gates.criteria")
    found: dict[str, list[tuple[str, dt.date | None]]] = defaultdict(list)
    if links:
        codes = {r["id"]: r["code"] for r in source.history("milestones")[-1][1]}
        for link in links[-1][1]:
            after = codes.get(link["milestone_id"])
            if after is not None:
                found[link["predecessor_code"]].append((after, forecast.get(after)))
    if gates:
        by_id = {g["id"]: g for g in gates[-1][1]}
        for criterion in criteria[-1][1]:
            gate = by_id.get(criterion["gate_id"])
            if gate is not None and criterion["target_code"]:
                code = gate["milestone_code"]
                found[criterion["target_code"]].append((f"gate {code}", forecast.get(code)))
    return found
