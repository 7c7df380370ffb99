"""RAID input: anyone with an account raises a risk, issue, assumption or dependency; the
PMO triages it (accept with a ref, merge, decline with a reason the raiser sees)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from steerco.accounts.access import Principal, principal, programme_or_refuse, visible
from steerco.portal import access, rules, services
from steerco.portal.forms import SubmissionForm, TriageForm
from steerco.portal.models import RaidSubmission, Triage
from steerco.raid.models import RaidItem


@require_http_methods(["GET", "HEAD", "POST"])
def raid_new(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    access.require_signed_in(who)
    found = programme_or_refuse(who, programme)
    form = SubmissionForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "portal/raid_new.html", {"programme": found, "form": form}, status=status
        )
    submission = RaidSubmission(
        programme=found,
        organisation_id=who.organisation_id,
        raised_by_id=who.user_id,
        raised_by_name=request.user.get_username(),
        **form.cleaned_data,
    )
    submission._change_reason = "raised through the RAID input form"  # type: ignore[attr-defined]
    submission.save()
    messages.success(request, "Raised: the PMO will triage it.")
    return redirect("portal:raid-mine", programme=found.code)


@require_safe
def raid_mine(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    access.require_signed_in(who)
    found = programme_or_refuse(who, programme)
    mine = access.submissions(who, found).filter(raised_by_id=who.user_id)
    return render(
        request,
        "portal/raid_mine.html",
        {"programme": found, "submissions": mine.select_related("item")},
    )


@require_safe
def triage(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    access.require_pmo(who)
    everything = access.submissions(who, found).select_related("organisation", "item")
    status = request.GET.get("status", Triage.PENDING)
    return render(
        request,
        "portal/triage.html",
        {
            "programme": found,
            "submissions": everything.filter(status=status) if status else everything,
            "status": status,
            "statuses": Triage.choices,
        },
    )


@require_safe
def raid_submission(request: HttpRequest, programme: str, submission: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = access.submission_or_refuse(who, found, submission)
    return render(
        request,
        "portal/raid_submission.html",
        {
            "programme": found,
            "submission": record,
            "pmo": access.is_pmo(who),
            "form": TriageForm(items=RaidItem.objects.none()),
            "similar": _similar(who, record) if access.is_pmo(who) else [],
        },
    )


def _similar(who: Principal, record: RaidSubmission) -> list[RaidItem]:
    words = [w for w in record.title.split() if len(w) > 4][:4]
    condition = Q()
    for word in words:
        condition |= Q(description__icontains=word)
    items = visible(RaidItem.objects.filter(programme=record.programme), who)
    return list(items.filter(condition)[:8]) if words else []


@require_POST
def raid_decide(request: HttpRequest, programme: str, submission: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    access.require_pmo(who)
    record = access.submission_or_refuse(who, found, submission)
    items = visible(RaidItem.objects.filter(programme=found), who)
    form = TriageForm(request.POST, items=items)
    if not form.is_valid():
        context = {"programme": found, "submission": record, "pmo": True, "form": form}
        return render(request, "portal/raid_submission.html", context, status=400)
    data = form.cleaned_data
    try:
        if data["outcome"] == "accept":
            item = services.accept(record, owner=data["owner"])
            messages.success(request, f"Accepted as {item.ref}.")
        elif data["outcome"] == "merge" and form.item is not None:
            services.merge(record, form.item, data["reason"])
            messages.success(request, f"Merged into {form.item.ref}.")
        else:
            services.decline(record, data["reason"])
            messages.success(request, "Declined; the raiser sees the reason.")
    except rules.TransitionError as refusal:
        messages.error(request, str(refusal))
    return redirect("portal:triage", programme=found.code)
