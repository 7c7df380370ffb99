"""Executive summary: the programme's overall RAG and its trend over recent meetings, the
milestones achieved, slipped and at risk since the last meeting, the top risks by current
score, the decisions this meeting is asked for, the open actions due and the delivery reports
received against those due. Every figure derived from the registers as the audience may see
them; the pack's summary page and the web's summary dashboard both render this one result."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from steerco.core.choices import RAG_SEVERITY, REPORT_RECEIVED, Tier
from steerco.dashboards.basis import Source
from steerco.dashboards.confidence import MilestoneConfidence, lowest
from steerco.io.exporter import Row
from steerco.rules import derive
from steerco.rules.derived import _date, milestone_rows, raid_rows

TREND_MEETINGS = 5  # earlier meetings in the trend, besides this one
TOP_RISKS = 5
WORSE_THAN_GREEN = RAG_SEVERITY["green"]
# What the figures mean, said once for the pack and the web.
DUE_RULE = (
    "Due: every organisation that reported for the previous meeting or has a report for this "
    "one; received: submitted or published."
)
AT_RISK_RULE = (
    "Slip is in working days of the programme's calendar, forecast against baseline. Slipped: "
    "the forecast is later than at the previous meeting's cut-off. At risk: not achieved, and "
    "reported worse than Green or with its forecast before the meeting's date."
)


@dataclass(frozen=True)
class TrendPoint:
    meeting: str
    date: dt.date | None
    rag: str | None  # None: not known (no milestone of the tier with a RAG)


@dataclass(frozen=True)
class MilestoneChange:
    code: str
    tier: str
    title: str
    governing_body: str
    baseline: dt.date | None
    forecast: dt.date | None
    previous_forecast: dt.date | None  # at the previous meeting's cut-off
    slip: int | None  # working days past baseline (None: a date is not known)
    moved: int | None  # working days the forecast moved since the previous meeting
    previous_rag: str | None
    rag: str
    overdue: bool  # forecast before the meeting and not achieved


@dataclass(frozen=True)
class TopRisk:
    ref: str
    description: str
    current: int
    band: str | None
    movement: str


@dataclass(frozen=True)
class DecisionNeeded:
    source: str  # "Agenda item 2" or "Decision CP2"
    title: str
    detail: str
    by: str  # who leads or decides it ("" where not known)


@dataclass(frozen=True)
class ActionDue:
    ref: str
    text: str
    owners: str
    due: dt.date
    status: str
    overdue: bool  # due before the meeting's date


@dataclass(frozen=True)
class ReportReturn:
    organisation: str
    status: str  # "" where nothing is recorded for this meeting
    received: bool


@dataclass(frozen=True)
class Summary:
    meeting: str | None
    previous: str | None
    date: dt.date  # the meeting's date: what "due" and "overdue" are measured against
    tier: str  # the tier whose open milestones give the overall RAG
    trend: tuple[TrendPoint, ...]  # earlier meetings, oldest first, then this one
    achieved: tuple[MilestoneChange, ...]
    slipped: tuple[MilestoneChange, ...]
    at_risk: tuple[MilestoneChange, ...]
    unknown_moves: int  # open milestones whose forecast at the previous meeting is not known
    risks: tuple[TopRisk, ...]
    unscored_risks: int  # open risks whose current score is not known
    decisions: tuple[DecisionNeeded, ...]
    actions: tuple[ActionDue, ...]
    undated_actions: int  # open actions with no due date (a due text, or none)
    returns: tuple[ReportReturn, ...]
    # The milestones least likely to hold their forecast (steerco.dashboards.confidence).
    least_credible: tuple[MilestoneConfidence, ...] = ()

    @property
    def rag(self) -> str | None:
        return self.trend[-1].rag if self.trend else None

    @property
    def rag_rule(self) -> str:
        tier = Tier(self.tier).label if self.tier in Tier.values else "top-tier"
        return (
            "The overall RAG is derived, never typed: the most severe current RAG of the "
            f"programme's {tier} milestones not yet achieved (Blue once all are), read at "
            "each meeting's cut-off from the milestones' history."
        )

    @property
    def milestone_counts(self) -> str:
        """ "5 achieved, 0 slipped (22 not known), 5 at risk": a slip not known is said."""
        unknown = f" ({self.unknown_moves} not known)" if self.unknown_moves else ""
        return (
            f"{len(self.achieved)} achieved, {len(self.slipped)} slipped{unknown}, "
            f"{len(self.at_risk)} at risk"
        )

    @property
    def received(self) -> int:
        return sum(1 for r in self.returns if r.received)

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)


# -- the overall RAG -----------------------------------------------------------------------


def top_tier(milestones: list[Row]) -> str:
    """The programme's top tier: the lowest tier named (T1 before T2)."""
    return min((str(m["tier"]) for m in milestones if m["tier"]), default="")


def programme_rag(milestones: list[Row], tier: str) -> str | None:
    """The programme's overall RAG: the most severe RAG of its open top-tier milestones;
    Blue once every one is achieved; None where none has a RAG."""
    own = [m for m in milestones if m["tier"] == tier]
    open_ = [m for m in own if not derive.achieved(m["rag"], m.get("actual_date"))]
    rags = [str(m["rag"]) for m in open_ if m["rag"] in RAG_SEVERITY]
    if rags:
        return max(rags, key=lambda rag: RAG_SEVERITY[rag])
    return "blue" if own and not open_ else None


def trend(source: Source, tier: str, now: list[Row], day: dt.date) -> tuple[TrendPoint, ...]:
    points = [
        TrendPoint(e.code, e.date, programme_rag(e.rows, tier))
        for e in source.earlier("milestones", TREND_MEETINGS)
    ]
    points.append(TrendPoint(source.meeting_code or "now", day, programme_rag(now, tier)))
    return tuple(points)


# -- milestones ----------------------------------------------------------------------------


def milestone_changes(
    source: Source, rows: list[Row], day: dt.date
) -> tuple[list[MilestoneChange], list[MilestoneChange], list[MilestoneChange], int]:
    """Achieved since the previous meeting, slipped since it (forecast later than it was
    at its cut-off), at risk (open, reported worse than Green or past its forecast); and
    how many open milestones had no forecast known at the previous meeting."""
    before = {r["code"]: r for r in source.records("milestones", before=True)}
    achieved, slipped, at_risk = [], [], []
    unknown = 0
    for row in rows:
        previous = before.get(row["code"])
        done = derive.achieved(row["recorded_rag"], row["actual_date"])
        was_done = previous is not None and derive.achieved(
            previous["rag"], previous.get("actual_date")
        )
        forecast, earlier = _date(row["forecast_date"]), None
        if previous is not None:
            earlier = _date(previous["forecast_date"])
        change = MilestoneChange(
            code=row["code"],
            tier=row["tier"],
            title=row["title"],
            governing_body=row["governing_body"],
            baseline=_date(row["baseline_date"]),
            forecast=forecast,
            previous_forecast=earlier,
            slip=row["slip_working_days"],
            moved=derive.slip(earlier, forecast, source.calendar),
            previous_rag=row["previous_rag"],
            rag=row["rag"],
            overdue=not done and forecast is not None and forecast < day,
        )
        if done:
            if not was_done and source.previous_code is not None:
                achieved.append(change)
            continue
        if change.moved is None:
            if previous is not None:  # a milestone new since then has not moved
                unknown += 1
        elif change.moved > 0:
            slipped.append(change)
        if RAG_SEVERITY.get(change.rag, 0) > WORSE_THAN_GREEN or change.overdue:
            at_risk.append(change)
    at_risk.sort(key=lambda m: (-RAG_SEVERITY.get(m.rag, 0), m.forecast or dt.date.max, m.code))
    slipped.sort(key=lambda m: (-(m.moved or 0), m.code))
    return achieved, slipped, at_risk, unknown


# -- risks, decisions, actions, reports ----------------------------------------------------


def top_risks(source: Source) -> tuple[tuple[TopRisk, ...], int]:
    # Records: a risk's own fields are all this reads (no mitigations, no theme's name).
    rows = raid_rows(source, source.records("raid"))
    open_ = [r for r in rows if r["type"] == "risk" and r["status"] != "closed"]
    scored = sorted(
        (r for r in open_ if r["current_score"] is not None),
        key=lambda r: (-r["current_score"], r["ref"]),
    )
    risks = tuple(
        TopRisk(
            r["ref"],
            r["description"],
            r["current_score"],
            r["current_band"] or r["stated_band"] or None,
            r["movement"],
        )
        for r in scored[:TOP_RISKS]
    )
    return risks, len(open_) - len(scored)


def decisions_needed(source: Source, meeting: Row | None) -> tuple[DecisionNeeded, ...]:
    """The agenda's decision items, and the decisions register's for this meeting that
    have no outcome yet."""
    if meeting is None:
        return ()
    found = [
        DecisionNeeded(
            f"Agenda item {item['number']}", item["title"], item["objective"], item["lead"]
        )
        for item in source.agenda()
        if item["type"] == "decision"
    ]
    found += [
        DecisionNeeded(f"Decision {d['ref']}", d["title"], "", d["decided_by"])
        for d in source.records("decisions")
        if d["meeting_id"] == meeting["id"] and not d["outcome"]
    ]
    return tuple(found)


def actions_due(source: Source, day: dt.date) -> tuple[tuple[ActionDue, ...], int]:
    """Open actions due on or before the meeting's date, soonest first; and how many open
    actions have no due date to measure."""
    open_ = [a for a in source.records("actions") if a["status"] != "closed"]
    found = []
    for action in open_:
        due = _date(action["due_date"])
        if due is not None and due <= day:
            found.append(
                ActionDue(
                    action["ref"],
                    action["text"],
                    action["owners"],
                    due,
                    action["status"],
                    due < day,
                )
            )
    found.sort(key=lambda a: (a.due, a.ref))
    return tuple(found), sum(1 for a in open_ if _date(a["due_date"]) is None)


def report_returns(source: Source, meetings: dict[str, Row]) -> tuple[ReportReturn, ...]:
    """Each organisation due to report for this meeting (it reported for the previous one,
    or has a report for this one), with what it has returned."""
    now, before = meetings.get(source.meeting_code or ""), meetings.get(source.previous_code or "")
    if now is None:
        return ()
    ids = {m["id"] for m in (now, before) if m is not None}
    reports = [r for r in source.records("reports") if r["meeting_id"] in ids]
    if not reports:
        return ()
    names = {o["id"]: o["name"] for o in source.records("organisations")}
    # An organisation's most advanced report for the meeting counts (a draft beside a
    # published one does not undo it).
    status: dict[Any, str] = {}
    for report in reports:
        org, now_status = report["organisation_id"], report["status"]
        if report["meeting_id"] == now["id"] and status.get(org) not in REPORT_RECEIVED:
            status[org] = now_status
    returns = [
        ReportReturn(
            str(names.get(org) or derive.UNKNOWN_WORD),
            status.get(org, ""),
            status.get(org) in REPORT_RECEIVED,
        )
        for org in {r["organisation_id"] for r in reports}
    ]
    return tuple(sorted(returns, key=lambda r: (r.received, r.organisation.lower())))


LEAST_CREDIBLE = 5  # the milestones least likely to hold that the summary lists


def summary(source: Source) -> Summary:
    # Records, not rows: a milestone's own fields are all this reads (no predecessors).
    now = source.records("milestones")
    rows = milestone_rows(source, now)
    tier = top_tier(now)
    meetings = {str(m["code"]): m for m in source.records("meetings")}
    meeting = meetings.get(source.meeting_code or "")
    day = (_date(meeting["date"]) if meeting else None) or source.today
    achieved, slipped, at_risk, unknown_moves = milestone_changes(source, rows, day)
    risks, unscored = top_risks(source)
    actions, undated = actions_due(source, day)
    return Summary(
        meeting=source.meeting_code,
        previous=source.previous_code,
        date=day,
        tier=tier,
        trend=trend(source, tier, now, day),
        achieved=tuple(achieved),
        slipped=tuple(slipped),
        at_risk=tuple(at_risk),
        unknown_moves=unknown_moves,
        risks=risks,
        unscored_risks=unscored,
        decisions=decisions_needed(source, meeting),
        actions=actions,
        undated_actions=undated,
        returns=report_returns(source, meetings),
        least_credible=lowest(source, LEAST_CREDIBLE),
    )
