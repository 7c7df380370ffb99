"""Taking a record out of its register: closing it where the register says how (a risk
closed, a change request withdrawn), or deleting it when nothing refers to it.

Both ask for a reason and the version the editor read, as an edit does: a record changed by
someone else since is not closed or deleted. A deletion is kept in history (a "deleted" row
of the record and of each of its children, with the reason), so what changed shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction

from steerco.accounts.access import shape_of
from steerco.records import editing
from steerco.registers import Register, children_of, foreign_references

SHOWN = 5  # referrers named in a refusal; the rest counted


class RemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the record's history.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


@dataclass(frozen=True)
class Refused:
    """Records still refer to the one to delete."""

    references: tuple[str, ...]

    @property
    def message(self) -> str:
        return "It cannot be deleted while " + "; ".join(self.references) + "."


def references(register: Register, record: models.Model) -> list[str]:
    """What refers to ``record``, in words: records whose foreign keys point at it, and
    those the specification says name it by its key."""
    found: list[str] = []
    for rel in foreign_references(type(record)):
        model: Any = rel.related_model
        rows = model._default_manager.filter(**{rel.field.name: record})
        noun = str(model._meta.verbose_name)
        found += _named(rows, lambda row, noun=noun: f"{noun} {row} refers to it")
    key = next((n for n in register.match if n != "order"), None)
    value = getattr(record, key, None) if key else None
    programme = getattr(record, "programme_id", None)
    for reference in register.referenced_by if value not in (None, "") else ():
        model = reference.model
        path = shape_of(model).programme
        rows = model._default_manager.filter(**{f"{path}_id": programme})
        field = model._meta.get_field(reference.field)
        if isinstance(field, models.JSONField):  # a list of keys: not every database looks in
            ids = [pk for pk, keys in rows.values_list("pk", reference.field) if value in keys]
            rows = rows.filter(pk__in=ids)
        else:
            rows = rows.filter(**{reference.field: value})
        rows = rows.exclude(pk=record.pk) if model is type(record) else rows
        found += _named(rows, lambda row, says=reference.says: f"it is {says.format(_owner(row))}")
    return found


def _named(rows: Any, words: Any) -> list[str]:
    count = rows.count()
    named = [words(row) for row in rows.order_by("pk")[:SHOWN]]
    if count > SHOWN:
        named.append(f"{count - SHOWN} more refer to it")
    return named


def _owner(row: models.Model) -> models.Model:
    """The record a child row belongs to (a predecessor link's milestone), or the row."""
    parent = getattr(row, "ACCESS_PARENT", None)
    return getattr(row, parent) if parent else row


@dataclass(frozen=True)
class Removed:
    """What became of the record: closed, deleted, refused, or a conflict."""

    closed: bool = False
    deleted: bool = False
    refused: Refused | None = None
    conflict: editing.Conflict | None = None


def close(register: Register, record: models.Model, version: int, reason: str) -> Removed:
    """Set the register's closing field (a risk's status to closed) as an edit would."""
    assert register.closing is not None
    closing = register.closing
    form = editing.form_class(register.model, (closing.field,))(
        {closing.field: closing.value, "version": version, "reason": reason}, instance=record
    )
    if not form.is_valid():  # the closing value is the register's own: never refused
        raise ValueError(form.errors.as_text())
    conflict = editing.save(form)
    return Removed(closed=conflict is None, conflict=conflict)


def delete(register: Register, record: models.Model, version: int, reason: str) -> Removed:
    """Delete the record and its children, each with ``reason`` in its history, unless
    something refers to it or it changed since ``version`` was read."""
    model = type(record)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=record.pk)
        if editing.version_of(locked) != version:
            conflict = editing.Conflict(locked, editing.version_of(locked), ())
            return Removed(conflict=conflict)
        found = references(register, locked)
        if found:
            return Removed(refused=Refused(tuple(found)))
        _delete_tree(locked, reason)
    return Removed(deleted=True)


def _delete_tree(record: models.Model, reason: str) -> None:
    """Children first, each its own history row with the reason, then the record."""
    for child in children_of(type(record)).values():
        for row in getattr(record, child.accessor).all():
            _delete_tree(row, reason)
    record._change_reason = reason  # type: ignore[attr-defined]
    record.delete()
