"""Derivations only the pack needs (gates, the meeting's narrative, the next meetings):
plain functions over a frame's plain rows. The dashboards' are steerco.dashboards'."""

from __future__ import annotations

from dataclasses import dataclass

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
