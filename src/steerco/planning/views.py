"""The migration plan on the web: the latest finished run of a programme, any earlier run,
and (PMO and admins) starting a run from an uploaded case or a bundled example.

A plan holds every supplier's portfolio size, so it is read by those who may read plans
(admins, the PMO, the steering group), not by participants or the public."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from steerco.accounts.access import Can, principal, programme_or_refuse, require
from steerco.core.models import Programme
from steerco.planning import runs, summary
from steerco.planning.forms import StartForm
from steerco.planning.models import PlanRun

SUPPLIERS_PER_PAGE = 25
RUNS_PER_PAGE = 20


def _reader(request: HttpRequest, programme: str) -> Programme:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    require(who, Can.READ_PLANS)
    return found


@require_safe
def home(request: HttpRequest, programme: str) -> HttpResponse:
    found = _reader(request, programme)
    return _page(request, found, _newest(found), latest=True)


@require_safe
def run(request: HttpRequest, programme: str, run: int) -> HttpResponse:
    found = _reader(request, programme)
    record = get_object_or_404(
        PlanRun.objects.select_related("job", "requested_by"), programme=found, pk=run
    )
    return _page(request, found, record, latest=False)


@require_POST
def start(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    require(who, Can.EDIT_REGISTERS)
    form = StartForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, found, _newest(found), latest=True, form=form, status=400)
    user = request.user if request.user.is_authenticated else None
    data = form.cleaned_data
    job = runs.queue(found, data["case"], data["text"], data["source"], user)
    return HttpResponseRedirect(reverse("jobs:detail", args=[job.pk]))


def _newest(programme: Programme) -> PlanRun | None:
    runs = PlanRun.objects.filter(programme=programme).select_related("job", "requested_by")
    return runs.finished().first()


def _page(
    request: HttpRequest,
    programme: Programme,
    shown: PlanRun | None,
    *,
    latest: bool,
    form: StartForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The planning page: one run (the latest finished one, or the one asked for), the list
    of runs, and (on the latest run's page) the start form for those who may start one."""
    listed = (
        PlanRun.objects.filter(programme=programme)
        .select_related("job", "requested_by")
        .defer("case_text", "result")  # a GB-sized plan is a megabyte of JSON
    )
    runs_page = Paginator(listed, RUNS_PER_PAGE).get_page(request.GET.get("runs"))
    may_start = latest and principal(request).may(Can.EDIT_REGISTERS)
    context: dict[str, Any] = {
        "programme": programme,
        "shown": shown,
        "latest_view": latest,
        "runs": runs_page,
        "form": (form or StartForm()) if may_start else None,
    }
    if shown is not None and shown.result:
        context.update(_plan(request, shown.result))
    return render(request, "planning/plan.html", context, status=status)


def _plan(request: HttpRequest, result: dict[str, Any]) -> dict[str, Any]:
    suppliers = Paginator(summary.supplier_rows(result), SUPPLIERS_PER_PAGE)
    return {
        "facts": summary.facts(result),
        "outcomes": summary.outcomes(result),
        # steerco.charts escapes every text it draws.
        "chart": mark_safe(summary.chart(result)),
        "page": suppliers.get_page(request.GET.get("page")),
        "ldsos": summary.ldso_rows(result),
        "raid": summary.raid(result),
    }
