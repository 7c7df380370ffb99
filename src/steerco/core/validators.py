"""Validators the forms share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from steerco.core import cadence


def upload_at_most(limit: int) -> Callable[[Any], None]:
    """Refuse an uploaded file larger than ``limit`` bytes, saying both sizes."""

    def check(upload: Any) -> None:
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes, over the {limit:,}-byte limit."
            )

    return check


def validate_cadence(value: str) -> None:
    """A body's cadence is empty or an iCalendar RRULE dateutil reads."""
    if not value.strip():
        return
    try:
        cadence.parse(value)
    except cadence.CadenceError as error:
        raise ValidationError(f"Cadence {value!r}: {error}.") from None
