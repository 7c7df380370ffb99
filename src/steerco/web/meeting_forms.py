"""Forms of a meeting's editing pages: its agenda (one formset), a narrative section and a
paper."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory

from steerco.core.models import AgendaItem, Meeting, NarrativeSection, Paper
from steerco.core.validators import upload_at_most
from steerco.meetings.agenda import FIELDS
from steerco.records import editing
from steerco.records.fields import formfield

REASON_HELP = "Why: kept in history."


class ReasonForm(forms.Form):
    """The one reason an agenda save carries, and the fingerprint of the agenda as loaded."""

    loaded = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=300, help_text=REASON_HELP, widget=forms.TextInput(attrs={"size": 60})
    )


class AgendaItemForm(forms.ModelForm):  # type: ignore[type-arg]
    # Left empty, a new row goes last; the rows are numbered 1..n in order when saved.
    number = forms.IntegerField(
        required=False,
        min_value=1,
        help_text="Order: rows are renumbered 1, 2, 3… in this order.",
        widget=forms.NumberInput(attrs={"class": "agenda-number", "size": 3}),
    )

    class Meta:
        model = AgendaItem
        fields = ("number", *FIELDS)
        labels = {"duration_minutes": "Duration (minutes)", "sub_items": "Sub-items"}
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 2, "cols": 50}),
            "sub_items": forms.Textarea(attrs={"rows": 2, "cols": 50}),
            "duration_minutes": forms.NumberInput(attrs={"class": "agenda-duration", "min": 0}),
        }
        formfield_callback = formfield


AgendaFormSet: Any = inlineformset_factory(
    Meeting,
    AgendaItem,
    form=AgendaItemForm,
    fields=("number", *FIELDS),
    extra=2,
    can_delete=True,
)


def agenda_formset(meeting: Meeting, data: Any = None) -> Any:
    formset = AgendaFormSet(
        data, instance=meeting, queryset=AgendaItem.objects.filter(meeting=meeting)
    )
    for form in formset.forms:
        delete = form.fields.get("DELETE")
        if delete is not None:
            delete.label = "Delete this item"
            delete.widget.attrs["class"] = "agenda-delete"
    return formset


class _SectionMeta:
    model = NarrativeSection
    fields = ("title", "slug", "order", "body", "classification")
    widgets = {"body": forms.Textarea(attrs={"rows": 18, "cols": 80})}
    help_texts = {"body": "Markdown: # headings, **bold**, - lists, | tables |."}
    formfield_callback = formfield


class SectionForm(editing.EditForm):
    """An existing section: saved through records.editing, refused if changed meanwhile."""

    Meta = _SectionMeta


class NewSectionForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(
        max_length=300, help_text=REASON_HELP, widget=forms.TextInput(attrs={"size": 60})
    )

    Meta = _SectionMeta


class PaperForm(forms.ModelForm):  # type: ignore[type-arg]
    reason = forms.CharField(
        max_length=300, help_text=REASON_HELP, widget=forms.TextInput(attrs={"size": 60})
    )

    class Meta:
        model = Paper
        # The file last: an upload stopped at the limit leaves the fields before it read.
        fields = ("title", "classification", "file")
        formfield_callback = formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = settings.PAPER_MAX_BYTES
        field = self.fields["file"]
        field.validators.append(upload_at_most(limit))
        field.help_text = f"PDF, Word, Excel, PowerPoint, image or text; at most {limit:,} bytes."
        self.order_fields(["title", "classification", "reason", "file"])
