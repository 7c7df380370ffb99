"""Starting a background job and watching its progress."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from steerco.accounts.access import Can, get_or_refuse, principal, programme_or_refuse, require
from steerco.core.models import Meeting
from steerco.jobs.models import Job
from steerco.jobs.tasks import start


@require_POST
def build_pack(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = get_or_refuse(Meeting.objects.filter(programme=found), who, code=meeting)
    require(who, Can.EDIT_REGISTERS)
    job = Job.objects.create(
        programme=found,
        kind=Job.Kind.PACK,
        params={"meeting": record.code},
        requested_by=request.user if request.user.is_authenticated else None,
    )
    start(job)
    return HttpResponseRedirect(reverse("jobs:detail", args=[job.pk]))


@require_GET
def detail(request: HttpRequest, job: int) -> HttpResponse:
    who = principal(request)
    require(who, Can.EDIT_REGISTERS)  # jobs are the PMO's: participants never see them
    found = get_object_or_404(Job, pk=job)
    programme_or_refuse(who, found.programme.code)
    template = "jobs/_progress.html" if request.headers.get("HX-Request") else "jobs/detail.html"
    context = {
        "job": found,
        "programme": found.programme,
        "meeting": found.params.get("meeting"),
        "run": found.params.get("run"),  # a plan run's job
        "subject": found.params.get("meeting") or found.params.get("case", ""),
    }
    if found.kind == Job.Kind.IMPORT:
        step = found.params.get("step", "")
        source, register = found.params.get("source", ""), found.params.get("register", "")
        context.update(subject=f"{source} into {register} ({step})", import_step=step)
    return render(request, template, context)
