from __future__ import annotations

from typing import Any

from django import forms

from steerco.core.validators import upload_at_most
from steerco.planning import runs
from steerco.planning.cases import CaseError

# The GB-sized case is about 50 kB; a case twenty times that is not a case.
MAX_CASE_BYTES = 1_000_000


class StartForm(forms.Form):
    """Start a plan run from an uploaded case file or one of the bundled examples. A case
    that cannot be read or allocated is refused here, so nothing is stored or queued."""

    file = forms.FileField(
        required=False,
        label="Upload a case file",
        help_text=f"The programme's own case, YAML or JSON, at most {MAX_CASE_BYTES:,} bytes: "
        "each supplier's portfolio and qualification date, each LDSO's daily capacity (the "
        "format is in steerco's planning guide, docs/planning.md).",
        validators=[upload_at_most(MAX_CASE_BYTES)],
    )
    example = forms.ChoiceField(
        required=False,
        label="…or plan a bundled example",
        help_text="Cases that come with steerco: a tiny one to try, and a synthetic one the "
        "size of Great Britain's market.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bundled = runs.bundled()
        field: Any = self.fields["example"]
        field.choices = [("", "—"), *((key, key) for key in self.bundled)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload, example = data.get("file"), data.get("example")
        if self.errors:
            return data
        if bool(upload) == bool(example):
            raise forms.ValidationError("Upload a case file or pick a bundled example (one).")
        if upload:
            field, source, content = "file", str(upload.name), upload.read()
        else:
            field, source = "example", str(example)
            content = self.bundled[source].path.read_bytes()
        try:
            data["case"] = runs.check(content, source)
        except CaseError as error:
            self.add_error(field, str(error))
            return data
        data["text"], data["source"] = content.decode("utf-8"), source
        return data
