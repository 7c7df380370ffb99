"""A meeting's life on the web: the next meeting set up from its body's cadence, and the
PMO's steps freeze, publish, held and close, each a POST with a reason, refused with the
reason the meeting's state gives."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from steerco.accounts.access import Can, get_or_refuse, principal, programme_or_refuse, require
from steerco.core import cadence
from steerco.core.models import Body, Meeting
from steerco.jobs.models import Job
from steerco.jobs.tasks import start
from steerco.meetings import life, notices

STEPS = tuple(life.NEEDS)  # freeze, publish, hold, close: one URL each


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=300, required=False, help_text="Why: kept in the meeting's history."
    )


class NextForm(ReasonForm):
    # The meeting the page proposed: a second submission (or another PMO's meanwhile) finds
    # a different proposal and is asked to look again instead of setting up one more.
    code = forms.CharField(max_length=40, widget=forms.HiddenInput)


def _actor(request: HttpRequest) -> str:
    return request.user.get_username() if request.user.is_authenticated else "anonymous"


def _meeting(request: HttpRequest, programme: str, meeting: str) -> Meeting:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = get_or_refuse(Meeting.objects.filter(programme=found), who, code=meeting)
    require(who, Can.EDIT_REGISTERS)
    return record


def _back(record: Meeting) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("web:meeting", args=[record.programme.code, record.code]))


def build_pack(request: HttpRequest, record: Meeting) -> Job:
    job = Job.objects.create(
        programme=record.programme,
        kind=Job.Kind.PACK,
        params={"meeting": record.code},
        requested_by=request.user if request.user.is_authenticated else None,
    )
    # Queued once the freeze is written, so the worker reads the new cut-off.
    transaction.on_commit(lambda: start(job))
    return job


@require_http_methods(["GET", "POST"])
def next_meeting(request: HttpRequest, programme: str, body: str) -> HttpResponse:
    """The body's next meeting as its cadence proposes it, set up in one step."""
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = get_or_refuse(Body.objects.filter(programme=found), who, code=body)
    require(who, Can.EDIT_REGISTERS)
    try:
        proposal = life.propose_next(found, record)
    except life.LifeError as error:
        return render(
            request,
            "web/meetings/next.html",
            {"programme": found, "body": record, "problem": str(error)},
            status=409,
        )
    form = NextForm(
        request.POST or None, initial={"reason": f"{proposal.code} set up", "code": proposal.code}
    )
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"] or f"{proposal.code} set up from the cadence"
        try:
            if form.cleaned_data["code"] != proposal.code:
                raise life.LifeError(
                    f"{form.cleaned_data['code']} is already set up; the next {record.code} "
                    f"meeting is now {proposal.code}, shown below: check it and submit again."
                )
            with transaction.atomic():
                meeting = life.create_next(found, proposal, _actor(request), reason)
        except life.LifeError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                f"{meeting.code} is set up for {meeting.date:%A %d %B %Y}, open: its agenda "
                f"has {meeting.agenda_items.count()} items drafted from "
                f"{proposal.last.code if proposal.last else 'nothing'}.",
            )
            return _back(meeting)
    return render(
        request,
        "web/meetings/next.html",
        {
            "programme": found,
            "body": record,
            "proposal": proposal,
            "cadence": cadence.describe(record.cadence),
            "form": form,
        },
    )


@require_POST
def step(request: HttpRequest, programme: str, meeting: str, action: str) -> HttpResponse:
    record = _meeting(request, programme, meeting)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    actor = _actor(request)
    try:
        with transaction.atomic():
            locked = Meeting.objects.select_for_update().get(pk=record.pk)
            if action == "freeze":
                again = locked.state == "frozen"
                life.freeze(locked, actor, reason)
                build_pack(request, locked)
                told = (
                    f"{locked.code} is {'frozen again' if again else 'frozen'} at "
                    f"{locked.cutoff:%d %b %Y %H:%M:%S}: every edition is being built from "
                    "that moment. Check the findings below before publishing."
                )
            elif action == "publish":
                life.require(locked, "publish")
                _require_built(locked)
                life.publish(locked, actor, reason or "published")
                sent = notices.tell_published(locked, request.build_absolute_uri("/"))
                told = f"{locked.code} is published; {sent} people were told by e-mail."
            elif action == "hold":
                life.hold(locked, actor, reason or "held")
                told = f"{locked.code} is recorded as held."
            elif action == "close":
                closed = life.close(locked, actor, reason or "closed")
                told = (
                    f"{locked.code} is closed. {closed.current.code} is the current meeting"
                    f"{' (set up from the cadence)' if closed.created else ''}; "
                    f"{len(closed.carried)} open actions carry to its review of actions."
                )
            else:  # pragma: no cover - the URLs name only the steps
                raise life.LifeError(f"No step {action}.")
    except life.LifeError as error:
        messages.error(request, str(error))
        return _back(record)
    messages.success(request, told)
    return _back(record)


def _require_built(meeting: Meeting) -> None:
    from steerco.pack.editions import Edition, pack_path

    missing = [
        e.value
        for e in Edition
        if not pack_path(meeting.programme.code, meeting.code, e, "pdf").is_file()
    ]
    if missing:
        raise life.LifeError(
            f"{meeting.code}'s editions are not all built yet (missing: {', '.join(missing)}): "
            "wait for the build to finish, or freeze again if it failed."
        )
    job = life.latest_build(meeting)
    if job is not None and job.state != Job.State.DONE:
        raise life.LifeError(f"{meeting.code}'s pack is still being built: wait for it to finish.")
    if job is not None and meeting.cutoff and not life.built_from_cutoff(job, meeting):
        raise life.LifeError(
            f"{meeting.code}'s editions were built from another cut-off: freeze it again."
        )
