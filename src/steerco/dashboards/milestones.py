"""Milestones: baseline and forecast, slip in working days, previous RAG and the RAG the
tolerances suggest; and those whose derived confidence is lowest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from steerco import charts
from steerco.charts import Bar, TimelineItem
from steerco.core.choices import Tier
from steerco.dashboards.basis import Source, rag_bars
from steerco.dashboards.confidence import MilestoneConfidence, lowest
from steerco.rules import derive
from steerco.rules.derived import _date, milestone_rows

# The tiers drawn on the timeline, a lane each: the programme's own milestones (tier 3, the
# workstreams', are in the tables).
TIMELINE_TIERS = (Tier.T1, Tier.T2)


@dataclass(frozen=True)
class MilestoneView:
    code: str
    tier: str
    title: str
    governing_body: str
    reporting_table: str
    baseline: dt.date | None
    forecast: dt.date | None
    slip: int | None  # working days, derived (None: a date is not known)
    previous_rag: str | None
    rag: str
    forecast_rag: str
    suggested_rag: str | None
    commentary: str


@dataclass(frozen=True)
class Milestones:
    previous: str | None
    milestones: tuple[MilestoneView, ...]
    bodies: tuple[str, ...]
    bars: tuple[Bar, ...]
    today: dt.date  # the day the state is read for: the meeting's, or today
    lanes: tuple[tuple[str, tuple[TimelineItem, ...]], ...]  # the timeline: a lane per tier
    # The milestones least likely to hold their forecast (docs/confidence.md), as of the
    # last meeting held.
    least_credible: tuple[MilestoneConfidence, ...] = ()


def milestones(source: Source) -> Milestones:
    # Records, not rows: a milestone's own fields are all this reads (no predecessors).
    found = milestone_rows(source, source.records("milestones"))
    rows = tuple(
        MilestoneView(
            code=r["code"],
            tier=r["tier"],
            title=r["title"],
            governing_body=r["governing_body"],
            reporting_table=r["reporting_table"],
            baseline=r["baseline_date"],
            forecast=r["forecast_date"],
            slip=r["slip_working_days"],
            previous_rag=r["previous_rag"],
            rag=r["rag"],
            forecast_rag=r["forecast_rag"],
            suggested_rag=r["suggested_rag"],
            commentary=r["commentary"],
        )
        for r in found
    )
    bodies = tuple(sorted({m.governing_body for m in rows} - {""}))
    lanes = tuple(
        (str(tier.label), members)
        for tier in TIMELINE_TIERS
        if (
            members := tuple(
                TimelineItem(
                    r["code"],
                    r["governing_body"],
                    _date(r["baseline_date"]),
                    _date(r["forecast_date"]),
                    r["slip_working_days"],
                    derive.achieved(r["recorded_rag"], r["actual_date"]),
                )
                for r in found
                if r["tier"] == tier
            )
        )
    )
    return Milestones(
        source.previous_code,
        rows,
        bodies,
        tuple(rag_bars([m.rag for m in rows])),
        source.today,
        lanes,
        lowest(source),
    )


TIMELINE_TITLE = "Milestone timeline: baseline against forecast, by tier"


def timeline_svg(found: Milestones, today: str) -> str:
    """The timeline of ``found`` (pack and web alike), its dashed line at the day the state
    is read for, labelled ``today`` ("Cut-off 6 Sep 2023"); empty where no lane is held."""
    if not found.lanes:
        return ""
    return charts.milestone_timeline(TIMELINE_TITLE, found.lanes, (today, found.today), width=720)
