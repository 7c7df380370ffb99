"""A milestone's forecast over the meetings on its page: the slip chart, each meeting's
forecast, RAG and slip, the float to what depends on it, and its derived confidence (the
computation: ``steerco.dashboards.confidence``; the method: docs/confidence.md)."""

from __future__ import annotations

from typing import Any

from steerco import charts
from steerco.accounts.access import Principal
from steerco.core.models import Programme
from steerco.dashboards.confidence import confidences
from steerco.milestones.models import Milestone
from steerco.rules.frame import live
from steerco.web.dashboards import svg


def milestone_forecast(programme: Programme, who: Principal, record: Milestone) -> dict[str, Any]:
    """The context the milestone's page adds (nothing before any meeting recorded it)."""
    found = confidences(live(programme, who)).of(record.code)
    if found is None:
        return {}
    known = [(s.date, s.forecast) for s in found.history.steps if s.forecast is not None]
    chart = (
        charts.slip_chart(
            f"{record.code}: forecast date at each meeting",
            known,
            baseline=record.baseline_date,
        )
        if known
        else ""
    )
    return {"forecast": found, "slip_chart": svg(chart) if chart else ""}
