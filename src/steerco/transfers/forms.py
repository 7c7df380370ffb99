from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from steerco.io.registry import REGISTER_HELP
from steerco.io.spreadsheets import MAX_BYTES
from steerco.transfers.models import ColumnMapping


class UploadForm(forms.Form):
    register = forms.ChoiceField(
        choices=[(name, f"{name} — {text}") for name, text in REGISTER_HELP.items()]
    )
    file = forms.FileField(help_text="An xlsx or CSV file, for example an export from steerco.")
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

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size:,} bytes, over the {MAX_BYTES:,}-byte limit."
            )
        return upload
