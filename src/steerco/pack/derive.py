"""Derivations the pack needs beyond steerco.rules.derived: plain functions over a frame's
plain rows (candidates to move into steerco.rules once the dashboards need them too)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from steerco.io.exporter import Row
from steerco.rules.frame import Frame


@dataclass(frozen=True)
class GateState:
    met: int
    total: int
    unknown: int

    @property
    def ready(self) -> bool:
        """A gate is ready only when every criterion is met."""
        return self.total > 0 and self.met == self.total


def gate_state(gate: Row) -> GateState:
    states = [c["state"] for c in gate["criteria"]]
    return GateState(
        met=states.count("met"),
        total=len(states),
        unknown=sum(1 for s in states if s in ("unknown", "", None)),
    )


def mvc_shortfall(role: Row) -> int | None:
    """Market roles confirmed minus the number the SIT minimum viable cohort requires
    (negative: below the MVC); None where either number is not known."""
    if role["mvc_required"] is None or role["stated_confirmed"] is None:
        return None
    return int(role["stated_confirmed"]) - int(role["mvc_required"])


def narrative(frame: Frame, meeting_code: str) -> dict[str, Row]:
    """The meeting's narrative sections by slug."""
    for meeting in frame.rows("meetings"):
        if meeting["code"] == meeting_code:
            return {section["slug"]: section for section in meeting["sections"]}
    return {}


def later_meetings(frame: Frame, meeting_code: str) -> list[Row]:
    """Meetings after this one, by date: the pack's "next meetings"."""
    meetings = sorted(frame.rows("meetings"), key=lambda m: (str(m["date"]), m["code"]))
    codes = [m["code"] for m in meetings]
    if meeting_code not in codes:
        return []
    return meetings[codes.index(meeting_code) + 1 :]


@dataclass(frozen=True)
class MonthSum:
    total: Decimal | None
    parts: int
    unknown: int


def finance_sums(frame: Frame, measure: str) -> dict[tuple[str, Any], MonthSum]:
    """Per (financial year, month), the sum of the parties' known cells of one measure
    (``budget`` or ``actual_forecast``), leaving out the stated "Total" rows; ``unknown``
    counts the parties whose cell for that month is not known."""
    sums: dict[tuple[str, Any], list[Decimal | None]] = defaultdict(list)
    for cell in frame.rows("finance"):
        if cell["measure"] != measure or cell["party"] == "Total" or cell["month"] is None:
            continue
        amount = cell["amount"]
        sums[(cell["financial_year"], cell["month"])].append(
            None if amount is None else Decimal(str(amount))
        )
    result = {}
    for key, amounts in sums.items():
        known = [a for a in amounts if a is not None]
        result[key] = MonthSum(
            sum(known, Decimal(0)) if known else None, len(known), len(amounts) - len(known)
        )
    return result


@dataclass(frozen=True)
class MetricGroup:
    title: str
    items: list[Row]
    stated_total: Decimal | None


def metric_groups(frame: Frame, tracker: str) -> tuple[list[Row], list[MetricGroup]]:
    """A tracker's metrics: the single figures, and the groups (a breakdown with the stated
    total it belongs to, when there is one)."""
    metrics = [m for m in frame.rows("metrics") if m["tracker"] == tracker]
    totals = {m["total_of"]: m for m in metrics if m["total_of"]}
    grouped: dict[str, list[Row]] = defaultdict(list)
    for metric in metrics:
        if metric["group"]:
            grouped[metric["group"]].append(metric)
    singles = [m for m in metrics if not m["group"] and not m["total_of"]]
    groups = []
    for name, items in grouped.items():
        total = totals.get(name)
        title = total["label"] if total else name.replace("-", " ").capitalize()
        value = total["value"] if total else None
        groups.append(MetricGroup(title, items, None if value is None else Decimal(str(value))))
    return singles, groups


def band_counts(items: list[Row], field: str = "stated_band") -> Counter[str]:
    return Counter(str(item[field]) for item in items if item[field])
