"""Creating, editing and deleting a record through the API exactly as the web forms do.

The fields an edit may set are the web form's; the values the caller sends are laid over the
record's current ones and validated by that same form (model validation included); the save
is the web's optimistic one (``steerco.records.editing.save``): it writes only if the version
the caller read is still the newest, inside the record's row lock, and history records the
caller as the actor with the reason given.

A child the PMO keeps with the record (a risk's mitigations) is sent as the whole list of its
rows: they become the data of the web form's rows (``steerco.records.children``), existing
rows first as the web lists them (those left out marked deleted), new rows after, and are
checked and saved by them; an error names the row as sent (``mitigations[1].text``).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.forms.models import model_to_dict

from steerco.accounts.access import Principal, visible
from steerco.core.history import acting
from steerco.core.models import Programme
from steerco.records import children, creating, deleting, editing
from steerco.registers import Register

Errors = dict[str, list[str]]
Sent = dict[str, list[dict[str, Any]]]  # child accessor → its rows as sent


@dataclass(frozen=True)
class Edit:
    values: dict[str, Any]  # field → value, only the fields sent
    version: int
    reason: str


@dataclass(frozen=True)
class Outcome:
    errors: Errors | None = None
    conflict: editing.Conflict | None = None
    created: models.Model | None = None
    refused: deleting.Refused | None = None


def create(
    register: Register,
    programme: Programme,
    values: dict[str, Any],
    reason: str,
    who: Principal,
    actor: str,
) -> Outcome:
    """A new record through the web's creation form: the same fields, checks and words."""
    values, sent = _split(register, values)
    errors = _foreign_keys(register, programme, values, who)
    data, positions, errors = _rows_data(register, None, sent, errors)
    if errors:
        return Outcome(errors=errors)
    # A field left out takes the model's default, as a record made any other way would.
    fields: dict[str, Any] = {n: register.model._meta.get_field(n) for n in register.creatable}
    defaults = {
        name: field.get_default()
        for name, field in fields.items()
        if name not in values and field.has_default()
    }
    form = creating.form_class(register, programme)(
        {**_form_values(register, {**defaults, **values}), "reason": reason}
    )
    rows = children.formsets(register, programme, None, data)
    if not children.valid(form, rows):
        return Outcome(errors=_errors(form, rows, positions))
    with acting(actor, reason):
        return Outcome(created=creating.create(form, rows))


def apply(
    register: Register,
    programme: Programme,
    record: models.Model,
    edit: Edit,
    who: Principal,
    actor: str,
) -> Outcome:
    values, sent = _split(register, edit.values)
    errors = _foreign_keys(register, programme, values, who)
    rows_data, positions, errors = _rows_data(register, record, sent, errors)
    if errors:
        return Outcome(errors=errors)
    data = {**_form_data(register, record), **_form_values(register, values)}
    form = editing.form_class(register.model, register.editable)(
        {**data, "version": edit.version, "reason": edit.reason}, instance=record
    )
    rows = children.formsets(register, programme, record, rows_data)
    if not children.valid(form, rows):
        return Outcome(errors=_errors(form, rows, positions))
    with acting(actor, edit.reason):
        conflict = editing.save(form, rows)
    return Outcome(conflict=conflict)


def remove(
    register: Register, record: models.Model, version: int, reason: str, actor: str
) -> Outcome:
    """Delete the record as the web's delete button does: refused while anything refers to
    it, a conflict if it changed since ``version``."""
    with acting(actor, reason):
        removed = deleting.delete(register, record, version, reason)
    return Outcome(conflict=removed.conflict, refused=removed.refused)


def _split(register: Register, values: dict[str, Any]) -> tuple[dict[str, Any], Sent]:
    """The record's own values, and the rows of each child sent."""
    accessors = {child.accessor for child in register.kept_children}
    own = {name: value for name, value in values.items() if name not in accessors}
    return own, {name: values[name] for name in accessors if name in values}


Positions = dict[str, list[int | None]]  # accessor → for each form, the row's index as sent


def _rows_data(
    register: Register, record: models.Model | None, sent: Sent, errors: Errors
) -> tuple[dict[str, Any], Positions, Errors]:
    """The web form's data for the rows sent: the record's rows (changed by what was sent of
    each, or deleted when left out), then the new ones."""
    data: dict[str, Any] = {}
    positions: Positions = {}
    errors = dict(errors)
    for child in register.kept_children:
        if child.accessor not in sent:
            continue
        rows = sent[child.accessor]
        existing = list(getattr(record, child.accessor).all()) if record is not None else []
        by_id = {row.pk: row for row in existing}
        place = {row.get("id"): index for index, row in enumerate(rows) if row.get("id")}
        for index, row in enumerate(rows):
            if row.get("id") is not None and place.get(row["id"]) != index:
                errors[f"{child.accessor}[{index}].id"] = [f"Row {row['id']} is sent twice."]
            elif row.get("id") is not None and row["id"] not in by_id:
                errors[f"{child.accessor}[{index}].id"] = [
                    f"No {child.model._meta.verbose_name} {row['id']} in this record."
                ]
        forms: list[tuple[int | None, dict[str, Any]]] = []
        for row in existing:
            current = {name: getattr(row, name) for name in child.editable}
            if row.pk in place:
                sent_row = rows[place[row.pk]]
                forms.append((place[row.pk], {**current, **sent_row, "id": row.pk}))
            else:
                forms.append((None, {**current, "id": row.pk, "DELETE": "on"}))
        forms += [(i, row) for i, row in enumerate(rows) if row.get("id") is None]
        prefix = child.accessor
        data |= {
            f"{prefix}-TOTAL_FORMS": str(len(forms)),
            f"{prefix}-INITIAL_FORMS": str(len(existing)),
        }
        for number, (_, values) in enumerate(forms):
            for name, value in values.items():
                if value is not None:
                    data[f"{prefix}-{number}-{name}"] = _plain(value)
        positions[prefix] = [index for index, _ in forms]
    return data, positions, errors


def _errors(form: Any, rows: list[children.Rows], positions: Positions) -> Errors:
    errors = _form_errors(form.errors.get_json_data())
    return {**errors, **children.errors(rows, positions)}


def _form_data(register: Register, record: models.Model) -> dict[str, Any]:
    return _form_values(register, model_to_dict(record, fields=list(register.editable)))


def _form_values(register: Register, values: dict[str, Any]) -> dict[str, Any]:
    """Values as the form reads them: JSON fields as JSON text, so a JSON string stays one."""
    out = {}
    for name, value in values.items():
        field = register.model._meta.get_field(name)
        out[name] = json.dumps(value) if isinstance(field, models.JSONField) else value
    return out


def _foreign_keys(
    register: Register, programme: Programme, values: dict[str, Any], who: Principal
) -> Errors:
    """A reference must name a record of the same programme that the caller may see."""
    errors: Errors = {}
    for name, value in values.items():
        field = register.model._meta.get_field(name)
        if not field.is_relation or value is None:
            continue
        target: type[models.Model] = field.related_model  # type: ignore[assignment]
        candidates = visible(target._default_manager.filter(programme=programme), who)
        if not candidates.filter(pk=value).exists():
            errors[name] = [f"No {target._meta.verbose_name} {value} in {programme.code}."]
    return errors


def _form_errors(data: dict[str, list[dict[str, Any]]]) -> Errors:
    return {
        ("non_field_errors" if name == "__all__" else name): [e["message"] for e in errors]
        for name, errors in data.items()
    }


def differences(conflict: editing.Conflict) -> list[dict[str, Any]]:
    return [
        {"field": d.field, "theirs": _plain(d.before), "yours": _plain(d.after)}
        for d in conflict.differences
    ]


def _plain(value: Any) -> Any:
    """A value from a form or a record, as JSON can carry it."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value
