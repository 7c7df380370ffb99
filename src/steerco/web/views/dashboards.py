"""Home, programme home and the delivery dashboards."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from steerco.accounts.access import Can, principal, programme_or_refuse, visible
from steerco.accounts.choices import Role
from steerco.core.choices import MeetingState
from steerco.core.models import Meeting, Programme
from steerco.pack.editions import AUDIENCES, editions_for
from steerco.registers import PAGES as REGISTERS
from steerco.rules.frame import live
from steerco.web import dashboards
from steerco.web.views import meetings


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    programmes = list(visible(Programme.objects.order_by("code"), principal(request)))
    if len(programmes) == 1:
        return redirect("web:programme", programme=programmes[0].code)
    return render(request, "web/home.html", {"programmes": programmes})


@require_safe
def programme_home(request: HttpRequest, programme: str) -> HttpResponse:
    """The programme's front door: where each role starts, the packs published to it, and
    the dashboards."""
    who = principal(request)
    found = programme_or_refuse(who, programme)
    areas: dict[str, list[dashboards.Dashboard]] = {}
    for dashboard in dashboards.DASHBOARDS:
        areas.setdefault(dashboard.area, []).append(dashboard)
    shown = visible(Meeting.objects.filter(programme=found), who)
    summary = dashboards.BY_SLUG["summary"]
    return render(
        request,
        "web/programme.html",
        {
            "programme": found,
            "areas": areas,
            "summary": summary,
            "found": summary.compute(live(found, who)),
            "registers": REGISTERS if who.may(Can.READ_REGISTERS) else (),
            "current": shown.filter(code=found.current_meeting_code).first(),
            "preparing": shown.filter(state=MeetingState.OPEN).order_by("date").first(),
            "published": meetings.published(who, found),
            "edition": AUDIENCES[editions_for(who)[0]],
            "participant": who.role is Role.PARTICIPANT,
            "public": who.role is Role.PUBLIC,
        },
    )


@require_safe
def dashboard(request: HttpRequest, programme: str, dashboard: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    board = dashboards.BY_SLUG.get(dashboard)
    if board is None:
        raise Http404("No such dashboard.")
    context = dashboards.build(board, dashboards.Request(found, who, request.GET))
    return render(request, dashboards.template_name(board), {"programme": found, **context})
