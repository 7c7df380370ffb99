"""Records' names as people read them, defined once for the register pages, what changed and
a record's history.

A register's record goes by its own name (its model's ``__str__``: "R402", "PSG-24"); a
record kept inside another (an agenda item, a mitigation step) by its kind, the record it
belongs to and its own words: "Agenda item of PSG-24: 6. Summary and next steps". The record
it belongs to is named only when the reader may see it, read through the access module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.text import capfirst

from steerco.accounts.access import Principal, visible


def _parent_field(model: type[models.Model]) -> models.ForeignKey[Any, Any] | None:
    name = getattr(model, "ACCESS_PARENT", None)
    if name is None:
        return None
    field: Any = model._meta.get_field(name)
    return field


def name_of(record: models.Model, parent: str = "") -> str:
    """``record``'s readable name; ``parent``: the name of the record it belongs to, if any
    and if the reader may see it."""
    try:
        own = str(record)
    except ObjectDoesNotExist:  # a name drawn from a record since deleted
        own = f"#{record.pk}"
    if _parent_field(type(record)) is None:
        return own
    noun = capfirst(str(type(record)._meta.verbose_name))
    return f"{noun} of {parent}: {own}" if parent else f"{noun}: {own}"


def parent_names(model: type[models.Model], rows: Iterable[Any], who: Principal) -> dict[Any, str]:
    """The names of the records ``rows`` (live records or history rows of ``model``) belong
    to, by id, of those ``who`` may see (one query; none for a register's own records)."""
    field = _parent_field(model)
    if field is None:
        return {}
    ids = {getattr(row, field.attname) for row in rows} - {None}
    if not ids:
        return {}
    related: Any = field.related_model
    found = visible(related._default_manager.filter(pk__in=ids), who)
    return {parent.pk: str(parent) for parent in found}


def names_of(
    model: type[models.Model], records: Iterable[models.Model], who: Principal
) -> list[str]:
    """Each of ``records``' readable names, their parents read once for all."""
    records = list(records)
    parents = parent_names(model, records, who)
    field = _parent_field(model)
    return [
        name_of(record, parents.get(getattr(record, field.attname), "") if field else "")
        for record in records
    ]
