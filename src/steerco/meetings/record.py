"""What a held meeting did: who attended, the minutes of each agenda item, the decisions
taken, the actions raised and the updates to the actions it reviewed.

One form of several parts, saved in one transaction with one reason (kept in the history of
every record it writes); nothing is saved when any part is invalid. Saving the record of a
published meeting holds it; a held meeting's record may be corrected; a meeting in any
other state is refused with a reason the PMO can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction
from django.db.models import Max
from django.forms import (
    BaseFormSet,
    BaseInlineFormSet,
    BaseModelFormSet,
    formset_factory,
    inlineformset_factory,
    modelformset_factory,
)

from steerco.accounts.access import Principal, visible
from steerco.core.choices import ActionStatus, MeetingState
from steerco.core.history import acting
from steerco.core.models import AgendaItem, Attendee, BodyMember, Meeting, Programme
from steerco.meetings import life
from steerco.milestones.models import Decision
from steerco.raid.models import Action, ActionUpdate
from steerco.records.creating import propose_ref
from steerco.records.fields import DateField, formfield
from steerco.registers import PAGES_BY_SLUG

State = MeetingState
# Recording holds a published meeting (life's "hold" step); a held one may be corrected.
RECORDABLE: tuple[MeetingState, ...] = (*life.NEEDS["hold"], State.HELD)
NEW_DECISIONS = 2
NEW_ACTIONS = 3
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def refusal(meeting: Meeting) -> str | None:
    """Why ``meeting`` cannot be recorded in its state, or None when it can."""
    if meeting.state in RECORDABLE:
        return None
    state = meeting.get_state_display().lower()
    if meeting.state == State.CLOSED:
        return (
            f"{meeting.code} is {state}: only a meeting that is published or held can be "
            "recorded, so its record can no longer be changed."
        )
    return (
        f"{meeting.code} is {state}: only a meeting that is published or held can be "
        "recorded. Freeze and publish its pack first."
    )


# -- the form's parts ------------------------------------------------------------------------


class Labelled:
    """Rows of a table whose column headings label no input: each input is named for its
    row and column instead ("Attendee 2: Represents")."""

    noun = "Row"

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)  # type: ignore[misc]
        row = self.row_name(form, index)
        for name, field in form.fields.items():
            if not field.widget.is_hidden:
                field.widget.attrs["aria-label"] = f"{row}: {form[name].label}"

    def row_name(self, form: forms.Form, index: int | None) -> str:
        instance = getattr(form, "instance", None)
        if instance is not None and instance.pk is not None:
            return f"{self.noun} {instance}"
        return f"New {self.noun.lower()} {(index or 0) + 1}"


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the history of every record this saves.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


class AttendeeForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Attendee
        fields = ("name", "represents", "member", "attendance")
        labels = {"member": "Member of the body"}
        formfield_callback = formfield

    def has_changed(self) -> bool:
        # A new row prefilled from the body's members is kept as it stands: a name is enough.
        named = self.instance.pk is None and bool(self["name"].value())
        return named or super().has_changed()


class AttendeeRows(Labelled, BaseInlineFormSet):  # type: ignore[type-arg]
    noun = "Attendee"

    def save_rows(self) -> None:
        rows = self.save(commit=False)
        for gone in self.deleted_objects:
            gone.delete()
        top = max((a.order for a in self.get_queryset()), default=0)
        for row in rows:
            if row.pk is None:
                top += 1
                row.order = top
            row.save()


def attendee_rows(meeting: Meeting, data: Any = None) -> AttendeeRows:
    """The meeting's attendees; for a meeting with none yet, the body's members as new rows."""
    prefill: list[dict[str, Any]] = []
    if not meeting.attendees.exists():
        members = BodyMember.objects.filter(
            body__programme_id=meeting.programme_id, body__code=meeting.body
        )
        prefill = [{"name": m.name, "represents": m.represents, "member": True} for m in members]
    made: Any = inlineformset_factory(
        Meeting,
        Attendee,
        form=AttendeeForm,
        formset=AttendeeRows,
        extra=len(prefill) + 2,
        can_delete=True,
    )
    return made(data, instance=meeting, initial=prefill, prefix="attendees")


class MinutesForm(forms.Form):
    """One Markdown text per agenda item."""

    def __init__(self, *args: Any, items: list[AgendaItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[f"item_{item.pk}"] = forms.CharField(
                required=False,
                initial=item.minutes,
                label=f"Minutes of item {item.number}: {item.title}",
                help_text="Markdown.",
                widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
            )

    def save(self) -> None:
        for item in self.items:
            text = self.cleaned_data[f"item_{item.pk}"]
            if text != item.minutes:
                item.minutes = text
                item.save(update_fields=["minutes"])


class DecisionForm(forms.ModelForm):  # type: ignore[type-arg]
    programme: Programme

    class Meta:
        model = Decision
        fields = ("ref", "title", "outcome", "decided_by")
        formfield_callback = formfield

    def has_changed(self) -> bool:
        # A new row holding only its proposed ref (or none) is a row left empty.
        if self.instance.pk is not None:
            return super().has_changed()
        return any(self[name].value() for name in ("title", "outcome", "decided_by"))

    def clean_ref(self) -> str:
        ref = str(self.cleaned_data["ref"]).strip()
        taken = Decision.objects.filter(programme=self.programme, ref=ref)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"Decision {ref} already exists in {self.programme.code}: choose another."
            )
        return ref


class DecisionRows(Labelled, BaseModelFormSet):  # type: ignore[type-arg]
    noun = "Decision"

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            ref = (getattr(form, "cleaned_data", None) or {}).get("ref")
            if not ref:
                continue
            if ref in seen:
                form.add_error("ref", f"Decision {ref} is given twice: choose another.")
            seen.add(ref)

    def save_rows(self, meeting: Meeting) -> None:
        for decision in self.save(commit=False):
            if decision.pk is None:
                decision.programme = meeting.programme
                decision.meeting = meeting
            decision.save()


def decision_rows(meeting: Meeting, who: Principal, data: Any = None) -> DecisionRows:
    """The meeting's decisions, editable, and new rows with the next refs proposed."""
    made: Any = modelformset_factory(
        Decision, form=DecisionForm, formset=DecisionRows, extra=NEW_DECISIONS
    )
    made.form.programme = meeting.programme
    queryset = visible(Decision.objects.filter(meeting=meeting), who).order_by("pk")
    initial = [{"ref": ref} for ref in proposed_refs(meeting.programme, NEW_DECISIONS)]
    return made(data, queryset=queryset, initial=initial, prefix="decisions")


def proposed_refs(programme: Programme, count: int) -> list[str]:
    """The next ``count`` refs in the decisions register's own numbering (CP3, CP4 after
    the seed's CP2), none of them taken; empty when its refs are not numbered."""
    first = propose_ref(PAGES_BY_SLUG["decisions"], programme).get("ref", "")
    found = _NUMBERED.match(first)
    if found is None:
        return [""] * count
    prefix, width = found["prefix"], len(found["number"])
    taken = set(
        Decision.objects.filter(programme=programme, ref__startswith=prefix).values_list(
            "ref", flat=True
        )
    )
    refs: list[str] = []
    number = int(found["number"])
    while len(refs) < count:
        ref = f"{prefix}{number:0{width}d}"
        if ref not in taken:
            refs.append(ref)
        number += 1
    return refs


class NewActionForm(forms.Form):
    text = forms.CharField(label="Action", widget=forms.Textarea(attrs={"rows": 2}))
    owners = forms.CharField(required=False, max_length=300)
    due_date = DateField(required=False, label="Due")


class NewActionRows(Labelled, BaseFormSet):  # type: ignore[type-arg]
    noun = "Action"

    def save_rows(self, meeting: Meeting) -> list[Action]:
        """Each filled row as an open action raised at the meeting, numbered on from the
        meeting's last (PSG24-01, PSG24-02…), last in the register's order."""
        top = Action.objects.filter(programme_id=meeting.programme_id).aggregate(t=Max("order"))
        order = top["t"] or 0
        raised = []
        for form in self.forms:
            if not form.has_changed():
                continue
            order += 1
            raised.append(
                Action.objects.create(
                    programme_id=meeting.programme_id,
                    ref=life.next_action_ref(meeting),
                    raised_at=meeting,
                    status=ActionStatus.OPEN,
                    order=order,
                    **form.cleaned_data,
                )
            )
        return raised


class ReviewForm(forms.Form):
    """For each action under review: its new status and what was said of it."""

    STATUSES = [("", "Unknown"), *ActionStatus.choices]

    def __init__(self, *args: Any, actions: list[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actions = actions
        for action in actions:
            self.fields[f"status_{action.pk}"] = forms.ChoiceField(
                choices=self.STATUSES,
                required=False,
                initial=action.status,
                label=f"New status of {action.ref}",
                widget=forms.Select(attrs={"aria-label": f"New status of {action.ref}"}),
            )
            self.fields[f"update_{action.pk}"] = forms.CharField(
                required=False,
                label=f"Update on {action.ref}",
                widget=forms.Textarea(attrs={"rows": 2, "aria-label": f"Update on {action.ref}"}),
            )

    def rows(self) -> list[tuple[Action, forms.BoundField, forms.BoundField]]:
        return [(a, self[f"status_{a.pk}"], self[f"update_{a.pk}"]) for a in self.actions]

    def save(self, meeting: Meeting) -> None:
        """A status changed is set; an update written is added last, dated the meeting."""
        for action in self.actions:
            status = self.cleaned_data[f"status_{action.pk}"]
            text = self.cleaned_data[f"update_{action.pk}"].strip()
            if text:
                top = action.updates.aggregate(t=Max("order"))["t"] or 0
                ActionUpdate.objects.create(
                    action=action, order=top + 1, date=meeting.date, text=text
                )
            if status != action.status:
                action.status = status
                action.save(update_fields=["status"])


@dataclass
class RecordForm:
    """Every part of a meeting's record, bound to the posted data or unbound."""

    meeting: Meeting
    reason: ReasonForm
    attendees: AttendeeRows
    minutes: MinutesForm
    decisions: DecisionRows
    actions: NewActionRows
    reviews: ReviewForm

    @property
    def next_action_ref(self) -> str:
        return life.next_action_ref(self.meeting)

    def is_valid(self) -> bool:
        # Every part checked, not just up to the first invalid one: all errors at once.
        forms_valid = [self.reason.is_valid(), self.minutes.is_valid(), self.reviews.is_valid()]
        rows_valid = [self.attendees.is_valid(), self.decisions.is_valid(), self.actions.is_valid()]
        return all(forms_valid) and all(rows_valid)


def record_form(meeting: Meeting, who: Principal, data: Any = None) -> RecordForm:
    items = list(visible(AgendaItem.objects.filter(meeting=meeting), who).order_by("number"))
    actions = visible(Action.objects.filter(programme_id=meeting.programme_id), who)
    reviewed = life.actions_to_review(meeting, list(actions.select_related("raised_at")))
    new_actions: Any = formset_factory(NewActionForm, formset=NewActionRows, extra=NEW_ACTIONS)
    return RecordForm(
        meeting=meeting,
        reason=ReasonForm(data, prefix="record"),
        attendees=attendee_rows(meeting, data),
        minutes=MinutesForm(data, items=items, prefix="minutes"),
        decisions=decision_rows(meeting, who, data),
        actions=new_actions(data, prefix="actions"),
        reviews=ReviewForm(data, actions=reviewed, prefix="review"),
    )


def save(form: RecordForm, actor: str) -> Meeting:
    """Save a valid record in one transaction, every row with the form's reason; a
    published meeting becomes held. Raises life.LifeError, saving nothing, when the meeting
    is no longer in a state that may be recorded."""
    reason = form.reason.cleaned_data["reason"]
    with transaction.atomic(), acting(actor, reason):
        meeting = Meeting.objects.select_for_update().get(pk=form.meeting.pk)
        refused = refusal(meeting)
        if refused:
            raise life.LifeError(refused)
        form.attendees.save_rows()
        form.minutes.save()
        form.decisions.save_rows(meeting)
        form.actions.save_rows(meeting)
        form.reviews.save(meeting)
        if meeting.state == State.PUBLISHED:
            life.hold(meeting, actor, reason)
    return meeting


# -- what the meeting page shows ------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """A meeting's record as ``who`` may see it."""

    attendees: list[Attendee]
    present: int
    apologies: int
    quorum: str
    minutes: list[AgendaItem]  # the items with minutes
    decisions: list[Decision]
    raised: list[Action]
    refusal: str | None  # why it cannot be recorded now; None: it can

    @property
    def empty(self) -> bool:
        return not (self.attendees or self.minutes or self.decisions or self.raised)


def shown(meeting: Meeting, who: Principal) -> Shown:
    attendees = list(visible(Attendee.objects.filter(meeting=meeting), who))
    items = visible(AgendaItem.objects.filter(meeting=meeting), who).order_by("number")
    decisions = visible(Decision.objects.filter(meeting=meeting), who).order_by("ref", "pk")
    raised = visible(Action.objects.filter(raised_at=meeting), who)
    return Shown(
        attendees=attendees,
        present=sum(a.attendance == "present" for a in attendees),
        apologies=sum(a.attendance == "apologies" for a in attendees),
        quorum=quorum_text(meeting),
        minutes=[item for item in items if item.minutes.strip()],
        decisions=list(decisions),
        raised=list(raised),
        refusal=refusal(meeting),
    )


def quorum_text(meeting: Meeting) -> str:
    """Whether the meeting was quorate, in words: "Quorate: 7 of 6 needed"."""
    body = life.body_of(meeting)
    verdict = life.quorum(meeting, body)
    if verdict is None or body is None or body.quorum is None:
        if body is None or body.quorum is None:
            return f"Quorum unknown: {meeting.body} has no quorum set."
        return "Quorum unknown: no attendance recorded."
    # The count is of every member present, as life.quorum counts, whoever reads it.
    present = meeting.attendees.filter(member=True, attendance="present").count()
    return f"{'Quorate' if verdict else 'Not quorate'}: {present} of {body.quorum} needed"
