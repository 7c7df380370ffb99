"""Editing a register record with optimistic concurrency.

The edit form carries the id of the newest history row of the record and its children when
the form was opened (its version). Saving checks, inside one transaction holding the
record's row lock, that the version is still the newest; if someone else saved the record or
any of its children in between, nothing is written and the editor is shown both versions.
Every save goes through the model, so history records it with the user and the reason given;
a save that changes nothing writes nothing (no history row, whatever reason was given).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import Max
from django.forms import modelform_factory
from django.utils.text import capfirst

from steerco.core.history import same_values
from steerco.records.children import Rows, summary
from steerco.records.fields import formfield
from steerco.records.history import FieldChange
from steerco.registers import children_of, relation


def version_of(record: models.Model) -> int:
    """The record's version with its children's (see :func:`heads`)."""
    return sum(heads(record))


def heads(record: models.Model) -> list[int]:
    """The newest history row of the record, then of each kind of its children (deleted ones
    included), 0 where none. Each table numbers its rows itself, so the version is their
    sum: every row written for the record or a child raises it, and nothing lowers it."""
    return [
        int(rows.filter(**{name: record.pk}).aggregate(top=Max("history_id"))["top"] or 0)
        for rows, name in _tables(type(record))
    ]


def versions_of(
    model: type[models.Model], ids: Iterable[Any], *, children: bool = True
) -> dict[Any, int]:
    """Each record's version (:func:`heads`), or only its own newest history row: one query
    per table, whatever the records."""
    ids = list(ids)
    found: dict[Any, int] = dict.fromkeys(ids, 0)
    for rows, name in _tables(model) if children else _tables(model)[:1]:
        newest = (
            rows.filter(**{f"{name}__in": ids})
            .values(name)
            .annotate(top=Max("history_id"))
            .values_list(name, "top")
        )
        for pk, top in newest:
            found[pk] += top
    return found


def _tables(model: type[models.Model]) -> list[tuple[Any, str]]:
    """The history of the record and of each kind of its children, and the column naming
    the record in each."""
    found: list[tuple[Any, str]] = [(model.history, "id")]  # type: ignore[attr-defined]
    for child in children_of(model).values():
        rows: Any = child.model.history  # type: ignore[attr-defined]
        found.append((rows, relation(model, child).field.attname))
    return found


class EditForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the record's history.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


def form_class(model: type[models.Model], fields: tuple[str, ...]) -> type[EditForm]:
    made: Any = modelform_factory(model, form=EditForm, fields=fields, formfield_callback=formfield)
    return made


@dataclass(frozen=True)
class Conflict:
    """Someone saved the record after the editor opened it."""

    theirs: models.Model
    their_version: int
    differences: tuple[FieldChange, ...]  # field, their value, the editor's value


class Stale(Exception):
    pass


def save(form: EditForm, rows: Sequence[Rows] = ()) -> Conflict | None:
    """Save the form's record and its rows (children) unless either changed since the form's
    version was read; a form that changes nothing writes nothing."""
    record = form.instance
    model = type(record)
    version = form.cleaned_data["version"]
    reason = form.cleaned_data["reason"]
    try:
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=record.pk)
            read = heads(locked)
            if sum(read) != version:
                raise Stale
            fields = [record._meta.get_field(name) for name in form._meta.fields or ()]
            changed = not same_values(fields, record, locked)
            if not changed and not any(r.has_changed() for r in rows):
                return None
            if changed:
                record._change_reason = reason
                form.save()
            written = int(changed) + sum(r.save_rows(record, reason) for r in rows)
            # Writes are serialised by the row lock (PostgreSQL) or the single writer
            # (SQLite): re-check that ours are the only new versions since the one read.
            if _written_since(record, read) > written:
                raise Stale
    except Stale:
        theirs = model._default_manager.get(pk=record.pk)
        return Conflict(theirs, version_of(theirs), _differences(form, rows, theirs))
    return None


def _written_since(record: models.Model, read: list[int]) -> int:
    """History rows of the record and its children written after the ``heads`` read."""
    return sum(
        rows.filter(**{name: record.pk, "history_id__gt": top}).count()
        for (rows, name), top in zip(_tables(type(record)), read, strict=True)
    )


def _differences(
    form: EditForm, rows: Sequence[Rows], theirs: models.Model
) -> tuple[FieldChange, ...]:
    out = []
    for name in form._meta.fields or ():
        field: Any = theirs._meta.get_field(name)
        mine = form.cleaned_data.get(name)
        their = getattr(theirs, name)
        if mine != their:
            out.append(FieldChange(capfirst(str(field.verbose_name)), their, mine))
    for formset in rows:
        fields = formset.child.editable
        saved = summary(getattr(theirs, formset.child.accessor).all(), fields)
        sent = summary(formset.kept(), fields)
        if saved != sent:
            out.append(FieldChange(formset.title, saved, sent))
    return tuple(out)
