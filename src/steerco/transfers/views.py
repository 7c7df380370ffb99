"""Spreadsheets in and out of the web pages: the download button of every register page, and
the import page (upload → preview → confirm), for the PMO and admins."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from steerco.accounts.access import Can, Principal, principal, programme_or_refuse, require, visible
from steerco.core.models import Programme
from steerco.io import importer
from steerco.transfers import exports, imports, uploads
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
    result = imports.preview(found, ticket.register, path, saved, ticket)
    if not result.importable:
        uploads.discard(upload_id)  # nothing to confirm: keep nothing
    return _preview(request, context, result, ticket.register)


def _preview(
    request: HttpRequest,
    context: dict[str, Any],
    result: imports.Preview,
    register: str,
    *,
    status: int | None = None,
    notice: str = "",
) -> HttpResponse:
    return render(
        request,
        "transfers/preview.html",
        {**context, "preview": result, "register": register, "notice": notice},
        status=status or (200 if result.importable else 400),
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
    # Plan again: the register may have changed since the preview.
    result = imports.preview(found, ticket.register, path, saved, ticket)
    if result.plan is None or not result.importable:
        uploads.discard(ticket.upload)
        return _preview(request, context, result, ticket.register)
    if imports.fingerprint(result.plan) != ticket.fingerprint:
        notice = "The register changed since your preview: check this one and confirm again."
        return _preview(request, context, result, ticket.register, status=409, notice=notice)
    try:
        counts = imports.commit(found, result.plan, request.user.get_username())
    except importer.ImportError_ as error:
        failed = imports.Preview(None, error=str(error))
        return _preview(request, context, failed, ticket.register)
    finally:
        uploads.discard(ticket.upload)
    return render(
        request,
        "transfers/done.html",
        {**context, "counts": counts, "register": ticket.register, "source": result.plan.source},
    )
