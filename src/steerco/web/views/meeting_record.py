"""Recording what a held meeting did: attendance, minutes, decisions, actions raised and
updates to the actions it reviewed, in one form (steerco.meetings.record)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from steerco.accounts.access import Can, get_or_refuse, principal, programme_or_refuse, require
from steerco.core.models import Meeting
from steerco.meetings import record as recording
from steerco.meetings.life import LifeError

TEMPLATE = "web/meetings/record.html"


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_record(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = get_or_refuse(Meeting.objects.filter(programme=found), who, code=meeting)
    require(who, Can.EDIT_REGISTERS)
    context: dict[str, Any] = {"programme": found, "meeting": record}
    posted = request.method == "POST"
    refused = recording.refusal(record)
    if refused:
        return render(
            request, TEMPLATE, {**context, "refusal": refused}, status=409 if posted else 200
        )
    form = recording.record_form(record, who, request.POST if posted else None)
    context["form"] = form
    if not posted:
        return render(request, TEMPLATE, context)
    if not form.is_valid():
        return render(request, TEMPLATE, context, status=400)
    try:
        recording.save(form, request.user.get_username())
    except LifeError as error:
        return render(request, TEMPLATE, {**context, "refusal": str(error)}, status=409)
    return redirect("web:meeting", programme=found.code, meeting=record.code)
