"""Reading a register for the API, live or as it stood at a meeting's cut-off.

Every read goes through the audience-aware reader (``steerco.accounts.reader``): the
register's records, their children and the meeting named by ``as_of`` are all narrowed to
what the caller may see. An as-of read takes each record's newest history row at the
cut-off, decided as the record and its parents stood then, as the exporter and the pack do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.db.models.fields.reverse_related import ManyToOneRel
from django.http import Http404

from steerco.accounts.access import (
    Can,
    Principal,
    programme_or_refuse,
    require,
    visible,
)
from steerco.accounts.reader import Reader
from steerco.core.models import Meeting, Programme
from steerco.records.editing import versions_of
from steerco.registers import PAGES_BY_SLUG as BY_SLUG
from steerco.registers import Register, relation
from steerco.transfers.exports import meeting_of

MAX_ID = 2**63 - 1


@dataclass(frozen=True)
class Source:
    """One register of one programme, live or as of a meeting's cut-off."""

    programme: Programme
    register: Register
    meeting: Meeting | None = None
    # One reader per caller, so a page's records and their children share what it read.
    _readers: dict[Principal, Reader] = field(default_factory=dict, compare=False, repr=False)

    @property
    def as_of(self) -> dt.datetime | None:
        return self.meeting.cutoff if self.meeting else None

    def reader(self, who: Principal) -> Reader:
        if who not in self._readers:
            self._readers[who] = Reader(self.programme, self.as_of, who)
        return self._readers[who]


def source(who: Principal, programme: str, register: str, as_of: str | None = None) -> Source:
    require(who, Can.READ_REGISTERS)
    found = programme_or_refuse(who, programme)
    web_register = BY_SLUG.get(register)
    if web_register is None:
        raise Http404("No such register.")
    return Source(found, web_register, meeting_of(who, found, as_of))


def _rows(src: Source, who: Principal, model: type[models.Model], **filters: Any) -> QuerySet[Any]:
    """The visible live records, or the visible newest history row of each record at the
    cut-off (none once deleted), as the reader decides them."""
    if src.as_of is None:
        return visible(model._default_manager.filter(**filters), who)
    history: Any = model.history  # type: ignore[attr-defined]
    ids = src.reader(who).visible_history_ids(model, **filters)
    return history.filter(history_id__in=ids)


def _ordered(queryset: QuerySet[Any], model: type[models.Model]) -> QuerySet[Any]:
    return queryset.order_by(*(model._meta.ordering or ()), "id")


def records(src: Source, who: Principal) -> QuerySet[Any]:
    model = src.register.model
    return _ordered(_rows(src, who, model, programme=src.programme), model)


def record(src: Source, who: Principal, pk: int) -> Any:
    if not 0 <= pk <= MAX_ID:  # the URL takes any digits; the database, 64-bit ids
        raise Http404("No such record, or not one you may see.")
    found = records(src, who).filter(id=pk).first()
    if found is None:
        raise Http404("No such record, or not one you may see.")
    return found


def child_relations(register: Register) -> list[ManyToOneRel]:
    return [relation(register.model, child) for child in register.children]


def annotate(src: Source, who: Principal, rows: list[Any]) -> list[Any]:
    """Give each row its version and its visible children, read once per relation."""
    model = src.register.model
    ids = [row.id for row in rows]
    if src.as_of is None:
        # An editor's version covers the children; a reader's, who cannot edit, only the
        # record (a change to a child it may not see changes nothing it reads).
        newest = versions_of(model, ids, children=who.may(Can.EDIT_REGISTERS))
        for row in rows:
            row.api_version = newest.get(row.id, 0)
    else:
        for row in rows:
            row.api_version = row.history_id
    for rel in child_relations(src.register):
        child: type[models.Model] = rel.related_model  # type: ignore[assignment]
        attname = f"{rel.field.name}_id"
        grouped: dict[Any, list[Any]] = defaultdict(list)
        children = _rows(src, who, child, **{f"{attname}__in": ids})
        for item in _ordered(children, child):
            grouped[getattr(item, attname)].append(item)
        for row in rows:
            setattr(row, f"api_{rel.get_accessor_name()}", grouped.get(row.id, []))
    return rows
