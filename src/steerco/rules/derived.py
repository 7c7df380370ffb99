"""Register tables with their derived columns, from a frame: what the pack and the
dashboards print beside the stored values (previous RAG, movement, slots, totals…)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from steerco.core.calendar import WorkingCalendar, calendar_for
from steerco.io.exporter import Row
from steerco.rules import derive
from steerco.rules.frame import Earlier, RulesConfig


class Source(Protocol):
    """What a derivation reads: a frame (the registers as one audience may see them at one
    moment, and at the previous meeting), or rows built in memory (tests)."""

    @property
    def calendar(self) -> WorkingCalendar: ...
    @property
    def config(self) -> RulesConfig: ...
    @property
    def meeting_code(self) -> str | None: ...
    @property
    def previous_code(self) -> str | None: ...
    @property
    def today(self) -> dt.date: ...
    def rows(self, register: str, *, before: bool = False) -> list[Row]: ...
    def rows_where(self, register: str, **where: tuple[Any, ...]) -> list[Row]: ...
    def records(self, register: str, *, before: bool = False) -> list[Row]: ...
    def narrative(self) -> list[Row]: ...
    def earlier(self, register: str, count: int) -> list[Earlier]: ...
    def agenda(self) -> list[Row]: ...
    def history(self, name: str) -> list[tuple[Row, list[Row]]]: ...
    def history_version(self, names: Iterable[str]) -> Hashable | None: ...


@dataclass
class MemoryFrame:
    """Rows built in memory, by register (`steerco.registers`): a frame without a database."""

    now: dict[str, list[Row]] = field(default_factory=dict)
    before: dict[str, list[Row]] = field(default_factory=dict)
    config: RulesConfig = field(default_factory=RulesConfig)
    calendar: WorkingCalendar = field(default_factory=calendar_for)
    sections: list[Row] = field(default_factory=list)  # the current meeting's narrative
    agenda_items: list[Row] = field(default_factory=list)  # the current meeting's agenda
    # Register (or "register.child") → each meeting (code, date, cutoff) with its records then.
    histories: dict[str, list[tuple[Row, list[Row]]]] = field(default_factory=dict)
    meeting_code: str | None = "PSG-2"
    previous_code: str | None = "PSG-1"
    today: dt.date = dt.date(2023, 9, 6)  # the day the frame is read for (PSG-24's)
    # Earlier meetings: (code, date, rows by register), oldest first (``earlier``).
    earlier_meetings: list[tuple[str, dt.date, dict[str, list[Row]]]] = field(default_factory=list)

    def rows(self, register: str, *, before: bool = False) -> list[Row]:
        return (self.before if before else self.now).get(register, [])

    def rows_where(self, register: str, **where: tuple[Any, ...]) -> list[Row]:
        rows = self.rows(register)
        return [r for r in rows if all(r[name] in values for name, values in where.items())]

    def records(self, register: str, *, before: bool = False) -> list[Row]:
        return self.rows(register, before=before)

    def narrative(self) -> list[Row]:
        return self.sections

    def agenda(self) -> list[Row]:
        return self.agenda_items

    def earlier(self, register: str, count: int) -> list[Earlier]:
        """The last ``count`` of ``earlier_meetings``."""
        points = [
            Earlier(code, day, rows.get(register, [])) for code, day, rows in self.earlier_meetings
        ]
        return points[-count:] if count else []

    def history(self, name: str) -> list[tuple[Row, list[Row]]]:
        return self.histories.get(name, [])

    def history_version(self, names: Iterable[str]) -> Hashable | None:
        return None  # rows in memory: nothing to keep a computation by


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _time(value: Any) -> dt.time | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(str(value))


def of_meeting(source: Source, rows: list[Row], key: str) -> list[Row]:
    """The rows that belong to the meeting the source reports for (its agenda, its
    reports), named by ``key``: each meeting's check covers its own; the live state's
    (reported for no meeting), every meeting's."""
    code = source.meeting_code
    return [row for row in rows if code is None or row[key] == code]


def milestone_rows(frame: Source, current: list[Row] | None = None) -> list[Row]:
    """Milestones (``current``, else the frame's rows) with previous RAG (as of the
    previous meeting), slip and suggested RAG; ``rag`` and ``forecast_rag`` as the
    lifecycle rule fixes them (Grey after Blue: `derive.lifecycle_rag`), the RAG as recorded
    in ``recorded_rag``."""
    before = {row["code"]: row for row in frame.records("milestones", before=True)}
    rows = []
    for row in frame.rows("milestones") if current is None else current:
        previous = before.get(row["code"])
        previous_rag = previous["rag"] if previous else None
        rag = derive.lifecycle_rag(previous_rag, row["rag"])
        slip = derive.slip(_date(row["baseline_date"]), _date(row["forecast_date"]), frame.calendar)
        achieved = derive.achieved(row["rag"], row["actual_date"])
        rows.append(
            {
                **row,
                "recorded_rag": row["rag"],
                "rag": rag,
                "forecast_rag": derive.forecast_rag(rag, row.get("forecast_rag")),
                "previous_rag": previous_rag,
                "slip_working_days": slip,
                "suggested_rag": derive.suggested_rag(
                    slip, achieved=achieved, tolerances=frame.config.tolerances
                ),
            }
        )
    return rows


def raid_rows(frame: Source, current: list[Row] | None = None) -> list[Row]:
    """RAID items (``current``, else the frame's rows) with previous score, derived
    movement and bands."""
    before = {row["ref"]: row for row in frame.records("raid", before=True)}
    rows = []
    for row in frame.rows("raid") if current is None else current:
        previous = before.get(row["ref"])
        existed = previous is not None and frame.previous_code is not None
        rows.append(
            {
                **row,
                "previous_score": previous["current_score"] if previous else None,
                "movement": derive.movement(
                    previous["current_score"] if previous else None,
                    row["current_score"],
                    existed_before=existed,
                    closed=row["status"] == "closed",
                ),
                "initial_band": derive.band(row["initial_score"], frame.config.band_cutoffs),
                "current_band": derive.band(row["current_score"], frame.config.band_cutoffs),
                "target_band": derive.band(row["target_score"], frame.config.band_cutoffs),
            }
        )
    return rows


def theme_rows(frame: Source) -> list[Row]:
    """RAID themes with previous RAG and count, and the key risks counted under each."""
    before = {row["number"]: row for row in frame.records("raid-themes", before=True)}
    counts = derive.counts_per_theme(row["theme"] for row in frame.rows("raid"))
    rows = []
    for row in frame.rows("raid-themes"):
        previous = before.get(row["number"])
        rows.append(
            {
                **row,
                "previous_rag": previous["rag"] if previous else None,
                "previous_item_count": previous["stated_item_count"] if previous else None,
                "key_risks": counts.get(row["number"], 0),
            }
        )
    return rows


def agenda_rows(frame: Source, meeting_code: str) -> list[Row]:
    """A meeting's agenda with slot times derived from its start and the durations."""
    meeting = next((m for m in frame.rows("meetings") if m["code"] == meeting_code), None)
    if meeting is None:
        return []
    items = meeting["agenda_items"]
    start = _time(meeting["start_time"])
    slots = derive.agenda_slots(start, [i["duration_minutes"] for i in items]) if start else []
    rows = []
    for index, item in enumerate(items):
        slot = slots[index] if slots else (None, None)
        rows.append({**item, "slot_start": slot[0], "slot_end": slot[1]})
    return rows


def finance_table(frame: Source, cells: list[Row] | None = None) -> dict[str, Any]:
    """The finance grid by (financial year, row label) of ``cells`` (else the frame's rows),
    with derived totals beside the stated ones.

    Each row has, month by month: ``cells``, the cell that starts in the month (else None);
    ``spans``, how many months that cell covers as printed (0 for a month an earlier cell
    covers, 1 for an empty month); ``monthly``, the amount the month's sums count, a
    quarter's only where the pack splits it monthly (`derive.monthly_share`)."""
    cells = frame.rows("finance") if cells is None else cells
    grid: dict[tuple[str, str], dict[Any, Row]] = defaultdict(dict)
    order: list[tuple[str, str]] = []
    covered: set[dt.date] = set()
    for cell in cells:
        key = (cell["financial_year"], cell["row_label"])
        if key not in grid:
            order.append(key)
        grid[key][cell["month"]] = cell
        if cell["month"]:
            covered.update(derive.period_months(cell["month"], cell["period"]))
    months = sorted(covered)
    rows = []
    for key in order:
        by_month = grid[key]
        first = next(iter(by_month.values()))
        amounts = [c["amount"] for m, c in by_month.items() if m is not None]
        known = [Decimal(str(a)) for a in amounts if a is not None]
        spans = dict.fromkeys(months, 1)
        monthly: dict[dt.date, Decimal | None] = dict.fromkeys(months)
        for month, cell in by_month.items():
            if month is None:
                continue
            span = derive.period_months(month, cell["period"])
            amount = None if cell["amount"] is None else Decimal(str(cell["amount"]))
            share = derive.monthly_share(amount, cell["period"], cell["split_monthly"])
            spans.update(dict.fromkeys(span, 0))
            spans[month] = len(span)
            monthly.update(dict.fromkeys(span, share))
        rows.append(
            {
                "financial_year": key[0],
                "row_label": key[1],
                "party": first["party"],
                "measure": first["measure"],
                "cells": [by_month.get(m) for m in months],
                "spans": [spans[m] for m in months],
                "monthly": [monthly[m] for m in months],
                "stated_total": by_month.get(None),
                "derived_total": sum(known, Decimal(0)) if known else None,
            }
        )
    return {"months": months, "rows": rows}
