"""Editing a register record with optimistic concurrency.

The edit form carries the id of the record's newest history row when the form was opened
(its version). Saving checks, inside one transaction holding the record's row lock, that
the version is still the newest; if someone else saved in between, nothing is written and
the editor is shown both versions. Every save goes through the model, so history records it
with the user and the reason given; a save that changes nothing writes nothing (no history
row, whatever reason was given).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.forms import modelform_factory
from django.utils.text import capfirst

from steerco.core.history import same_values
from steerco.records.history import FieldChange


def version_of(record: models.Model) -> int:
    history: Any = record.history  # type: ignore[attr-defined]
    newest = history.order_by("-history_id").values_list("history_id", flat=True).first()
    return int(newest or 0)


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


def save(form: EditForm) -> Conflict | None:
    """Save the form's record unless it changed since the form's version was read; a form
    that changes nothing writes nothing."""
    record = form.instance
    model = type(record)
    try:
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=record.pk)
            if version_of(locked) != form.cleaned_data["version"]:
                raise Stale
            fields = [record._meta.get_field(name) for name in form._meta.fields or ()]
            if same_values(fields, record, locked):
                return None
            record._change_reason = form.cleaned_data["reason"]
            form.save()
            # Writes are serialised by the row lock (PostgreSQL) or the single writer
            # (SQLite): re-check that ours is the only new version since the one read.
            history: Any = record.history
            newer = history.filter(history_id__gt=form.cleaned_data["version"]).count()
            if newer != 1:
                raise Stale
    except Stale:
        theirs = model._default_manager.get(pk=record.pk)
        return Conflict(theirs, version_of(theirs), _differences(form, theirs))
    return None


def _differences(form: EditForm, theirs: models.Model) -> tuple[FieldChange, ...]:
    out = []
    for name in form._meta.fields or ():
        field: Any = theirs._meta.get_field(name)
        mine = form.cleaned_data.get(name)
        their = getattr(theirs, name)
        if mine != their:
            out.append(FieldChange(capfirst(str(field.verbose_name)), their, mine))
    return tuple(out)
