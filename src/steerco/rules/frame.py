"""A frame: one programme's registers frozen at a meeting's cut-off, as plain rows, as one
audience may see them (read through ``steerco.accounts.reader``).

The checker, the pack and the dashboards all read a frame, so they see the same state. The
frame also holds the state at the previous meeting, from which "previous RAG" and
"movement since last meeting" are derived. The checker and the PMO's edition read as the
operator (everything); each other edition of the pack reads as its audience.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.db import connection, models
from django.db.models import ForeignKey
from django.utils import timezone

from steerco import registers
from steerco.accounts.access import Can, Principal, visible
from steerco.accounts.reader import OPERATOR, Reader, states_at
from steerco.core.calendar import WorkingCalendar
from steerco.core.choices import MeetingKind
from steerco.core.models import AgendaItem, Meeting, NarrativeSection, Paper, Programme, Stated

# _rows: export()'s rows of chosen records (one meeting's reports), not the whole register's.
from steerco.io.exporter import ExportError, Row, _rows, export
from steerco.planning.models import PlanRun
from steerco.rules import derive
from steerco.rules.confidence import ConfidenceConfig
from steerco.rules.derive import DEFAULT_TOLERANCES, BandCutoffs, Tolerance


@dataclass(frozen=True)
class ConsistencyConfig:
    """Settings of the consistency rules (`steerco.rules.consistency`), under
    ``rules_config["consistency"]``."""

    # The programme's first and last day; unset, its meetings' first and last dates.
    span_start: dt.date | None = None
    span_end: dt.date | None = None
    span_margin_years: int = 5  # a year further outside the span cannot be right
    name_threshold: float = 0.8  # difflib ratio from which a name is close to another
    name_min_length: int = 5  # shorter names are not compared (too many look alike)
    order_min_entries: int = 4  # a shorter milestone list is not judged for its order
    order_min_step_days: int = 90  # a smaller step back may be a list grouped by theme
    # Programme milestone code → the names reports give it, beyond its code, M-number, title.
    milestone_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A report's RAID entry whose text holds one of these words (in capitals) is closed.
    closed_words: tuple[str, ...] = ("CLOSED", "COMPLETE", "COMPLETED", "DONE", "RESOLVED")

    @classmethod
    def of(cls, data: dict[str, Any]) -> ConsistencyConfig:
        default = cls()
        span = data.get("span") or {}
        return cls(
            span_start=_day(span.get("start")),
            span_end=_day(span.get("end")),
            span_margin_years=int(data.get("span_margin_years", default.span_margin_years)),
            name_threshold=float(data.get("name_threshold", default.name_threshold)),
            name_min_length=int(data.get("name_min_length", default.name_min_length)),
            order_min_entries=int(data.get("order_min_entries", default.order_min_entries)),
            order_min_step_days=int(data.get("order_min_step_days", default.order_min_step_days)),
            milestone_aliases={
                str(code): tuple(str(n) for n in names)
                for code, names in (data.get("milestone_aliases") or {}).items()
            },
            closed_words=tuple(data.get("closed_words", default.closed_words)),
        )


def _day(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


@dataclass
class RulesConfig:
    """A programme's rule settings (Programme.rules_config)."""

    band_cutoffs: BandCutoffs | None = None
    tolerances: tuple[Tolerance, ...] = DEFAULT_TOLERANCES
    far_rag_steps: int = 2
    consistency: ConsistencyConfig = field(default_factory=ConsistencyConfig)
    confidence: ConfidenceConfig = field(default_factory=ConfidenceConfig)

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
            consistency=ConsistencyConfig.of(data.get("consistency") or {}),
            confidence=ConfidenceConfig.of(data.get("confidence") or {}),
        )


@dataclass(frozen=True)
class Earlier:
    """A register as it stood at an earlier meeting's cut-off: a point of a trend."""

    code: str
    date: dt.date
    rows: list[Row]  # the register's records (own fields only), as the frame's reader sees


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
    _earlier: dict[tuple[str, int], list[Earlier]] = field(default_factory=dict, repr=False)
    _history: dict[str, list[tuple[Row, list[Row]]]] = field(default_factory=dict, repr=False)
    _held: list[Row] | None = field(default=None, repr=False)
    # The meeting the state is reported for: ``meeting`` for a frozen frame; for the live
    # state the web shows, the programme's current meeting (None for the checker's --live).
    current: Meeting | None = None

    def rows(self, register: str, *, before: bool = False) -> list[Row]:
        """The rows of a register (`steerco.registers`), now or at the previous meeting."""
        key = (register, before)
        if key not in self._cache:
            reader = self._before if before else self._now
            if reader is None:
                self._cache[key] = []
            else:
                model = _model(register)
                _read_linked(reader, model, reader.all(model))
                found = export(register, reader)
                rows = next(iter(found.values()), [])
                self._cache[key] = _stated_at(model, rows, self._stated_meeting(before))
        return self._cache[key]

    def rows_where(self, register: str, **where: tuple[Any, ...]) -> list[Row]:
        """The rows of a register (now) whose fields hold one of the values given, as rows
        name them (a meeting by its code): what a page of one meeting's reports reads,
        rather than every meeting's."""
        key = (f"{register}?{sorted(where.items())}", False)
        if key not in self._cache:
            model = _model(register)
            filters: dict[str, Any] = {"programme_id": self.programme.pk}
            for name, values in where.items():
                link = model._meta.get_field(name)
                target = link.related_model if isinstance(link, ForeignKey) else None
                natural = getattr(target, "NATURAL_KEY", None)
                filters[f"{name}__{natural}__in" if natural else f"{name}__in"] = values
            records = self._now.where(model, **filters)
            _read_linked(self._now, model, records)
            rows = _rows(model, records, self._now)
            self._cache[key] = _stated_at(model, rows, self._stated_meeting(False))
        return self._cache[key]

    def records(self, register: str, *, before: bool = False) -> list[Row]:
        """A register's records now (or at the previous meeting's cut-off), each with its
        own fields only: no children, foreign keys as ids. What a figure needs that reads no
        child and no name, without reading them."""
        key = (f"{register}:records", before)
        if key not in self._cache:
            reader = self._before if before else self._now
            model = _model(register)
            records = reader.all(model) if reader else []
            self._cache[key] = _stated_at(model, records, self._stated_meeting(before))
        return self._cache[key]

    def earlier(self, register: str, count: int) -> list[Earlier]:
        """A register's records at each of the ``count`` latest regular meetings frozen
        before the one reported for (oldest first), each read at its own cut-off as the
        frame's reader may see it: the points of a trend over recent meetings."""
        key = (register, count)
        if key not in self._earlier:
            until = self.as_of or timezone.now()
            current = self.current.pk if self.current else None
            meetings = (
                sorted(
                    (
                        m
                        for m in self.records("meetings")  # those the reader may see
                        if m["kind"] == MeetingKind.REGULAR
                        and m["cutoff"] is not None
                        and m["cutoff"] < until
                        and m["id"] != current
                    ),
                    key=lambda m: m["cutoff"],
                )[-count:]
                if count
                else []
            )
            model = _model(register)
            found = []
            for meeting in meetings:
                if self.previous_meeting is not None and meeting["id"] == self.previous_meeting.pk:
                    rows = self.records(register, before=True)
                else:
                    reader = Reader(self.programme, meeting["cutoff"], self.who)
                    at = Meeting(pk=meeting["id"], code=meeting["code"])  # what it states
                    rows = _stated_at(model, reader.all(model), at)
                found.append(Earlier(meeting["code"], meeting["date"], rows))
            self._earlier[key] = found
        return self._earlier[key]

    def agenda(self) -> list[Row]:
        """The agenda items (own fields) of the meeting the state is reported for."""
        key = ("meetings:agenda", False)
        if key not in self._cache:
            found = []
            if self.current is not None:
                found = self._now.where(AgendaItem, meeting_id=self.current.pk)
            self._cache[key] = found
        return self._cache[key]

    def history(self, name: str) -> list[tuple[Row, list[Row]]]:
        """Each meeting held by the frame's moment (its code, date and cut-off), oldest first,
        with a register's records (own fields, foreign keys as ids) as they stood at its
        cut-off, as ``who`` may see them: the record over the meetings a forecast history
        reads. ``name``: a register (``milestones``) or a register's child
        (``reports.milestones``). One query per model, however many meetings."""
        if name not in self._history:
            meetings = self._meetings_held()
            model, filters = self._history_model(name)
            found = states_at(model, [m["cutoff"] for m in meetings], self.who, **filters)
            self._history[name] = list(zip(meetings, found, strict=True))
        return self._history[name]

    def history_version(self, names: Iterable[str]) -> Hashable:
        """What ``history`` of each of ``names`` (and ``records`` of those that are registers)
        returns for this frame depends on, in one query: the audience, the moment, the
        programme's settings, the meetings whose cut-off has passed, and the newest history
        row of each model read and of the meetings (history is only ever added to: any write
        to a record adds a row). Equal versions, equal answers: what a computation over the
        history may be kept by."""
        read: set[Any] = {self._history_model(name)[0] for name in names} | {Meeting}
        quote = connection.ops.quote_name
        # The newest row's id and time: an id alone may come again after a rolled-back write
        # (SQLite reuses the largest rowid); its time does not.
        parts = [
            f"(SELECT MAX(history_id) FROM {table}), (SELECT MAX(history_date) FROM {table})"
            for table in sorted(quote(m.history.model._meta.db_table) for m in read)
        ]
        parts.append(
            f"(SELECT COUNT(*) FROM {quote(Meeting._meta.db_table)} "
            "WHERE programme_id = %s AND cutoff <= %s)"
        )
        moment = connection.ops.adapt_datetimefield_value(self.as_of or timezone.now())
        with connection.cursor() as cursor:  # table names from the models, not from input
            cursor.execute(f"SELECT {', '.join(parts)}", [self.programme.pk, moment])
            newest = tuple(cursor.fetchone())
        programme = self.programme
        return (
            programme.pk,
            json.dumps(programme.rules_config or {}, sort_keys=True, default=str),
            programme.calendar_country,
            programme.calendar_subdivision,
            (self.who.role, self.who.organisation_id, self.who.programme_id),
            self.as_of,
            newest,
        )

    def _history_model(self, name: str) -> tuple[type[models.Model], dict[str, Any]]:
        register, _, accessor = name.partition(".")
        model = _model(register)
        if not accessor:
            if model is Programme:
                return model, {"id": self.programme.pk}
            return model, {"programme_id": self.programme.pk}
        child = registers.children_of(model)[accessor]
        attname = registers.relation(model, child).field.name
        return child.model, {f"{attname}__programme_id": self.programme.pk}

    def _meetings_held(self) -> list[Row]:
        """The meetings ``who`` may see whose cut-off has passed by the frame's moment."""
        if self._held is None:
            moment = self.as_of or timezone.now()
            shown = visible(Meeting.objects.filter(programme=self.programme), self.who)
            held = shown.filter(cutoff__isnull=False, cutoff__lte=moment).order_by("cutoff")
            self._held = [dict(m) for m in held.values("id", "code", "date", "cutoff")]
        return self._held

    def _stated_meeting(self, before: bool) -> Meeting | None:
        """The meeting whose stated values the rows keep: the previous meeting's at it, else
        the meeting reported for (none for the checker's live state)."""
        return self.previous_meeting if before else self.current

    def narrative(self) -> list[Row]:
        """The narrative sections (slug, title, Markdown body) of the meeting the state is
        reported for, in their order."""
        key = ("meetings:sections", False)
        if key not in self._cache:
            found = []
            if self.current is not None:
                found = self._now.where(NarrativeSection, meeting_id=self.current.pk)
            self._cache[key] = found
        return self._cache[key]

    def papers(self) -> list[Row]:
        """The papers attached to the meeting the state is reported for, as attached by the
        cut-off (title, classification, the stored file's name)."""
        key = ("meetings:papers", False)
        if key not in self._cache:
            found = []
            if self.current is not None:
                found = self._now.where(Paper, meeting_id=self.current.pk)
            self._cache[key] = found
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


def _stated_at(model: type[models.Model], rows: list[Row], meeting: Meeting | None) -> list[Row]:
    """``rows`` (export rows or records, children included) as read for ``meeting``: values
    stated for another meeting are blanks there (`steerco.core.models.Stated`), so that it
    compares and prints only its own and derives the rest."""
    stated = issubclass(model, Stated)
    children = {
        accessor: child.model
        for accessor, child in registers.children_of(model).items()
        if _holds_statements(child.model)
    }
    if not stated and not children:
        return rows
    out = []
    for row in rows:
        if stated and not _stated_for(row, meeting):
            row = {**row, **model.unstated(row)}  # type: ignore[attr-defined]
        for accessor, child in children.items():
            if accessor in row:
                row = {**row, accessor: _stated_at(child, row[accessor], meeting)}
        out.append(row)
    return out


def _stated_for(row: Row, meeting: Meeting | None) -> bool:
    if meeting is None:
        return False
    if "stated_for" in row:  # an export row names the meeting by its code
        return bool(row["stated_for"] == meeting.code)
    return bool(row.get("stated_for_id") == meeting.pk)


@cache
def _holds_statements(model: type[models.Model]) -> bool:
    return issubclass(model, Stated) or any(
        _holds_statements(child.model) for child in registers.children_of(model).values()
    )


def _model(register: str) -> type[models.Model]:
    try:
        return registers.get(register).model
    except registers.UnknownRegister as error:
        raise ExportError(str(error)) from None


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
    """The models of the children a register's rows hold (`steerco.registers`), at any
    depth."""
    found: list[type[models.Model]] = []
    level = [model]
    while level:
        below = []
        for one in level:
            for child in registers.children_of(one).values():
                if child.model is not model and child.model not in found:
                    found.append(child.model)
                    below.append(child.model)
        level = below
    return found


def build(
    programme: Programme,
    meeting: Meeting | None = None,
    *,
    today: dt.date | None = None,
    who: Principal = OPERATOR,
) -> Frame:
    """The frame at ``meeting``'s cut-off, or the live state when no meeting is given or the
    meeting is still open (its draft), as ``who`` may see it."""
    meetings = list(Meeting.objects.filter(programme=programme))
    if meeting is not None:
        as_of: dt.datetime | None = meeting.cutoff
        previous = derive.previous_meeting(meetings, meeting.cutoff or timezone.now())
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
    previous = (
        derive.previous_meeting(meetings, current.cutoff or timezone.now()) if current else None
    )
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
        calendar=programme.working_calendar(),
        config=RulesConfig.of(programme),
        who=who,
        _now=Reader(programme, as_of, who),
        _before=Reader(programme, previous.cutoff, who) if previous else None,
        current=current,
    )
