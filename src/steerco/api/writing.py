"""Editing a record through the API exactly as the web edit form does.

The fields an edit may set are the web form's; the values the caller sends are laid over the
record's current ones and validated by that same form (model validation included); the save
is the web's optimistic one (``steerco.records.editing.save``): it writes only if the version
the caller read is still the newest, inside the record's row lock, and history records the
caller as the actor with the reason given.
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
from steerco.records import editing
from steerco.registers import Register

Errors = dict[str, list[str]]


@dataclass(frozen=True)
class Edit:
    values: dict[str, Any]  # field → value, only the fields sent
    version: int
    reason: str


@dataclass(frozen=True)
class Outcome:
    errors: Errors | None = None
    conflict: editing.Conflict | None = None


def apply(
    register: Register,
    programme: Programme,
    record: models.Model,
    edit: Edit,
    who: Principal,
    actor: str,
) -> Outcome:
    errors = _foreign_keys(register, programme, edit.values, who)
    if errors:
        return Outcome(errors=errors)
    data = {**_form_data(register, record), **_form_values(register, edit.values)}
    form = editing.form_class(register.model, register.editable)(
        {**data, "version": edit.version, "reason": edit.reason}, instance=record
    )
    if not form.is_valid():
        return Outcome(errors=_form_errors(form.errors.get_json_data()))
    with acting(actor, edit.reason):
        conflict = editing.save(form)
    return Outcome(conflict=conflict)


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
