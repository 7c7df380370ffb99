"""Schedule rules as data: a relation between two dates.

    A = B − 1 week            {"relation": "equals", "of": "B", "weeks": -1}
    A = B + 5 working days    {"relation": "equals", "of": "B", "working_days": 5}
    A ≤ B − 2 weeks           {"relation": "on_or_before", "of": "B", "weeks": -2}
    A = milestone's date      {"relation": "equals", "milestone": {"1": "T1-TE-1000"}}

A rule may name the timetable intervals it applies to (``"intervals": [2, 3]``). Whether a
date falls on a working day is checked for every date, not written per rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from steerco.core.calendar import WorkingCalendar

Kind = Literal["equals", "on_or_before", "on_or_after"]
KINDS: tuple[Kind, ...] = ("equals", "on_or_before", "on_or_after")
SYMBOL = {"equals": "=", "on_or_before": "≤", "on_or_after": "≥"}


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Relation:
    kind: Kind
    of: str = ""
    weeks: int = 0
    days: int = 0
    working_days: int = 0
    milestones: dict[int, str] = field(default_factory=dict)
    intervals: tuple[int, ...] = ()

    @classmethod
    def parse(cls, data: Any) -> Relation:
        if not isinstance(data, dict):
            raise RuleError(f"a rule must be a mapping, not {data!r}")
        unknown = set(data) - {
            "relation",
            "of",
            "weeks",
            "days",
            "working_days",
            "milestone",
            "intervals",
        }
        if unknown:
            raise RuleError(f"unknown rule keys: {', '.join(sorted(unknown))}")
        kind = data.get("relation")
        if kind not in KINDS:
            raise RuleError(f"relation must be one of {', '.join(KINDS)}, not {kind!r}")
        milestones = {int(k): str(v) for k, v in (data.get("milestone") or {}).items()}
        if bool(data.get("of")) == bool(milestones):
            raise RuleError("a rule names either another date ('of') or milestones, not both")
        try:
            return cls(
                kind=kind,
                of=str(data.get("of") or ""),
                weeks=int(data.get("weeks", 0)),
                days=int(data.get("days", 0)),
                working_days=int(data.get("working_days", 0)),
                milestones=milestones,
                intervals=tuple(int(i) for i in data.get("intervals") or ()),
            )
        except (TypeError, ValueError) as error:
            raise RuleError(f"offsets must be whole numbers: {error}") from None

    def applies_to(self, interval: int) -> bool:
        return not self.intervals or interval in self.intervals

    def target(self, base: dt.date, calendar: WorkingCalendar) -> dt.date:
        """The date the related date must equal (or not pass)."""
        day = base + dt.timedelta(weeks=self.weeks, days=self.days)
        if self.working_days:
            day = calendar.add_working_days(day, self.working_days)
        return day

    def holds(self, actual: dt.date, target: dt.date) -> bool:
        if self.kind == "equals":
            return actual == target
        if self.kind == "on_or_before":
            return actual <= target
        return actual >= target

    def describe(self, subject: str, base_name: str) -> str:
        parts = []
        if self.weeks:
            parts.append(f"{self.weeks:+d} week{'s' if abs(self.weeks) != 1 else ''}")
        if self.days:
            parts.append(f"{self.days:+d} day{'s' if abs(self.days) != 1 else ''}")
        if self.working_days:
            plural = "s" if abs(self.working_days) != 1 else ""
            parts.append(f"{self.working_days:+d} working day{plural}")
        offset = (" " + " ".join(parts)) if parts else ""
        return f"{subject} {SYMBOL[self.kind]} {base_name}{offset}"


def parse_all(rules: Any) -> list[Relation]:
    if rules in (None, ""):
        return []
    if not isinstance(rules, list):
        raise RuleError("rules must be a list")
    return [Relation.parse(rule) for rule in rules]
