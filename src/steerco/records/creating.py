"""Creating a register record: the fields its specification lets a PMO set
(``Register.creatable``), a reason kept in history, the natural key checked unique within
the programme, and the next ref proposed from the register's own numbering.

The web's new-record page and the API's POST read the same form, so a value refused on one
is refused on the other with the same words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db import models, transaction
from django.db.models import Max
from django.forms import modelform_factory

from steerco.core.models import Programme
from steerco.records.children import Rows
from steerco.records.fields import formfield
from steerco.registers import Register

_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


class CreateForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the record's history.",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    register: Register
    programme: Programme

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        key = [name for name in self.register.match if name != "order"]
        if key and all(cleaned.get(name) not in (None, "") for name in key):
            values = {name: cleaned[name] for name in key}
            taken = self.register.model._default_manager.filter(programme=self.programme, **values)
            if taken.exists():
                shown = ", ".join(str(value) for value in values.values())
                self.add_error(
                    key[0],
                    f"{self.register.noun.capitalize()} {shown} already exists in "
                    f"{self.programme.code}: choose another.",
                )
        return cleaned


def form_class(register: Register, programme: Programme) -> type[CreateForm]:
    """The register's creation form for ``programme``: its foreign keys offer only that
    programme's records."""
    made: Any = modelform_factory(
        register.model, form=CreateForm, fields=register.creatable, formfield_callback=formfield
    )
    made.register = register
    made.programme = programme
    for name in register.creatable:
        field = register.model._meta.get_field(name)
        target = getattr(field, "related_model", None)
        if target is not None and hasattr(target, "programme"):
            made.base_fields[name].queryset = target._default_manager.filter(programme=programme)
    return made


def propose_ref(register: Register, programme: Programme) -> dict[str, str]:
    """The next key in the register's numbering, as initial values for the form: the
    prefix of the newest record's key with one more than the highest number under that
    prefix, as wide as before (R702 after R701, CR032 after CR031, PSG25-02 after
    PSG25-01). Nothing is proposed for a register whose keys are not numbered."""
    name = next((n for n in register.match if n != "order"), None)
    if name is None or not _is_text(register.model, name):
        return {}
    keys = list(
        register.model._default_manager.filter(programme=programme)
        .order_by("-pk")
        .values_list(name, flat=True)
    )
    numbered = [m for m in (_NUMBERED.match(str(k)) for k in keys) if m]
    if not numbered:
        return {}
    prefix = numbered[0]["prefix"]
    same = [m["number"] for m in numbered if m["prefix"] == prefix]
    width = max(len(number) for number in same)
    return {name: f"{prefix}{max(int(n) for n in same) + 1:0{width}d}"}


def _is_text(model: type[models.Model], name: str) -> bool:
    return isinstance(model._meta.get_field(name), models.CharField)


def create(form: CreateForm, rows: Sequence[Rows] = ()) -> models.Model:
    """Save a valid form's record in its programme, last in the register's order, with its
    rows (children), the form's reason in the history of each."""
    record = form.instance
    model = type(record)
    record.programme = form.programme
    with transaction.atomic():
        if _has(model, "order") and "order" not in form.cleaned_data:
            last = model._default_manager.filter(programme=form.programme).aggregate(
                top=Max("order")
            )["top"]
            record.order = (last or 0) + 1
        record._change_reason = form.cleaned_data["reason"]
        form.save()
        for formset in rows:
            formset.save_rows(record, form.cleaned_data["reason"])
    return record


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)
