"""A delivery report's history with its rows': who changed what, when and why, newest
first, each row decided by the reader as the report stood when it was written
(steerco.records.history does the diffing)."""

from __future__ import annotations

from typing import Any

from steerco.accounts.access import Principal
from steerco.accounts.reader import visible_history
from steerco.portal.services import CHILDREN
from steerco.records.history import Entry, entries, record_history, rows_before
from steerco.reports.models import DeliveryReport


def report_history(report: DeliveryReport, who: Principal) -> list[Entry]:
    found = record_history(DeliveryReport, report.pk, who, "Report")
    for _, model in CHILDREN:
        history: Any = model.history  # type: ignore[attr-defined]
        rows = visible_history(model, list(history.filter(report_id=report.pk)), who)
        label = str(model._meta.verbose_name).capitalize()
        found += entries(label, model, rows, rows_before(model, rows), who)
    return sorted(found, key=lambda e: e.at, reverse=True)
