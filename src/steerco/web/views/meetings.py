"""Meetings: list and calendar, one meeting's agenda, papers, actions and decisions, and
its pack download."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from steerco.accounts.access import (
    Can,
    Principal,
    get_or_refuse,
    pack_meeting_or_refuse,
    principal,
    programme_or_refuse,
    published_packs,
    require,
    visible,
)
from steerco.core import cadence
from steerco.core.choices import PUBLISHED_MEETING_STATES, MeetingState
from steerco.core.models import AgendaItem, Body, Meeting, NarrativeSection, Programme
from steerco.meetings import calendar, life
from steerco.milestones.models import Decision
from steerco.pack.editions import AUDIENCES, Edition, edition_for, editions_for, pack_path
from steerco.raid.models import Action
from steerco.rules import derive


@require_safe
def meeting_list(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    meetings = list(visible(Meeting.objects.filter(programme=found), who).order_by("date"))
    current = next((m for m in meetings if m.code == found.current_meeting_code), None)
    bodies = list(visible(Body.objects.filter(programme=found), who))
    cadences = {body.code: body.cadence for body in bodies}
    coming = calendar.coming(meetings, current.date, cadences) if current else []
    return render(
        request,
        "web/meetings/list.html",
        {
            "programme": found,
            "meetings": meetings,
            "coming": coming,
            "current": current,
            "bodies": [
                (body, cadence.describe(body.cadence) if body.cadence else "") for body in bodies
            ],
            # Who sees no meeting (the public) still reads the packs published to it.
            "published": [] if meetings else published(who, found),
            "edition": AUDIENCES[editions_for(who)[0]],
        },
    )


@require_safe
def meeting_detail(request: HttpRequest, programme: str, meeting: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = get_or_refuse(Meeting.objects.filter(programme=found), who, code=meeting)
    items = list(visible(AgendaItem.objects.filter(meeting=record), who).order_by("number"))
    slots = (
        derive.agenda_slots(record.start_time, [i.duration_minutes for i in items])
        if record.start_time and any(i.duration_minutes for i in items)
        else []
    )
    agenda = [_agenda_row(item, slots[n] if slots else None) for n, item in enumerate(items)]
    sections = visible(NarrativeSection.objects.filter(meeting=record), who).order_by("order")
    actions = visible(Action.objects.filter(programme=found), who).select_related("raised_at")
    raised = [a for a in actions if a.raised_at_id == record.pk]
    reviewed = life.actions_to_review(record, list(actions))
    decisions = visible(Decision.objects.filter(programme=found, meeting=record), who)
    packs = built_editions(who, found, record)
    return render(
        request,
        "web/meetings/detail.html",
        {
            "programme": found,
            "meeting": record,
            "agenda": agenda,
            "sections": sections,
            "raised": raised,
            "reviewed": reviewed,
            "decisions": decisions,
            "packs": packs,
            **_life(who, found, record),
        },
    )


def _life(who: Principal, programme: Programme, meeting: Meeting) -> dict[str, Any]:
    """Where the meeting is in its life and, for the PMO, the steps it allows now, the
    latest build of its pack and the findings it found."""
    if not who.may(Can.EDIT_REGISTERS):
        return {"meeting_states": MeetingState.choices, "steps": []}
    job = life.latest_build(meeting)
    current = job is not None and (meeting.cutoff is None or life.built_from_cutoff(job, meeting))
    steps = [name for name, needs in life.NEEDS.items() if meeting.state in needs]
    return {
        "meeting_states": MeetingState.choices,
        "steps": steps,
        "job": job,
        "findings": job.result.get("findings", []) if job and current else None,
        "drafts": [AUDIENCES[e] for e in editions_for(who)] if meeting.cutoff is None else [],
    }


def _agenda_row(item: AgendaItem, slot: tuple[dt.time, dt.time] | None) -> dict[str, Any]:
    """An agenda item with its derived slot, and whether the printed times differ from it."""
    differs = bool(
        slot and item.stated_start and (slot[0], slot[1]) != (item.stated_start, item.stated_end)
    )
    return {"item": item, "slot": slot, "differs": differs}


PACK_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@require_safe
def meeting_pack(
    request: HttpRequest, programme: str, meeting: str, fmt: str = "pdf"
) -> HttpResponse | FileResponse:
    """The edition of the meeting's pack its reader may see (the widest, or a narrower one
    asked for with ``?edition=``), PDF, HTML or PowerPoint; 404 until that edition is
    built."""
    who = principal(request)
    found = programme_or_refuse(who, programme)
    require(who, Can.READ_PACK)
    record = pack_meeting_or_refuse(who, found, meeting)
    edition = edition_for(who, request.GET.get("edition"))
    if edition is None or fmt not in PACK_TYPES:
        raise Http404("No such edition, or not one you may read.")
    if record.state in UNPUBLISHED and not who.may(Can.EDIT_REGISTERS):
        raise Http404("This meeting's pack is not published yet.")
    if record.cutoff is None:  # open: a draft of the live registers, built now
        return _draft(found, record, edition, fmt)
    path = pack_path(found.code, record.code, edition, fmt)
    if not path.is_file():
        raise Http404("This edition of the meeting's pack has not been built yet.")
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=path.name, content_type=PACK_TYPES[fmt]
    )


UNPUBLISHED = tuple(s for s in MeetingState if s not in PUBLISHED_MEETING_STATES)


def _draft(programme: Programme, meeting: Meeting, edition: Edition, fmt: str) -> HttpResponse:
    from steerco.pack import service

    rendered = service.render(programme, meeting, edition)
    data = {"html": rendered.html.encode("utf-8"), "pdf": rendered.pdf, "pptx": rendered.pptx}[fmt]
    response = HttpResponse(data, content_type=PACK_TYPES[fmt])
    name = f"{meeting.code}-{edition.value}-DRAFT.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def built_editions(who: Principal, programme: Programme, meeting: Meeting) -> list[Any]:
    """The editions ``who`` may download that have been built, widest first."""
    if not who.may(Can.READ_PACK):
        return []
    if meeting.cutoff is None or (meeting.state in UNPUBLISHED and not who.may(Can.EDIT_REGISTERS)):
        return []
    return [
        AUDIENCES[e]
        for e in editions_for(who)
        if pack_path(programme.code, meeting.code, e, "pdf").is_file()
    ]


def published(who: Principal, programme: Programme, limit: int = 3) -> list[dict[str, Any]]:
    """The latest published meetings whose pack ``who`` may download, each with the built
    editions it may read, newest first: the front door's "Published packs"."""
    meetings = Meeting.objects.filter(
        programme=programme, state__in=sorted(PUBLISHED_MEETING_STATES)
    )
    found = []
    for meeting in published_packs(meetings, who).order_by("-date")[:limit]:
        editions = built_editions(who, programme, meeting)
        if editions:
            # The public read a published meeting's pack, not its page.
            page = visible(meetings.filter(pk=meeting.pk), who).exists()
            found.append({"meeting": meeting, "editions": editions, "page": page})
    return found
