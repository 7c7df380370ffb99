"""What-if on a milestone's page (the PMO's): choose a new date, see what the schedule's rules
move with it, the gates whose readiness changes and the findings it raises or clears, then
apply it in one step or discard it. The method: docs/what-if.md."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from steerco.accounts.access import Can, get_or_refuse, principal, programme_or_refuse, require
from steerco.milestones.models import Milestone
from steerco.rules.frame import live
from steerco.rules.whatif import WhatIfError, propose
from steerco.rules.whatif_apply import StaleProposal, apply, schedule_version


class AskForm(forms.Form):
    date = forms.DateField(
        label="New forecast date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A working day. Nothing is written until you apply the proposal.",
    )


class ApplyForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)
    version = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        max_length=300,
        help_text="Why: kept in the history of every record the proposal moves.",
        widget=forms.TextInput(attrs={"size": 60}),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def what_if(request: HttpRequest, programme: str, milestone: str) -> HttpResponse:
    who = principal(request)
    require(who, Can.EDIT_REGISTERS)
    found = programme_or_refuse(who, programme)
    record = get_or_refuse(Milestone.objects.filter(programme=found), who, code=milestone)
    context: dict[str, Any] = {"programme": found, "record": record}
    if request.method == "POST":
        return _apply(request, context)
    ask = AskForm(request.GET or None, initial={"date": record.forecast_date})
    context["ask"] = ask
    if not ask.is_valid():
        return render(request, "web/milestones/what_if.html", context)
    return _proposal(request, context, ask.cleaned_data["date"], status=200)


def _proposal(
    request: HttpRequest, context: dict[str, Any], day: Any, *, status: int, **form: Any
) -> HttpResponse:
    """The proposal for ``day`` on the schedule as it is now, with the form that applies it."""
    found, record = context["programme"], context["record"]
    context.setdefault("ask", AskForm(initial={"date": day}))
    version = schedule_version(found)  # read first: a change after it makes it stale
    try:
        context["proposal"] = propose(live(found, principal(request)), record.code, day)
    except WhatIfError as error:
        context["refused"] = str(error)
        return render(request, "web/milestones/what_if.html", context, status=400)
    context["apply"] = ApplyForm(initial={"date": day, "version": version, **form})
    return render(request, "web/milestones/what_if.html", context, status=status)


def _apply(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    found, record = context["programme"], context["record"]
    form = ApplyForm(request.POST)
    if not form.is_valid():
        context.update(ask=AskForm(), refused="Give a date, and a reason to keep in history.")
        return render(request, "web/milestones/what_if.html", context, status=400)
    day, reason = form.cleaned_data["date"], form.cleaned_data["reason"]
    try:
        proposal = propose(live(found, principal(request)), record.code, day)
        apply(found, proposal, reason, form.cleaned_data["version"])
    except WhatIfError as error:
        context.update(ask=AskForm(initial={"date": day}), refused=str(error))
        return render(request, "web/milestones/what_if.html", context, status=400)
    except StaleProposal:
        context["stale"] = True
        return _proposal(request, context, day, status=409, reason=reason)
    item = reverse("web:register-item", args=(found.code, "milestones", record.pk))
    return redirect(f"{item}#history")
