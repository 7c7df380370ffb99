"""Milestones: baseline and forecast, slip in working days, previous RAG and the RAG the
tolerances suggest; and those whose derived confidence is lowest."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from steerco.charts import Bar
from steerco.dashboards.basis import Source, rag_bars
from steerco.dashboards.confidence import MilestoneConfidence, lowest
from steerco.rules.derived import milestone_rows


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
    # The milestones least likely to hold their forecast (docs/confidence.md), as of the
    # last meeting held.
    least_credible: tuple[MilestoneConfidence, ...] = ()


def milestones(source: Source) -> Milestones:
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
        # Records, not rows: a milestone's own fields are all this reads (no predecessors).
        for r in milestone_rows(source, source.records("milestones"))
    )
    bodies = tuple(sorted({m.governing_body for m in rows} - {""}))
    return Milestones(
        source.previous_code, rows, bodies, tuple(rag_bars([m.rag for m in rows])), lowest(source)
    )
