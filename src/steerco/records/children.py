"""A record's children edited with it: one inline formset per child the register's
specification lets a PMO keep (``Child.editable``), checked with the parent's form and saved
in its transaction with the parent's reason.

The web's new and edit pages and the API's POST and PATCH read the same formsets, so a row
refused on one is refused on the other with the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django import forms
from django.db import models
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.text import capfirst

from steerco.core.models import Programme
from steerco.records.fields import formfield
from steerco.registers import Child, Register, relation

EXTRA = 2  # blank rows offered for new children: enough without JavaScript


class Rows(BaseInlineFormSet):  # type: ignore[type-arg]
    """The rows of one child of a record: each input named for its row and column (the
    column headings label no input), new rows ordered after the last."""

    child: Child
    register: Register
    programme: Programme

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def title(self) -> str:
        return capfirst(str(self.model._meta.verbose_name_plural))

    def row_name(self, index: int | None) -> str:
        if index is None or index >= self.initial_form_count():
            number = "" if index is None else f" {index - self.initial_form_count() + 1}"
            return f"New {self.noun}{number}"
        return capfirst(f"{self.noun} {index + 1}")

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "order" in form.fields:
            form.fields["order"].required = False  # left blank: after the last
            form.fields["order"].help_text = "Blank: after the last."
        if self.child.peer and self.child.peer in form.fields:
            current = getattr(getattr(form, "instance", None), self.child.peer, "")
            form.fields[self.child.peer] = forms.ChoiceField(
                label=form.fields[self.child.peer].label,
                choices=self._peers(current),
                required=form.fields[self.child.peer].required,
            )
        for name, field in form.fields.items():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update(rows=2, cols=40)
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{self.row_name(index)}: {form[name].label}"

    def _peers(self, current: str) -> list[tuple[str, str]]:
        """The programme's records of the parent's register, by key; a key the row already
        holds is kept even if no record has it (a link to a missing milestone is found by the
        checker, not lost by an edit)."""
        if not hasattr(self, "_keys"):  # once per formset, not once per row
            key = _key_of(self.register)
            self._keys = list(
                self.register.model._default_manager.filter(programme=self.programme)
                .order_by(key)
                .values_list(key, flat=True)
            )
        keys = list(self._keys)
        if current and current not in keys:
            keys.insert(0, current)
        return [("", "—"), *((k, k) for k in keys)]

    def check_peers(self, parent: models.Model) -> None:
        """A row naming the record itself (a milestone its own predecessor) is refused."""
        key = getattr(parent, _key_of(self.register), None)
        if not self.child.peer or key in (None, ""):
            return
        for index, form in enumerate(self.forms):
            cleaned = getattr(form, "cleaned_data", {})
            if cleaned.get("DELETE") or cleaned.get(self.child.peer) != key:
                continue
            form.add_error(
                self.child.peer,
                f"{self.row_name(index)}: this is {self.register.noun} {key} itself; "
                f"choose another {self.register.noun}.",
            )

    def kept(self) -> list[dict[str, Any]]:
        """The rows' values as sent, less those deleted or left blank."""
        return [
            form.cleaned_data
            for form in self.forms
            if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
        ]

    def save_rows(self, parent: models.Model, reason: str) -> int:
        """Save the rows under ``parent`` with ``reason`` in each one's history; how many rows
        were written (at most)."""
        self.instance = parent  # a new record's rows were checked against a blank one
        instances = self.save(commit=False)
        for gone in self.deleted_objects:
            gone._change_reason = reason
            gone.delete()
        top = 0
        if any(getattr(row, "order", 0) is None for row in instances):
            # After the last row kept, as it stands once saved: the formset's rows are the
            # ones its forms changed (a deleted one has lost its id).
            kept = [row.order for row in self.get_queryset() if row.pk is not None]
            top = max([0, *kept, *(getattr(r, "order", None) or 0 for r in instances)])
        for row in instances:
            if getattr(row, "order", 0) is None:
                top += 1
                row.order = top
            row._change_reason = reason
            row.save()
        return len(self.deleted_objects) + len(instances)


def _key_of(register: Register) -> str:
    return next(name for name in register.match if name != "order")


def formsets(
    register: Register,
    programme: Programme,
    parent: models.Model | None,
    data: Any = None,
) -> list[Rows]:
    """One formset per kept child of the register, bound to ``data`` when given, for
    ``parent`` (a new one when None). Data that holds no rows of a child (no management
    form: a client that sent only the record's fields) leaves that child as it is."""
    parent = parent if parent is not None else register.model()
    made = []
    for child in register.kept_children:
        if data is not None and f"{child.accessor}-TOTAL_FORMS" not in data:
            continue
        rel = relation(register.model, child)
        formset: Any = inlineformset_factory(
            register.model,
            child.model,
            formset=Rows,
            fields=child.editable,
            fk_name=rel.field.name,
            extra=EXTRA,
            can_delete=True,
            formfield_callback=formfield,
        )
        formset.child, formset.register, formset.programme = child, register, programme
        made.append(formset(data, instance=parent, prefix=child.accessor))
    return made


def valid(form: forms.BaseForm, rows: Sequence[Rows]) -> bool:
    """Whether the parent's form and every row are valid, every error found at once."""
    ok = form.is_valid()
    ok = all([r.is_valid() for r in rows]) and ok
    for formset in rows:
        formset.check_peers(getattr(form, "instance", None) or formset.instance)
    return ok and not any(f.errors for r in rows for f in r.forms)


def errors(
    rows: Sequence[Rows], positions: dict[str, list[int | None]] | None = None
) -> dict[str, list[str]]:
    """Every row's errors, by ``accessor[index].field``: the index of the row as the caller
    gave it (``positions``: for each form of a child, its row's index), else of the form."""
    found: dict[str, list[str]] = {}
    for formset in rows:
        prefix = str(formset.prefix)
        for message in formset.non_form_errors():
            found.setdefault(prefix, []).append(str(message))
        where_sent = (positions or {}).get(prefix)
        for number, form in enumerate(formset.forms):
            index = where_sent[number] if where_sent else number
            for name, messages in form.errors.items():
                where = f"{prefix}[{index}]" if name == "__all__" else f"{prefix}[{index}].{name}"
                found.setdefault(where, []).extend(str(m) for m in messages)
    return found


def summary(rows: Iterable[models.Model | dict[str, Any]], fields: Sequence[str]) -> str:
    """Rows in one line, "; " between them, to compare two versions of a record's children."""
    lines = []
    for row in rows:
        values = [row.get(n) if isinstance(row, dict) else getattr(row, n) for n in fields]
        lines.append(" · ".join(str(v) for v in values if v not in (None, "")))
    return "; ".join(lines)
