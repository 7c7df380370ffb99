"""The portal's forms: a delivery report with its four kinds of rows (one page, saved in
one transaction), the RAID input form and its triage, a readiness round and its answers.

Dates a participant types must parse (2023-10-31 or 31/10/2023). A date carried over from
an earlier report as the pack printed it ("End Sept'23") is kept as it was until someone
changes it. A decision or escalation needed before the report's own date is refused; a
milestone's forecast may fall either side of its baseline (that is slip, reported, not
refused).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.text import capfirst

from steerco.core.choices import RAG, RaidType
from steerco.portal import rules
from steerco.raid.models import RaidItem
from steerco.records.editing import version_of
from steerco.records.fields import DATE_HINT, DateField, formfield
from steerco.reports.models import (
    DeliveryReport,
    ReportDecision,
    ReportEscalation,
    ReportMilestone,
    ReportRaidEntry,
)

# A date kept as stated text (carried over as the pack printed it) is typed, not picked.
DATE_HELP = f"{DATE_HINT}, or 2023-10-31."
KINDS = (("core provider", "Core capability provider"), ("LDSO", "LDSO"), ("", "Other"))
TEXT = {"rows": 2, "cols": 40}


class ReportForm(forms.ModelForm):  # type: ignore[type-arg]
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=KINDS, required=False)

    class Meta:
        model = DeliveryReport
        fields = (
            "kind",
            "report_date",
            "overall_rag",
            *(f"{d}_rag" for d in rules.DIMENSIONS),
            "progress_last_month",
            "progress_next_month",
            "notes",
        )
        formfield_callback = formfield

    def __init__(self, *args: Any, meeting_date: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting_date = meeting_date
        self.fields["report_date"].required = True
        self.fields["overall_rag"].required = True

    def clean_report_date(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("report_date")
        problem = rules.report_date_problem(value, self.meeting_date)
        if problem:
            raise forms.ValidationError(problem)
        return value


class StatedDates(forms.ModelForm):  # type: ignore[type-arg]
    """Form fields for dates the model keeps as stated text: typed ones must parse."""

    stated: dict[str, str] = {}  # form field → model field
    checked_against_report_date: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, model_field in self.stated.items():
            self.fields[name] = forms.CharField(required=False, help_text=DATE_HELP)
            if self.instance.pk:
                self.initial[name] = getattr(self.instance, model_field)
        self.dates: dict[str, dt.date | None] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.stated:
            text = data.get(name) or ""
            if name not in self.changed_data:
                continue  # carried over as stated: kept as it was
            try:
                self.dates[name] = rules.parse_date(text)
            except ValueError as error:
                self.add_error(name, str(error))
        return data

    def save(self, commit: bool = True) -> Any:
        for name, model_field in self.stated.items():
            if name in self.changed_data and name in self.dates:
                parsed = self.dates[name]
                setattr(self.instance, model_field, parsed.isoformat() if parsed else "")
        return super().save(commit)

    def check_order(self, report_date: dt.date | None) -> None:
        for name in self.checked_against_report_date:
            problem = rules.date_order_problem(self.dates.get(name), report_date)
            if problem:
                self.add_error(name, problem)


class MilestoneForm(forms.ModelForm):  # type: ignore[type-arg]
    noun = "milestone"

    class Meta:
        model = ReportMilestone
        fields = ("name", "baseline_date", "forecast_date", "rag", "confidence", "comment")
        widgets = {"comment": forms.Textarea(attrs=TEXT)}
        formfield_callback = formfield

    def save(self, commit: bool = True) -> Any:
        # A typed date replaces the one the pack printed for it.
        for name in ("baseline", "forecast"):
            if f"{name}_date" in self.changed_data:
                setattr(self.instance, f"{name}_stated", "")
        return super().save(commit)


class RaidEntryForm(StatedDates):
    noun = "RAID entry"
    stated = {"due": "due_stated"}

    class Meta:
        model = ReportRaidEntry
        fields = ("type", "description", "impact", "action", "owner", "rag")
        widgets = {
            "description": forms.Textarea(attrs=TEXT),
            "impact": forms.Textarea(attrs=TEXT),
            "action": forms.Textarea(attrs=TEXT),
        }
        formfield_callback = formfield


class DecisionForm(StatedDates):
    noun = "decision"
    stated = {"by_when": "by_when_stated"}
    checked_against_report_date = ("by_when",)

    class Meta:
        model = ReportDecision
        fields = ("direction", "description", "from_whom", "impact")
        widgets = {"description": forms.Textarea(attrs=TEXT), "impact": forms.Textarea(attrs=TEXT)}
        formfield_callback = formfield


class EscalationForm(StatedDates):
    noun = "escalation"
    stated = {"by_when": "by_when_stated"}
    checked_against_report_date = ("by_when",)

    class Meta:
        model = ReportEscalation
        fields = ("text",)
        widgets = {"text": forms.Textarea(attrs=TEXT)}
        formfield_callback = formfield


class Rows(BaseInlineFormSet):  # type: ignore[type-arg]
    """A report's rows; new ones go after the last."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # The rows are a table whose column headings label no input: each input is named
        # for its row and column instead ("Milestone Ofgem approval: Forecast date").
        row = row_name(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{row}: {form[name].label}"

    def save_rows(self) -> None:
        instances = self.save(commit=False)
        for gone in self.deleted_objects:
            gone.delete()
        top = max((r.order for r in self.get_queryset()), default=0)
        for row in instances:
            if row.order is None:
                top += 1
                row.order = top
            row.save()


def row_name(form: forms.Form, index: int | None) -> str:
    """A row as a person finds it on the page: a milestone by its name, other rows by their
    number; a row not saved yet as new."""
    noun = getattr(form, "noun", "row")
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None or index is None:
        return f"New {noun}"
    return capfirst(f"{noun} {getattr(instance, 'name', '') or index + 1}")


def _rows(model: type[Any], form: type[Any]) -> Any:
    return inlineformset_factory(
        DeliveryReport, model, form=form, formset=Rows, extra=1, can_delete=True
    )


ROWS: tuple[tuple[str, str, Any], ...] = (
    ("milestones", "Milestones", _rows(ReportMilestone, MilestoneForm)),
    ("raid", "Risks, assumptions, issues and dependencies", _rows(ReportRaidEntry, RaidEntryForm)),
    ("decisions", "Decisions required", _rows(ReportDecision, DecisionForm)),
    ("escalations", "Escalations", _rows(ReportEscalation, EscalationForm)),
)


def report_forms(record: DeliveryReport, data: Any = None) -> tuple[ReportForm, list[Any]]:
    """The report's form and one formset per kind of row, bound to ``data`` when given."""
    initial = {"version": version_of(record)}
    form = ReportForm(data, instance=record, initial=initial, meeting_date=record.meeting.date)
    formsets = [rows(data, instance=record, prefix=name) for name, _, rows in ROWS]
    return form, formsets


def saved_forms(record: DeliveryReport) -> tuple[ReportForm, list[Any]]:
    """The report's form bound to what is saved (so that problems can be attached to its
    fields), and its rows as saved."""
    unbound, formsets = report_forms(record)
    data = {name: unbound[name].value() for name in unbound.fields}
    form = ReportForm(data, instance=record, meeting_date=record.meeting.date)
    form.is_valid()
    return form, formsets


def check_submission(form: ReportForm) -> bool:
    """Attach each thing the report lacks before it is submitted to the field that lacks it
    (a field already refused keeps its own error); whether it lacks nothing."""
    sent = {name: form.cleaned_data.get(name) or "" for name in form.fields}
    problems = rules.submission_problems(sent)
    for name, problem in problems.items():
        if name not in form.errors:
            form.add_error(name, problem)
    return not problems


def check_dates(report: ReportForm, formsets: list[Any]) -> None:
    """Dates checked against the report's own date, once both are known."""
    report_date = report.cleaned_data.get("report_date")
    for formset in formsets:
        for form in formset.forms:
            if isinstance(form, StatedDates) and form.cleaned_data:
                form.check_order(report_date)


class ReviewForm(forms.Form):
    action = forms.ChoiceField(choices=(("return", "Return"), ("publish", "Publish")))
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)


class SubmissionForm(forms.Form):
    type = forms.ChoiceField(choices=[c for c in RaidType.choices if c[0] != "risk_or_issue"])
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}))
    impact = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    proposed_owner = forms.CharField(max_length=200, required=False)
    proposed_action = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TriageForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=(("accept", "Accept"), ("merge", "Merge"), ("decline", "Decline"))
    )
    owner = forms.CharField(max_length=200, required=False, help_text="Accept: the owner.")
    merge_into = forms.CharField(
        max_length=40, required=False, help_text="Merge: the ref of the existing item (R040)."
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Shown to the raiser; required to decline.",
    )

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.item: RaidItem | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome = data.get("outcome")
        if outcome == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason the raiser will see.")
        if outcome == "merge":
            ref = (data.get("merge_into") or "").strip()
            self.item = self.items.filter(ref=ref).first() if ref else None
            if self.item is None:
                self.add_error("merge_into", "No RAID item with that ref.")
        return data


class RoundForm(forms.Form):
    code = forms.CharField(max_length=20)
    title = forms.CharField(max_length=200)
    opens = DateField()
    closes = DateField()
    questions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One question a line; end a line with [text] for an answer without a RAG.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes < opens:
            self.add_error("closes", "The window closes before it opens.")
        return data

    def question_list(self) -> list[tuple[str, bool]]:
        out = []
        for line in self.cleaned_data["questions"].splitlines():
            line = line.strip()
            if line:
                text_only = line.endswith("[text]")
                out.append((line.removesuffix("[text]").strip(), not text_only))
        return out


def answer_form(questions: list[Any], data: Any = None, initial: Any = None) -> forms.Form:
    """A form with a RAG (where asked) and an answer for each question."""
    form = forms.Form(data, initial=initial)
    for question in questions:
        if question.asks_rag:
            form.fields[f"rag_{question.pk}"] = forms.ChoiceField(
                choices=[("", "—"), *RAG.choices], label="RAG"
            )
        form.fields[f"text_{question.pk}"] = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 2}), label=question.text
        )
    return form


class DeepDiveForm(forms.Form):
    deep_dive = forms.BooleanField(required=False, label="Pick for a follow-up deep dive")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
