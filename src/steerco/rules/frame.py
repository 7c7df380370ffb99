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

from django.db import models
from django.db.models import ForeignKey, ManyToOneRel
from django.utils import timezone

from steerco.accounts.access import Can, Principal, visible
from steerco.accounts.reader import OPERATOR, Reader
from steerco.core.models import Meeting, NarrativeSection, Programme

# _rows: export()'s rows of one section; a frame reads a section, never a whole register.
from steerco.io.exporter import ExportError, Row, _rows
from steerco.io.registry import REGISTERS, sections_of
from steerco.planning.models import PlanRun
from steerco.rules import derive
from steerco.rules.calendar import WorkingCalendar, calendar_for
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
    _cache: dict[tuple[str, str, bool], list[Row]] = field(default_factory=dict, repr=False)
    _plan: list[Row] | None = field(default=None, repr=False)
    # The meeting the state is reported for: ``meeting`` for a frozen frame; for the live
    # state the web shows, the programme's current meeting (None for the checker's --live).
    current: Meeting | None = None

    def rows(self, register: str, section: str | None = None, *, before: bool = False) -> list[Row]:
        """The rows of a register's section (its first when none is named), now or at the
        previous meeting: only that section is read, with its children nested."""
        return self._rows(register, section, before=before)

    def rows_where(self, register: str, section: str, **where: tuple[Any, ...]) -> list[Row]:
        """The rows of a section (now) whose fields hold one of the values given, as rows
        name them (a meeting by its code): what a page of one meeting's reports reads,
        rather than every meeting's."""
        key = (register, f"{section}?{sorted(where.items())}", False)
        if key not in self._cache:
            spec = next(s for s in sections_of(register) if s.key == section)
            filters: dict[str, Any] = {"programme_id": self.programme.pk}
            for name, values in where.items():
                field = spec.model._meta.get_field(name)
                target = field.related_model if isinstance(field, ForeignKey) else None
                natural = getattr(target, "NATURAL_KEY", None)
                filters[f"{name}__{natural}__in" if natural else f"{name}__in"] = values
            records = self._now.where(spec.model, **filters)
            _read_linked(self._now, spec.model, records)
            self._cache[key] = _rows(spec.model, records, self._now)
        return self._cache[key]

    def records(self, register: str, section: str, *, before: bool = False) -> list[Row]:
        """A section's records now (or at the previous meeting's cut-off), each with its own
        fields only: no children, foreign keys as ids. What a figure needs that reads no
        child and no name, without reading them."""
        key = (register, f"{section}:records", before)
        if key not in self._cache:
            spec = next(s for s in sections_of(register) if s.key == section)
            reader = self._before if before else self._now
            self._cache[key] = reader.all(spec.model) if reader else []
        return self._cache[key]

    def narrative(self) -> list[Row]:
        """The narrative sections (slug, title, Markdown body) of the meeting the state is
        reported for, in their order."""
        key = ("meetings", "sections:current", False)
        if key not in self._cache:
            found = []
            if self.current is not None:
                found = self._now.where(NarrativeSection, meeting_id=self.current.pk)
            self._cache[key] = found
        return self._cache[key]

    def _rows(self, register: str, section: str | None, *, before: bool) -> list[Row]:
        if register not in REGISTERS:
            raise ExportError(f"no register '{register}' (registers: {', '.join(REGISTERS)})")
        spec = next((s for s in sections_of(register) if section is None or s.key == section), None)
        key = (register, spec.key if spec else section or "", before)
        if key not in self._cache:
            reader = self._before if before else self._now
            if spec is None or reader is None:
                self._cache[key] = []
            else:
                # The exporter's rows for one section, so a page reads what it shows and
                # not its register's every section (export() reads them all).
                records = reader.all(spec.model)
                _read_linked(reader, spec.model, records)
                self._cache[key] = _rows(spec.model, records, reader)
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

    @property
    def meeting_code(self) -> str | None:
        return self.current.code if self.current else None

    @property
    def previous_code(self) -> str | None:
        return self.previous_meeting.code if self.previous_meeting else None


def _read_linked(reader: Reader, model: type[models.Model], records: list[Row]) -> None:
    """Read at once the records that ``records`` and their children name (a report's
    organisation and meeting, a participant's organisation), so that naming them takes a
    query per model rather than one per record: those the records name by id, and every
    one in the programme of a model their children name."""
    children = _descendants(model)
    for one in (model, *children):
        for link in one._meta.concrete_fields:
            target = link.related_model if isinstance(link, ForeignKey) else None
            if (
                not isinstance(target, type)
                or not issubclass(target, models.Model)
                or target in (Programme, model, *children)
            ):
                continue
            if one is model:
                reader.prefetch(target, (r[link.attname] for r in records))
            elif any(f.name == "programme" for f in target._meta.concrete_fields):
                reader.all(target)


def _descendants(model: type[models.Model]) -> list[type[models.Model]]:
    """The models whose records belong to a record of ``model``, at any depth."""
    found: list[type[models.Model]] = []
    level = [model]
    while level:
        below = []
        for one in level:
            for rel in one._meta.related_objects:
                child = rel.related_model
                cascades = isinstance(rel, ManyToOneRel) and rel.on_delete is models.CASCADE
                new = child is not model and child not in found
                if cascades and new and isinstance(child, type) and issubclass(child, models.Model):
                    found.append(child)
                    below.append(child)
        level = below
    return found


def build(
    programme: Programme,
    meeting: Meeting | None = None,
    *,
    today: dt.date | None = None,
    who: Principal = OPERATOR,
) -> Frame:
    """The frame at ``meeting``'s cut-off, or the live state when no meeting is given, as
    ``who`` may see it."""
    meetings = list(Meeting.objects.filter(programme=programme))
    if meeting is not None:
        as_of: dt.datetime | None = meeting.cutoff
        previous = derive.previous_meeting(meetings, meeting.cutoff)
        reference = meeting.date
    else:
        as_of = None
        previous = derive.previous_meeting(meetings, timezone.now())
        reference = today or timezone.localdate()
    return _frame(programme, meeting, previous, as_of, reference, who, current=meeting)


def live(programme: Programme, who: Principal) -> Frame:
    """The live state as ``who`` may see it, reported for the programme's current meeting
    (where ``who`` may see that meeting), "previous" values read at the meeting before it:
    what the web dashboards show."""
    meetings = list(visible(Meeting.objects.filter(programme=programme), who))
    current = next((m for m in meetings if m.code == programme.current_meeting_code), None)
    previous = derive.previous_meeting(meetings, current.cutoff) if current else None
    return _frame(programme, None, previous, None, timezone.localdate(), who, current=current)


def _frame(
    programme: Programme,
    meeting: Meeting | None,
    previous: Meeting | None,
    as_of: dt.datetime | None,
    today: dt.date,
    who: Principal,
    *,
    current: Meeting | None,
) -> Frame:
    return Frame(
        programme=programme,
        meeting=meeting,
        previous_meeting=previous,
        as_of=as_of,
        today=today,
        calendar=calendar_for(programme.calendar_country, programme.calendar_subdivision or None),
        config=RulesConfig.of(programme),
        who=who,
        _now=Reader(programme, as_of, who),
        _before=Reader(programme, previous.cutoff, who) if previous else None,
        current=current,
    )
