"""A meeting's papers as the PMO prepares them: its agenda (edited as a whole, slots derived
as you type and on the server), its narrative sections (Markdown, with a preview) and the
papers attached as files, downloaded only by those who may see each one."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from steerco.accounts.access import (
    Can,
    Principal,
    get_or_refuse,
    principal,
    programme_or_refuse,
    require,
    visible,
)
from steerco.core.history import acting
from steerco.core.models import AgendaItem, Meeting, NarrativeSection, Paper, Programme
from steerco.meetings import agenda, papers
from steerco.meetings.life import LifeError
from steerco.records import editing
from steerco.web import markdown, uploads
from steerco.web.meeting_forms import (
    NewSectionForm,
    PaperForm,
    ReasonForm,
    SectionForm,
    agenda_formset,
)

EDIT_METHODS = ["GET", "HEAD", "POST"]


def _meeting(request: HttpRequest, programme: str, meeting: str) -> tuple[Programme, Meeting]:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    return found, get_or_refuse(Meeting.objects.filter(programme=found), who, code=meeting)


def _editor(request: HttpRequest, programme: str, meeting: str) -> tuple[Programme, Meeting]:
    """The meeting, for a PMO editor or admin: the same checks as a register's edit page."""
    found, record = _meeting(request, programme, meeting)
    require(principal(request), Can.EDIT_REGISTERS)
    return found, record


def _actor(request: HttpRequest) -> str:
    return request.user.get_username()


def _refusal(meeting: Meeting) -> str:
    try:
        agenda.require_editable(meeting)
    except LifeError as error:
        return str(error)
    return ""


# -- the agenda ------------------------------------------------------------------------------


@require_http_methods(EDIT_METHODS)
def agenda_edit(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    found, record = _editor(request, programme, meeting)
    items = list(AgendaItem.objects.filter(meeting=record).order_by("number", "pk"))
    slots = agenda.slots(record.start_time, [i.duration_minutes for i in items])
    context: dict[str, Any] = {
        "programme": found,
        "meeting": record,
        "items": list(zip(items, slots, strict=True)),
        "refused": _refusal(record),
        "saved": request.GET.get("saved") == "1",
    }
    if context["refused"]:
        return render(
            request,
            "web/meetings/agenda_edit.html",
            context,
            status=409 if request.method == "POST" else 200,
        )
    loaded = agenda.fingerprint(items)
    if request.method != "POST":
        form = ReasonForm(initial={"loaded": loaded})
        context.update(form=form, formset=agenda_formset(record))
        return render(request, "web/meetings/agenda_edit.html", context)
    form = ReasonForm(request.POST)
    if request.POST.get("loaded") != loaded:
        return _agenda_conflict(request, context, record, "")
    formset = agenda_formset(record, request.POST)
    context.update(form=form, formset=formset)
    if not (form.is_valid() and formset.is_valid()):
        return render(request, "web/meetings/agenda_edit.html", context, status=400)
    try:
        agenda.save_agenda(
            record, _rows(formset), loaded, _actor(request), form.cleaned_data["reason"]
        )
    except agenda.Conflict as error:
        return _agenda_conflict(request, context, record, str(error))
    except LifeError as error:
        context.update(refused=str(error))
        return render(request, "web/meetings/agenda_edit.html", context, status=409)
    url = reverse("web:meeting-agenda", args=[found.code, record.code])
    return redirect(f"{url}?saved=1")


def _rows(formset: Any) -> list[agenda.Row]:
    """The formset's rows in the order the editor gave (by number, new rows without one
    last), deleted rows marked; blank extra rows left out."""
    rows = []
    for position, form in enumerate(formset.forms):
        item = form.instance if form.instance.pk else None
        if item is None and not form.has_changed():
            continue
        values = {name: form.cleaned_data.get(name) for name in agenda.FIELDS}
        number = form.cleaned_data.get("number")
        delete = bool(form.cleaned_data.get("DELETE"))
        rows.append(((number is None, number or 0, position), agenda.Row(item, values, delete)))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _agenda_conflict(
    request: HttpRequest, context: dict[str, Any], record: Meeting, message: str
) -> HttpResponse:
    """Someone saved the agenda first: show theirs, fresh, to edit again."""
    items = list(AgendaItem.objects.filter(meeting=record).order_by("number", "pk"))
    slots = agenda.slots(record.start_time, [i.duration_minutes for i in items])
    context.update(
        items=list(zip(items, slots, strict=True)),
        conflict=message
        or f"Someone changed {record.code}'s agenda after you opened it: nothing was saved.",
        form=ReasonForm(
            initial={"loaded": agenda.fingerprint(items), "reason": request.POST.get("reason")}
        ),
        formset=agenda_formset(record),
    )
    return render(request, "web/meetings/agenda_edit.html", context, status=409)


# -- narrative sections ----------------------------------------------------------------------


@require_safe
def section_list(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    found, record = _editor(request, programme, meeting)
    sections = NarrativeSection.objects.filter(meeting=record).order_by("order", "pk")
    carried = agenda.carried_forward(record, sections)
    return render(
        request,
        "web/meetings/sections.html",
        {
            "programme": found,
            "meeting": record,
            "sections": [(s, s.pk in carried) for s in sections],
            "refused": _refusal(record),
            "previous": agenda.previous_meeting(record),
        },
    )


@require_http_methods(EDIT_METHODS)
def section_new(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    found, record = _editor(request, programme, meeting)
    return _section_page(request, found, record, None)


@require_http_methods(EDIT_METHODS)
def section_edit(request: HttpRequest, programme: str, meeting: str, section: int) -> HttpResponse:
    found, record = _editor(request, programme, meeting)
    sections = NarrativeSection.objects.filter(meeting=record)
    found_section = get_or_refuse(sections, principal(request), pk=section)
    return _section_page(request, found, record, found_section)


def _section_page(
    request: HttpRequest, found: Programme, record: Meeting, section: NarrativeSection | None
) -> HttpResponse:
    """The section's form; a preview re-shows it with the Markdown rendered by the pages'
    own renderer, saving nothing."""
    context: dict[str, Any] = {
        "programme": found,
        "meeting": record,
        "section": section,
        "refused": _refusal(record),
    }
    template = "web/meetings/section_edit.html"
    if section is not None:
        carried = agenda.carried_forward(record, NarrativeSection.objects.filter(pk=section.pk))
        context["carried"] = bool(carried)
    if context["refused"]:
        context["preview"] = markdown.render(section.body if section else "")
        return render(request, template, context, status=409 if request.method == "POST" else 200)
    if request.method != "POST":
        form: Any = (
            SectionForm(instance=section, initial={"version": editing.version_of(section)})
            if section
            else NewSectionForm(initial={"order": _next_order(record)})
        )
        return render(request, template, {**context, "form": form})
    if request.POST.get("preview"):
        shown = SectionForm if section else NewSectionForm
        context["preview"] = markdown.render(request.POST.get("body", ""))
        return render(request, template, {**context, "form": shown(initial=request.POST.dict())})
    return _section_save(request, found, record, section, context)


def _section_save(
    request: HttpRequest,
    found: Programme,
    record: Meeting,
    section: NarrativeSection | None,
    context: dict[str, Any],
) -> HttpResponse:
    template = "web/meetings/section_edit.html"
    if section is None:
        new = NewSectionForm(request.POST, instance=NarrativeSection(meeting=record))
        if not new.is_valid():
            return render(request, template, {**context, "form": new}, status=400)
        with transaction.atomic(), acting(_actor(request), new.cleaned_data["reason"]):
            new.save()
        return redirect("web:meeting-sections", programme=found.code, meeting=record.code)
    form = SectionForm(request.POST, instance=section)
    if not form.is_valid():
        return render(request, template, {**context, "form": form}, status=400)
    with acting(_actor(request), form.cleaned_data["reason"]):
        conflict = editing.save(form)
    if conflict is None:
        return redirect("web:meeting-sections", programme=found.code, meeting=record.code)
    data = request.POST.copy()
    data["version"] = str(conflict.their_version)
    retry = SectionForm(data, instance=conflict.theirs)
    return render(request, template, {**context, "form": retry, "conflict": conflict}, status=409)


def _next_order(meeting: Meeting) -> int:
    orders = NarrativeSection.objects.filter(meeting=meeting).values_list("order", flat=True)
    return max(orders, default=0) + 1


# -- papers ----------------------------------------------------------------------------------


@require_safe
def paper_list(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    found, record = _meeting(request, programme, meeting)
    who = principal(request)
    shown = visible(Paper.objects.filter(meeting=record), who).order_by("uploaded_at", "pk")
    return render(
        request,
        "web/meetings/papers.html",
        {"programme": found, "meeting": record, "papers": shown, "refused": _refusal(record)},
    )


@csrf_exempt  # checked below, once the upload's cap is in place (Django's documented way)
@require_http_methods(EDIT_METHODS)
def paper_new(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    limit = settings.PAPER_MAX_BYTES
    if request.method == "POST" and uploads.too_long(request, limit):
        found, record = _editor(request, programme, meeting)
        context = {
            "programme": found,
            "meeting": record,
            "form": PaperForm(),
            "too_big": f"{limit:,}",
        }
        return render(request, "web/meetings/paper_new.html", context, status=413)
    capped = uploads.cap(request, limit)
    response: HttpResponse = csrf_protect(_paper_new)(request, programme, meeting, capped)
    return response


def _paper_new(
    request: HttpRequest, programme: str, meeting: str, capped: uploads.Capped
) -> HttpResponse:
    found, record = _editor(request, programme, meeting)
    context: dict[str, Any] = {"programme": found, "meeting": record, "refused": _refusal(record)}
    template = "web/meetings/paper_new.html"
    if context["refused"]:
        return render(request, template, context, status=409 if request.method == "POST" else 200)
    if request.method != "POST":
        return render(request, template, {**context, "form": PaperForm()})
    form = PaperForm(request.POST, request.FILES, instance=Paper(meeting=record))
    if capped.exceeded:
        context.update(form=PaperForm(initial=request.POST.dict()), too_big=f"{capped.limit:,}")
        return render(request, template, context, status=413)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        why = papers.refusal(upload.name or "", upload)
        if why:
            form.add_error("file", why)
    if not form.is_valid():
        return render(request, template, {**context, "form": form}, status=400)
    with transaction.atomic(), acting(_actor(request), form.cleaned_data["reason"]):
        form.save()
    return redirect("web:meeting-papers", programme=found.code, meeting=record.code)


@require_safe
def paper_download(request: HttpRequest, programme: str, meeting: str, paper: int) -> FileResponse:
    """The paper's file, to those who may see the paper (404 to anyone else, as for any
    record): never served from MEDIA_ROOT directly."""
    _, record = _meeting(request, programme, meeting)
    who: Principal = principal(request)
    found = get_or_refuse(Paper.objects.filter(meeting=record), who, pk=paper)
    try:
        handle = found.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("The paper's file is missing.") from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=found.filename,
        content_type=papers.content_type(found.filename),
    )
