"""A frame: one programme's registers frozen at a meeting's cut-off, as plain rows, as one
audience may see them (read through ``steerco.accounts.reader``).

The checker, the pack and the dashboards all read a frame, so they see the same state. The
frame also holds the state at the previous meeting, from which "previous RAG" and
"movement since last meeting" are derived. The checker and the PMO's edition read as the
operator (everything); each other edition of the pack reads as its audience.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from steerco.accounts.access import Can, Principal
from steerco.accounts.reader import OPERATOR, Reader
from steerco.core.calendar import WorkingCalendar, calendar_for
from steerco.core.models import Meeting, Programme
from steerco.io.exporter import Row, export
from steerco.planning.models import PlanRun
from steerco.rules.derive import DEFAULT_TOLERANCES, BandCutoffs, Tolerance


@dataclass
class RulesConfig:
    """A programme's rule settings (Programme.rules_config)."""

    band_cutoffs: BandCutoffs | None = None
    tolerances: tuple[Tolerance, ...] = DEFAULT_TOLERANCES
    far_rag_steps: int = 2

    @classmethod
    def of(cls, programme: Programme) -> RulesConfig:
        data: dict[str, Any] = programme.rules_config or {}
        cutoffs = data.get("band_cutoffs")
        tolerances = data.get("rag_tolerances")
        return cls(
            band_cutoffs=BandCutoffs(**cutoffs) if cutoffs else None,
            tolerances=tuple(Tolerance(t.get("max_slip"), t["rag"]) for t in tolerances)
            if tolerances
            else DEFAULT_TOLERANCES,
            far_rag_steps=int(data.get("far_rag_steps", 2)),
        )


@dataclass
class Frame:
    programme: Programme
    meeting: Meeting | None
    previous_meeting: Meeting | None
    as_of: dt.datetime | None
    today: dt.date
    calendar: WorkingCalendar
    config: RulesConfig
    who: Principal
    _now: Reader = field(repr=False)
    _before: Reader | None = field(repr=False)
    _cache: dict[tuple[str, bool], list[Row]] = field(default_factory=dict, repr=False)
    _plan: list[Row] | None = field(default=None, repr=False)

    def rows(self, register: str, *, before: bool = False) -> list[Row]:
        """The rows of a register (`steerco.registers`), now or at the previous meeting."""
        key = (register, before)
        if key not in self._cache:
            reader = self._before if before else self._now
            found = export(register, reader) if reader is not None else {}
            self._cache[key] = next(iter(found.values()), [])
        return self._cache[key]

    def plan_run(self) -> Row | None:
        """The programme's latest migration plan run finished by the cut-off (now, for the
        live state): a run finished later is not part of the frame, so a pack stays frozen.
        A row of the run's id, case name, synthetic flag, source, finished and result."""
        if self._plan is None and not self.who.may(Can.READ_PLANS):
            self._plan = []  # a plan holds suppliers' portfolios: not for every audience
        if self._plan is None:
            runs = PlanRun.objects.filter(programme=self.programme).finished(by=self.as_of)
            fields = ("pk", "case_name", "synthetic", "source", "finished", "result")
            self._plan = list(runs.values(*fields)[:1])
        return self._plan[0] if self._plan else None

    @property
    def label(self) -> str:
        return self.meeting.code if self.meeting else "now"


def build(
    programme: Programme,
    meeting: Meeting | None = None,
    *,
    today: dt.date | None = None,
    who: Principal = OPERATOR,
) -> Frame:
    """The frame at ``meeting``'s cut-off, or the live state when no meeting is given, as
    ``who`` may see it."""
    meetings = Meeting.objects.filter(programme=programme).order_by("cutoff")
    if meeting is not None:
        as_of: dt.datetime | None = meeting.cutoff
        previous = meetings.filter(cutoff__lt=meeting.cutoff, kind="regular").last()
        reference = meeting.date
    else:
        as_of = None
        previous = meetings.filter(cutoff__lte=timezone.now()).last()
        reference = today or timezone.localdate()
    return Frame(
        programme=programme,
        meeting=meeting,
        previous_meeting=previous,
        as_of=as_of,
        today=reference,
        calendar=calendar_for(programme.calendar_country, programme.calendar_subdivision or None),
        config=RulesConfig.of(programme),
        who=who,
        _now=Reader(programme, as_of, who),
        _before=Reader(programme, previous.cutoff, who) if previous else None,
    )
