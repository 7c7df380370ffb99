from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from steerco.core.validators import upload_at_most
from steerco.io.spreadsheets import MAX_BYTES
from steerco.registers import REGISTERS
from steerco.transfers.models import ColumnMapping


class UploadForm(forms.Form):
    register = forms.ChoiceField(
        choices=[(r.slug, f"{r.slug} — {r.help}") for r in REGISTERS if not r.part_of]
    )
    file = forms.FileField(
        help_text=(
            "An xlsx or CSV file, for example an export from steerco; or a plan from "
            "MS Project (.mpp, .xml) or Primavera P6 (.xer, .pmxml), with a saved plan "
            "mapping that says which task fields hold the milestone's code and dates."
        ),
        validators=[upload_at_most(MAX_BYTES)],
    )
    mapping = forms.ModelChoiceField(
        queryset=ColumnMapping.objects.none(),
        required=False,
        empty_label="none: steerco's own columns",
        help_text="A saved column mapping, for another tool's layout.",
    )

    def __init__(self, mappings: QuerySet[ColumnMapping], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["mapping"]
        field.queryset = mappings
