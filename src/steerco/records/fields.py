"""How a model's field is asked for on a form, decided once for every form built from the
models (the register pages and the API's forms, a record's rows, meeting and portal forms):
``formfield`` is their ``formfield_callback``.

- Dates are ``<input type=date>``: Chromium, Firefox and Safari give a picker, and typing
  goes into the day, month and year segments the browser lays out for its locale (dd/mm/yyyy
  in an en-GB browser). Whatever the user sees, the browser sends ISO (2023-10-31), so the
  server never guesses the order. Where there is no picker the input is a text box: the hint
  beside it says dd/mm/yyyy, and the server takes dd/mm/yyyy, dd/mm/yy and ISO (the en-GB
  input formats with Django's ISO fallback); the API and imports send the same.
- Numbers bounded by the model's validators (RAID scores, 1–30) carry ``min``/``max`` and
  say their scale beside the field; a value outside it is refused in the scale's words.
- RAGs are selects of the RAG scale, labelled "RAG".
- Short text is one line; long text a box sized to it: a few rows, more for Markdown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from steerco.core.choices import RAG

DATE_HINT = "dd/mm/yyyy"
# Text fields of the models that hold a name, not prose: one line.
ONE_LINE = frozenset({"title", "name"})
SHORT_TEXT_ROWS = 3
MARKDOWN_ROWS = 8
WIDEST_INPUT = 60  # characters; CSS keeps any input inside its column


class DateInput(forms.DateInput):
    """The browser's date input: its value is always ISO, whatever the page's locale."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date typed or picked; refused with what was typed and the format to use."""

    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        given = kwargs.get("help_text") or ""
        kwargs["help_text"] = f"{given} ({DATE_HINT})" if given else DATE_HINT
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                f"“{str(value).strip()}” is not a date: write it as {DATE_HINT} "
                "(for example 31/10/2023) or pick it from the calendar.",
                code="invalid",
            ) from None


def bounds(field: models.Field[Any, Any]) -> tuple[int | None, int | None]:
    """The lowest and highest value the model's own validators allow (its declared ones:
    ``validators`` adds the database column's range, which is no scale)."""
    low = high = None
    declared: list[Any] = getattr(field, "_validators", [])
    for validator in declared:
        if isinstance(validator, MinValueValidator):
            low = int(validator.limit_value)
        elif isinstance(validator, MaxValueValidator):
            high = int(validator.limit_value)
    return low, high


def formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field:
    """The form field for a model field (a ``formfield_callback``); a widget the form names
    itself is kept."""
    # None for a field no form shows, as Django's own formfield answers: the form leaves it.
    return cast(forms.Field, _formfield(field, **kwargs))


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return field.formfield(form_class=DateField, **kwargs)
    if isinstance(field, models.IntegerField) and field.choices is None:
        return _number(field, **kwargs)
    if field.choices is not None and list(field.choices) == list(RAG.choices):
        made = field.formfield(**kwargs)
        if made is not None and "label" not in kwargs:
            made.label = _rag_label(str(field.verbose_name))
        return made
    if isinstance(field, models.TextField) and "widget" not in kwargs:
        return field.formfield(widget=_text_widget(field), **kwargs)
    if isinstance(field, models.CharField) and field.choices is None and "widget" not in kwargs:
        return field.formfield(widget=_line(field.max_length), **kwargs)
    return field.formfield(**kwargs)


def _number(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    low, high = bounds(field)
    if low is None or high is None:
        return field.formfield(**kwargs)
    scale = f"{low}–{high}"
    given = kwargs.pop("help_text", None) or field.help_text
    refusal = f"Give a whole number from {low} to {high}."
    made = field.formfield(
        min_value=low,
        max_value=high,
        help_text=f"{given} Scale {scale}." if given else f"Scale {scale}.",
        error_messages={"min_value": refusal, "max_value": refusal, "invalid": refusal},
        **kwargs,
    )
    if made is not None:
        made.widget.attrs.setdefault("size", len(str(high)) + 2)
    return made


def _rag_label(name: str) -> str:
    words = ["RAG" if word.lower() == "rag" else word for word in name.split()]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _text_widget(field: models.TextField[Any, Any]) -> forms.Widget:
    if field.name in ONE_LINE:
        return _line(None)
    markdown = "markdown" in str(field.help_text).lower()
    rows = MARKDOWN_ROWS if markdown else SHORT_TEXT_ROWS
    return forms.Textarea(attrs={"rows": rows, "cols": WIDEST_INPUT})


def _line(max_length: int | None) -> forms.TextInput:
    size = min(max_length + 2, WIDEST_INPUT) if max_length else WIDEST_INPUT
    return forms.TextInput(attrs={"size": size})
