"""Spreadsheets in and out of the web pages: the download button of every register page, and
the import page (upload → preview → confirm), for the PMO and admins. A large upload's
preview and commit run as background jobs (`import_jobs`), shown afterwards by `import_job`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from steerco.accounts.access import Can, Principal, principal, programme_or_refuse, require, visible
from steerco.core.models import Programme
from steerco.io import importer
from steerco.jobs.models import Job
from steerco.transfers import exports, import_jobs, imports, uploads
from steerco.transfers.forms import UploadForm
from steerco.transfers.models import ColumnMapping


@require_safe
def download(request: HttpRequest, programme: str, register: str) -> HttpResponse:
    who = principal(request)
    require(who, Can.READ_REGISTERS)
    found = programme_or_refuse(who, programme)
    fmt = request.GET.get("format", "xlsx")
    if register not in exports.EXPORTS:
        raise Http404("No such register.")
    if fmt not in exports.FORMATS:
        return HttpResponse("Choose format=xlsx or format=csv.", status=400)
    try:
        meeting = exports.meeting_of(who, found, request.GET.get("as_of"))
    except exports.UnknownMeeting as error:
        return HttpResponse(str(error), status=400, content_type="text/plain")
    payload = exports.spreadsheet(exports.sections(who, found, register, meeting), fmt)
    name = exports.filename(found, register, meeting, fmt)
    response = HttpResponse(payload, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _editor(request: HttpRequest, programme: str) -> tuple[Principal, Programme]:
    who = principal(request)
    require(who, Can.EDIT_REGISTERS)
    return who, programme_or_refuse(who, programme)


def _mappings(who: Principal, programme: Programme) -> QuerySet[ColumnMapping]:
    return visible(ColumnMapping.objects.filter(programme=programme), who).order_by("name")


@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request: HttpRequest, programme: str) -> HttpResponse:
    who, found = _editor(request, programme)
    context: dict[str, Any] = {"programme": found}
    if request.method != "POST":
        initial = {"register": request.GET.get("register", "")}
        form = UploadForm(_mappings(who, found), initial=initial)
        return render(request, "transfers/import.html", {**context, "form": form})
    form = UploadForm(_mappings(who, found), request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "transfers/import.html", {**context, "form": form}, status=400)
    upload_id, path = uploads.keep(form.cleaned_data["file"])
    saved = form.cleaned_data["mapping"]
    ticket = uploads.Ticket(
        upload=upload_id,
        user_id=int(request.user.pk or 0),  # signed in: an editor
        programme=found.code,
        register=form.cleaned_data["register"],
        mapping_id=saved.pk if saved else None,
        fingerprint="",
    )
    if not import_jobs.runs_inline(path):
        return _queued(request, found, ticket, path, import_jobs.PREVIEW)
    result = imports.preview(found, ticket.register, path, saved, ticket)
    if not result.importable:
        uploads.discard(upload_id)  # nothing to confirm: keep nothing
    return _preview(request, context, imports.shown(result), ticket.register)


def _queued(
    request: HttpRequest, found: Programme, ticket: uploads.Ticket, path: Path, step: str
) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    job = import_jobs.queue(found, ticket, path.name, step, user)
    return HttpResponseRedirect(reverse("jobs:detail", args=[job.pk]))


def _preview(
    request: HttpRequest,
    context: dict[str, Any],
    shown: dict[str, Any],
    register: str,
    *,
    status: int | None = None,
    notice: str = "",
) -> HttpResponse:
    """The preview page, from `imports.shown` (made now, or stored by a job)."""
    return render(
        request,
        "transfers/preview.html",
        {**context, "preview": shown, "register": register, "notice": notice},
        status=status or (200 if shown["importable"] else 400),
    )


def _confirmed(
    request: HttpRequest, who: Principal, found: Programme
) -> tuple[uploads.Ticket, Path, ColumnMapping | None] | None:
    """The upload a confirm form names, if it is still there and this person's."""
    ticket = uploads.Ticket.read(request.POST.get("ticket", ""))
    if ticket is None or ticket.user_id != request.user.pk or ticket.programme != found.code:
        return None
    path = uploads.path_of(ticket.upload)
    saved = None
    if ticket.mapping_id is not None:
        saved = _mappings(who, found).filter(pk=ticket.mapping_id).first()
        if saved is None:
            return None
    return (ticket, path, saved) if path else None


@require_POST
def import_commit(request: HttpRequest, programme: str) -> HttpResponse:
    who, found = _editor(request, programme)
    context: dict[str, Any] = {"programme": found}
    confirmed = _confirmed(request, who, found)
    if confirmed is None:
        return render(request, "transfers/expired.html", context, status=400)
    ticket, path, saved = confirmed
    if not import_jobs.runs_inline(path):
        queued = import_jobs.commit_queued(ticket.upload)  # the form sent twice
        if queued is not None:
            return HttpResponseRedirect(reverse("jobs:detail", args=[queued.pk]))
        return _queued(request, found, ticket, path, import_jobs.COMMIT)
    # Plan again: the register may have changed since the preview.
    result = imports.preview(found, ticket.register, path, saved, ticket)
    shown = imports.shown(result)
    if result.plan is None or not result.importable:
        uploads.discard(ticket.upload)
        return _preview(request, context, shown, ticket.register)
    if imports.fingerprint(result.plan) != ticket.fingerprint:
        notice = import_jobs.CHANGED
        return _preview(request, context, shown, ticket.register, status=409, notice=notice)
    try:
        counts = imports.commit(found, result.plan, request.user.get_username())
    except importer.ImportError_ as error:
        failed = imports.shown(imports.Preview(None, error=str(error)))
        return _preview(request, context, failed, ticket.register)
    finally:
        uploads.discard(ticket.upload)
    return _done(request, context, counts, ticket.register, result.plan.source)


def _done(
    request: HttpRequest,
    context: dict[str, Any],
    counts: dict[str, int],
    register: str,
    source: str,
) -> HttpResponse:
    return render(
        request,
        "transfers/done.html",
        {**context, "counts": counts, "register": register, "source": source},
    )


@require_safe
def import_job(request: HttpRequest, programme: str, job: int) -> HttpResponse:
    """What an import job found: its preview (the confirm form only for the person who
    uploaded the file, whose ticket it is), the new preview if the register changed before
    the commit, or the import done. Until the job is done, its progress page."""
    _, found = _editor(request, programme)
    record = get_object_or_404(
        Job.objects.select_related("requested_by"),
        pk=job,
        programme=found,
        kind=Job.Kind.IMPORT,
    )
    if record.state != Job.State.DONE:
        return HttpResponseRedirect(reverse("jobs:detail", args=[record.pk]))
    register = str(record.params.get("register", ""))
    result = record.result
    context: dict[str, Any] = {"programme": found, "job": record}
    if result.get("outcome") == "imported":
        return _done(request, context, result["counts"], register, result["source"])
    shown = dict(result["preview"])
    if record.requested_by_id != request.user.pk:
        shown["ticket"] = ""  # another editor's: the ticket would be refused anyway
        context["uploader"] = record.requested_by
    changed = result.get("outcome") == "changed"
    return _preview(
        request,
        context,
        shown,
        register,
        status=409 if changed else None,
        notice=import_jobs.CHANGED if changed else "",
    )
