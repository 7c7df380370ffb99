"""A record's history as the item and what-changed pages show it: who, when, what changed
(field, before, after) and why, from the simple-history rows.

A change is shown only as far as the reader may see its before and after states, each
decided by the reader (``steerco.accounts.reader.visible_history``) as the record and its
parents stood when that state was written: a row whose earlier state the reader may not see
(an item declassified, a report's draft edits) shows its new values only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.text import capfirst

from steerco.accounts.access import Principal, visible
from steerco.accounts.reader import visible_history
from steerco.core.calendar import CalendarError, WorkingCalendar
from steerco.core.models import Programme
from steerco.records.names import names_of
from steerco.registers import Register, relation

# Bookkeeping fields of a historical row, never shown as a change.
_SKIP = {
    "programme",
    "id",
    "history_id",
    "history_date",
    "history_type",
    "history_user",
    "history_change_reason",
    "history_actor",
    "history_relation",
}
_KIND = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    moved: str = ""  # a date's slip: "10 working days later"


@dataclass(frozen=True)
class Entry:
    """One history row, with what it changed against the row before it."""

    register: str
    record_id: Any
    label: str
    kind: str
    at: dt.datetime
    actor: str
    reason: str
    changes: tuple[FieldChange, ...]
    model: type[models.Model]


def tracked_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The fields a change is shown in: not bookkeeping, nor stamps no one edits (auto_now)."""
    return [f for f in model._meta.concrete_fields if f.name not in _SKIP and f.editable]


Labels = dict[str, dict[Any, str]]  # foreign key attname → {id: the record's name}


def diff(
    before: Any | None,
    after: Any,
    fields: Sequence[models.Field[Any, Any]],
    labels: Labels | None = None,
    calendar: WorkingCalendar | None = None,
) -> tuple[FieldChange, ...]:
    """Fields whose value differs between two rows (simple-history's ``diff_against``), in
    the model's field order; for a first row, every field with a value."""
    labels = labels or {}
    if before is None:
        changed = [f for f in fields if getattr(after, f.attname) not in (None, "", [], {})]
    else:
        delta = after.diff_against(before, included_fields=[f.name for f in fields])
        names = set(delta.changed_fields)
        changed = [f for f in fields if f.name in names]
    return tuple(
        FieldChange(
            label_of(field),
            _shown(field, getattr(before, field.attname, None), labels.get(field.attname)),
            _shown(field, getattr(after, field.attname), labels.get(field.attname)),
            _moved(getattr(before, field.attname, None), getattr(after, field.attname), calendar),
        )
        for field in changed
    )


def _moved(before: Any, after: Any, calendar: WorkingCalendar | None) -> str:
    """How far a date moved: in the programme's working days where its calendar is known
    and covers both dates, else in calendar days."""
    days = (before, after)
    if any(type(d) is not dt.date for d in days) or before == after:  # a day, not a moment
        return ""
    direction = "later" if after > before else "earlier"
    if calendar is not None:
        try:
            n = abs(calendar.working_days_between(before, after))
        except CalendarError:
            pass
        else:
            return f"{n} working day{'s' if n != 1 else ''} {direction}"
    n = abs((after - before).days)
    return f"{n} day{'s' if n != 1 else ''} {direction}"


def _programme_id(row: Any) -> Any:
    return getattr(row, "programme_id", None)


def calendars_of(rows: Sequence[Any]) -> dict[Any, WorkingCalendar]:
    """The working calendar of each programme the rows belong to (one query)."""
    ids = {_programme_id(row) for row in rows} - {None}
    found = Programme.objects.filter(pk__in=ids).only("calendar_country", "calendar_subdivision")
    return {programme.pk: programme.working_calendar() for programme in found}


def label_of(field: models.Field[Any, Any]) -> str:
    """A field's label as people write it (RAG, not rag)."""
    words = str(field.verbose_name).split()
    return capfirst(" ".join("RAG" if w == "rag" else w for w in words))


def _shown(field: models.Field[Any, Any], value: Any, names: dict[Any, str] | None) -> Any:
    if value in (None, ""):
        return "—"
    if names is not None:
        return names.get(value, f"#{value} (not visible to you)")
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    return value


def related_labels(
    fields: Sequence[models.Field[Any, Any]], rows: Iterable[Any], who: Principal
) -> Labels:
    """Names of the records the rows' foreign keys point at, read through the access
    module (one query per foreign key)."""
    rows = list(rows)
    labels: Labels = {}
    for field in fields:
        if not field.is_relation or field.related_model is None:
            continue
        ids = {getattr(r, field.attname) for r in rows} - {None}
        related: Any = field.related_model
        found = visible(related._default_manager.filter(pk__in=ids), who) if ids else []
        labels[field.attname] = {obj.pk: str(obj) for obj in found}
    return labels


def entries(
    register: str,
    model: type[models.Model],
    rows: Sequence[Any],
    previous: dict[int, Any],
    who: Principal,
    calendars: dict[Any, WorkingCalendar] | None = None,
) -> list[Entry]:
    """Entries for ``rows`` (already known to be visible to ``who``); ``previous`` maps a
    row's history_id to the row before it, whose values are shown only where ``who`` may
    see that earlier state too. ``calendars``: programme id → its working calendar, where
    the caller knows it (else read for the rows' programmes)."""
    fields = tracked_fields(model)
    shown_before = {
        row.history_id: row for row in visible_history(model, list(previous.values()), who)
    }
    labels = related_labels(fields, [*rows, *shown_before.values()], who)
    names = names_of(model, [row.instance for row in rows], who)
    if calendars is None:
        calendars = calendars_of(rows)
    out = []
    for row, name in zip(rows, names, strict=True):
        before = previous.get(row.history_id)
        if before is not None and before.history_id not in shown_before:
            before = None
        out.append(
            Entry(
                register=register,
                record_id=row.id,
                label=name,
                kind=_KIND.get(row.history_type, row.history_type),
                at=row.history_date,
                actor=row.history_actor or "unknown",
                reason=row.history_change_reason or "",
                changes=(
                    diff(before, row, fields, labels, calendars.get(_programme_id(row)))
                    if row.history_type != "-"
                    else ()
                ),
                model=model,
            )
        )
    return out


def record_history(
    model: type[models.Model], pk: Any, who: Principal, register: str
) -> list[Entry]:
    """Every visible history row of one record, newest first, each diffed against the row
    before it (one query)."""
    history: Any = model.history  # type: ignore[attr-defined]
    every = list(history.filter(id=pk).order_by("history_date", "history_id"))
    previous = {row.history_id: every[i - 1] for i, row in enumerate(every) if i > 0}
    rows = visible_history(model, every, who)
    return list(reversed(entries(register, model, rows, previous, who)))


def children_history(register: Register, pk: Any, who: Principal) -> list[Entry]:
    """Every visible history row of a record's children (deleted ones included), newest
    first, each diffed against the child's row before it."""
    out: list[Entry] = []
    for child in register.children:
        attname = relation(register.model, child).field.attname
        history: Any = child.model.history  # type: ignore[attr-defined]
        every = list(history.filter(**{attname: pk}).order_by("history_date", "history_id"))
        previous: dict[int, Any] = {}
        last: dict[Any, Any] = {}
        for row in every:
            if row.id in last:
                previous[row.history_id] = last[row.id]
            last[row.id] = row
        rows = visible_history(child.model, every, who)
        noun = capfirst(str(child.model._meta.verbose_name))
        out.extend(entries(noun, child.model, rows, previous, who))
    return sorted(out, key=lambda e: e.at, reverse=True)


def rows_before(model: type[models.Model], rows: Iterable[Any]) -> dict[int, Any]:
    """For each row, the row of the same record just before it (one query per model)."""
    rows = list(rows)
    if not rows:
        return {}
    history: Any = model.history  # type: ignore[attr-defined]
    newest = max(r.history_id for r in rows)
    earlier = history.filter(id__in={r.id for r in rows}, history_id__lt=newest).order_by(
        "history_date", "history_id"
    )
    by_record: dict[Any, list[Any]] = {}
    for row in earlier:
        by_record.setdefault(row.id, []).append(row)
    found = {}
    for row in rows:
        candidates = [
            r
            for r in by_record.get(row.id, [])
            if (r.history_date, r.history_id) < (row.history_date, row.history_id)
        ]
        if candidates:
            found[row.history_id] = candidates[-1]
    return found
