"""A form's problems summarised at its top, each a link to the field it is about (the
field's own message stays beside it): ``{% error_summary form rows %}``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet

register = template.Library()

NOTHING_SAVED = "Nothing was saved: correct what is listed here."


@dataclass(frozen=True)
class Problem:
    text: str
    href: str = ""  # "#id" of the field, "" where the problem is the form's as a whole


def problems(form: forms.BaseForm | None, formsets: Iterable[Any] = ()) -> list[Problem]:
    """The form's problems, then each row's; ``formsets`` are formsets or (title, formset)
    pairs."""
    found = _of(form) if form is not None else []
    for item in formsets:
        formset = item[1] if isinstance(item, tuple) else item
        found += [Problem(str(message)) for message in formset.non_form_errors()]
        for row in formset.forms:
            found += _of(row)
    return found


def _of(form: forms.BaseForm) -> list[Problem]:
    found = [Problem(str(message)) for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS:
            continue
        field = form[name]
        # A row's input is named by its aria-label ("Milestone 2: Forecast date").
        label = field.field.widget.attrs.get("aria-label") or field.label
        href = "" if field.is_hidden else f"#{field.auto_id}"
        found += [Problem(f"{label}: {message}", href) for message in messages]
    return found


@register.inclusion_tag("web/_errors.html")
def error_summary(
    form: forms.BaseForm | None, formsets: Iterable[Any] = (), heading: str = NOTHING_SAVED
) -> dict[str, Any]:
    if isinstance(formsets, BaseFormSet):
        formsets = [formsets]
    return {"problems": problems(form, list(formsets)), "heading": heading or NOTHING_SAVED}
