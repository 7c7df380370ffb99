"""What changed between two meetings (default: since the last meeting held)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from steerco.accounts.access import Can, principal, programme_or_refuse, require, visible
from steerco.core.models import Meeting
from steerco.records.changes import Window, default_window, what_changed


@require_safe
def changes(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    require(who, Can.READ_REGISTERS)
    found = programme_or_refuse(who, programme)
    # Only a frozen meeting (or one after) has a cut-off to compare at.
    frozen = Meeting.objects.filter(programme=found, cutoff__isnull=False)
    meetings = list(visible(frozen, who).order_by("cutoff"))
    by_code = {m.code: m for m in meetings}
    window = default_window(meetings, timezone.now())
    if "since" in request.GET or "until" in request.GET:
        window = Window(
            by_code.get(request.GET.get("since", "")), by_code.get(request.GET.get("until", ""))
        )
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    register = request.GET.get("register", "")
    result = what_changed(found, who, window, page=page, register=register)
    return render(
        request,
        "web/changes.html",
        {
            "programme": found,
            "meetings": meetings,
            "window": window,
            "result": result,
            "register": register,
        },
    )
