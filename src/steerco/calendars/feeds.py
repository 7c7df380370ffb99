"""What a calendar feed holds, and the iCalendar file it is written as (RFC 5545).

- **A programme's feed**: its meetings, and its tier 1 and 2 milestones on the day they
  are achieved or, until then, forecast (failing a forecast, baselined).
- **A person's feed**: the meetings of the bodies they belong to, and the due dates of
  their actions that are not closed. A person belongs to a body where a member of it is
  listed under the person's full name, or as representing the person's organisation; an
  action is theirs where its owner text names the person or their organisation as whole
  words (the reminders' rule, ``steerco.reminders.rules.owner_organisations``).

Every record is read through the one audience-aware reader as the feed's owner may read it
now, so a feed never shows what its owner could not open on the web.

Each event's UID is the record's identity (its model and id), never its date, so a meeting
or milestone that moves keeps its UID and calendars move it rather than adding another.
Its SEQUENCE is the number of changes recorded in the record's history, and DTSTAMP the
last of them, so the same state gives the same bytes. A meeting's time is local to the
programme (``TIME_ZONE``) and written in UTC: every calendar program reads UTC alike, while
time-zone definitions are read unevenly (Outlook ignores the RDATE lists a generated
VTIMEZONE needs, and vobject misreads them).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import icalendar
from django.conf import settings
from django.db import models
from django.db.models import Count, Max
from django.urls import reverse

from steerco.accounts.reader import Reader, Record
from steerco.calendars.models import FeedScope
from steerco.core.choices import RAG, Tier
from steerco.core.models import Body, BodyMember, Meeting, Programme
from steerco.milestones.models import Milestone
from steerco.organisations.models import Organisation
from steerco.raid.models import Action
from steerco.registers import BY_MODEL
from steerco.reminders.rules import DONE, owner_organisations

ZONE = zoneinfo.ZoneInfo(settings.TIME_ZONE)
PRODID = "-//steerco//calendar feeds//EN"
FEED_TIERS = frozenset({Tier.T1, Tier.T2})
# Where a milestone sits: the day it was achieved, else its forecast, else its baseline.
WHEN = (("achieved", "actual_date"), ("forecast", "forecast_date"), ("baseline", "baseline_date"))


@dataclass(frozen=True)
class Event:
    model: type[models.Model]
    pk: int
    summary: str
    start: dt.date | dt.datetime
    end: dt.datetime | None = None
    description: str = ""
    location: str = ""
    link: str = ""
    category: str = ""


@dataclass(frozen=True)
class Person:
    """Who a person's feed is for: the names their records are found under."""

    full_name: str
    organisation_id: int | None


def events(reader: Reader, scope: FeedScope, person: Person) -> list[Event]:
    if scope is FeedScope.PROGRAMME:
        return meeting_events(reader, reader.all(Meeting)) + milestone_events(reader)
    return person_events(reader, person)


def meeting_events(reader: Reader, meetings: Iterable[Record]) -> list[Event]:
    bodies = {body["code"]: body for body in reader.all(Body)}
    code = reader.programme.code
    found = []
    for meeting in meetings:
        body = bodies.get(meeting["body"], {})
        start_time = meeting["start_time"] or body.get("start_time")
        end_time = meeting["end_time"] or body.get("end_time")
        start: dt.date | dt.datetime = meeting["date"]
        end = None
        if start_time is not None:
            start = dt.datetime.combine(meeting["date"], start_time, ZONE)
            if end_time is not None and end_time > start_time:
                end = dt.datetime.combine(meeting["date"], end_time, ZONE)
        name = body.get("name") or meeting["body"]
        title = f"{meeting['code']} {name}".strip()
        if meeting["title"]:
            title += f": {meeting['title']}"
        found.append(
            Event(
                Meeting,
                meeting["id"],
                title,
                start,
                end,
                description=f"{name} meeting of {reader.programme.name}.",
                location=meeting["location"] or body.get("location") or "",
                link=_link("web:meeting", code, meeting["code"]),
                category="Meeting",
            )
        )
    return found


def milestone_events(reader: Reader) -> list[Event]:
    found = []
    for milestone in reader.all(Milestone):
        if milestone["tier"] not in FEED_TIERS:
            continue
        label, day = next(
            ((label, milestone[key]) for label, key in WHEN if milestone[key] is not None),
            ("", None),
        )
        if day is None:
            continue  # a milestone with no date at all has no place in a calendar
        lines = [
            f"{name}: {milestone[key].isoformat() if milestone[key] else 'not known'}"
            for name, key in (
                ("Baseline", "baseline_date"),
                ("Forecast", "forecast_date"),
                ("Achieved", "actual_date"),
            )
        ]
        if milestone["rag"]:
            lines.append(f"RAG: {RAG(milestone['rag']).label}")
        found.append(
            Event(
                Milestone,
                milestone["id"],
                f"{milestone['code']} {_first_line(milestone['title'])} ({label})",
                day,
                description="\n".join(lines),
                link=_record_link(reader, Milestone, milestone["id"]),
                category=f"Tier {milestone['tier'][1:]} milestone",
            )
        )
    return found


def person_events(reader: Reader, person: Person) -> list[Event]:
    names = _organisation_names(reader)
    own = {person.organisation_id} - {None}

    def names_organisation(text: str) -> bool:
        return bool(own & owner_organisations(text, names))

    def names_person(text: str) -> bool:
        return bool(person.full_name) and bool(owner_organisations(text, {0: [person.full_name]}))

    bodies = reader.all(Body)
    members = reader.children(BodyMember, "body", [body["id"] for body in bodies])
    codes = {
        body["code"]
        for body in bodies
        if any(
            names_person(member["name"]) or names_organisation(member["represents"])
            for member in members.get(body["id"], [])
        )
    }
    meetings = [meeting for meeting in reader.all(Meeting) if meeting["body"] in codes]
    actions = [
        action
        for action in reader.all(Action)
        if action["due_date"] is not None
        and action["status"] not in DONE
        and (names_organisation(action["owners"]) or names_person(action["owners"]))
    ]
    return meeting_events(reader, meetings) + [
        Event(
            Action,
            action["id"],
            f"Action {action['ref']} due: {_first_line(action['text'])}",
            action["due_date"],
            description=f"{action['text']}\nOwners: {action['owners']}",
            link=_record_link(reader, Action, action["id"]),
            category="Action due",
        )
        for action in actions
    ]


def calendar(programme: Programme, scope: FeedScope, found: Sequence[Event]) -> bytes:
    """The feed as an iCalendar file: the same events and history give the same bytes."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{programme.name}: {scope.label}")
    changes = _changes(found)
    for event in sorted(found, key=_order):
        stamp, sequence = changes.get((event.model, event.pk), (None, 0))
        item = icalendar.Event()
        item.add("uid", uid(programme, event.model, event.pk))
        item.add("dtstamp", (stamp or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)).astimezone(dt.UTC))
        item.add("sequence", sequence)
        item.add("summary", event.summary)
        item.add("dtstart", _utc(event.start))
        if event.end is not None:
            item.add("dtend", _utc(event.end))
        elif not isinstance(event.start, dt.datetime):
            item.add("dtend", event.start + dt.timedelta(days=1))  # an all-day event
        if event.description:
            item.add("description", event.description)
        if event.location:
            item.add("location", event.location)
        if event.link:
            item.add("url", event.link)
        if event.category:
            item.add("categories", [event.category])
        item.add("transp", "TRANSPARENT" if event.model is not Meeting else "OPAQUE")
        cal.add_component(item)
    return cal.to_ical()


def _utc(moment: dt.date | dt.datetime) -> dt.date | dt.datetime:
    return moment.astimezone(dt.UTC) if isinstance(moment, dt.datetime) else moment


def uid(programme: Programme, model: type[models.Model], pk: int) -> str:
    return f"{model._meta.model_name}-{pk}@{programme.code}.steerco"


def _changes(found: Sequence[Event]) -> dict[tuple[type[models.Model], int], tuple[Any, int]]:
    """(model, pk) → (the last change's time, how many changes) from each record's history."""
    by_model: dict[type[models.Model], set[int]] = {}
    for event in found:
        by_model.setdefault(event.model, set()).add(event.pk)
    changes: dict[tuple[type[models.Model], int], tuple[Any, int]] = {}
    for model, ids in by_model.items():
        history: Any = model.history  # type: ignore[attr-defined]
        rows = (
            history.filter(id__in=ids)
            .values("id")
            .annotate(last=Max("history_date"), count=Count("history_id"))
        )
        for row in rows:
            changes[(model, row["id"])] = (row["last"], row["count"] - 1)
    return changes


def _order(event: Event) -> tuple[str, str, int]:
    start = event.start
    key = start.isoformat() if isinstance(start, dt.datetime) else f"{start.isoformat()}T"
    return (key, event.model._meta.model_name or "", event.pk)


def _organisation_names(reader: Reader) -> dict[int, list[str]]:
    return {org["id"]: [org["name"], *(org["aliases"] or [])] for org in reader.all(Organisation)}


def _first_line(text: str, limit: int = 120) -> str:
    line = (text or "").strip().splitlines()[0] if text and text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _link(name: str, *args: object) -> str:
    return settings.BASE_URL + reverse(name, args=args)


def _record_link(reader: Reader, model: type[models.Model], pk: int) -> str:
    return _link("web:register-item", reader.programme.code, BY_MODEL[model].slug, pk)
