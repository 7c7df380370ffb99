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
from steerco.records.history import FieldChange
from steerco.registers import children_of, relation


def version_of(record: models.Model) -> int:
    """The newest history row of the record and of its children (deleted ones included)."""
    return versions_of(type(record), [record.pk]).get(record.pk, 0)


def versions_of(model: type[models.Model], ids: Iterable[Any]) -> dict[Any, int]:
    """Each record's version: one query for the records, one per kind of child."""
    ids = list(ids)
    history: Any = model.history  # type: ignore[attr-defined]
    found: dict[Any, int] = dict(
        history.filter(id__in=ids).values("id").annotate(top=Max("history_id")).values_list(
            "id", "top"
        )
    )
    for child in children_of(model).values():
        attname = relation(model, child).field.attname
        rows: Any = child.model.history  # type: ignore[attr-defined]
        newest = (
            rows.filter(**{f"{attname}__in": ids})
            .values(attname)
            .annotate(top=Max("history_id"))
            .values_list(attname, "top")
        )
        for pk, top in newest:
            found[pk] = max(found.get(pk, 0), top)
    return found


class EditForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the record's history.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


def form_class(model: type[models.Model], fields: tuple[str, ...]) -> type[EditForm]:
    made: Any = modelform_factory(model, form=EditForm, fields=fields)
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
            if version_of(locked) != version:
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
            if _newer(record, version) > written:
                raise Stale
    except Stale:
        theirs = model._default_manager.get(pk=record.pk)
        return Conflict(theirs, version_of(theirs), _differences(form, rows, theirs))
    return None


def _newer(record: models.Model, version: int) -> int:
    """History rows of the record and its children written after ``version``."""
    history: Any = record.history  # type: ignore[attr-defined]
    count = int(history.filter(history_id__gt=version).count())
    for child in children_of(type(record)).values():
        attname = relation(type(record), child).field.attname
        rows: Any = child.model.history  # type: ignore[attr-defined]
        count += rows.filter(**{attname: record.pk, "history_id__gt": version}).count()
    return count


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
