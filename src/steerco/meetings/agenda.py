"""A meeting's agenda, narrative sections and papers as the PMO edits them before the pack.

They may change while the meeting is open or frozen (re-freezing rebuilds the pack); once
it is published the pack must not change, so every edit is refused from then on (the pack
reads them as of the cut-off anyway).

The agenda is saved as a whole: the rows in the order given, numbered 1..n, in one
transaction with one reason. A fingerprint of the items as the editor loaded them is
compared, under the meeting's row lock, with the items as they are: if someone changed the
agenda in between, nothing is written and the editor is told.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from steerco.core.choices import MeetingState
from steerco.core.history import acting
from steerco.core.models import AgendaItem, Meeting, NarrativeSection
from steerco.meetings.life import LifeError
from steerco.rules import derive

EDITABLE = (MeetingState.OPEN, MeetingState.FROZEN)
# What the agenda page edits of each item, and what its fingerprint covers.
FIELDS = ("title", "objective", "type", "lead", "duration_minutes", "standing", "sub_items")


def require_editable(meeting: Meeting) -> None:
    """Refuse any change to what a published (or later) meeting's pack holds."""
    if meeting.state not in EDITABLE:
        raise LifeError(
            f"{meeting.code} is {meeting.get_state_display().lower()}: its agenda, sections and "
            "papers can no longer change (a published pack must not). Only an open or frozen "
            "meeting's can."
        )


def fingerprint(items: Sequence[AgendaItem]) -> str:
    """The items as they are: any change to any of them, or one added or removed, changes it."""
    rows = sorted(
        [item.pk, item.number, item.classification, *(getattr(item, f) for f in FIELDS)]
        for item in items
    )
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()[:32]


def slots(
    start: dt.time | None, durations: Sequence[int | None]
) -> list[tuple[dt.time, dt.time] | None]:
    """Each item's derived slot (derive.agenda_slots, the one computation the page's script
    mirrors), or None for each when the meeting has no start time."""
    if start is None:
        return [None] * len(durations)
    return list(derive.agenda_slots(start, durations))


@dataclass(frozen=True)
class Row:
    """One agenda row as the editor left it: ``item`` None for a new one."""

    item: AgendaItem | None
    values: dict[str, Any]
    delete: bool = False


class Conflict(Exception):
    """Someone changed the agenda after the editor loaded it: nothing was written."""


def save_agenda(
    meeting: Meeting, rows: Sequence[Row], loaded: str, actor: str, reason: str
) -> list[AgendaItem]:
    """Write the agenda as ``rows`` give it, numbered 1..n in their order, or nothing.

    ``loaded`` is the fingerprint of the items as the editor read them."""
    with transaction.atomic(), acting(actor, reason):
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        require_editable(locked)
        current = list(AgendaItem.objects.filter(meeting=locked))
        if fingerprint(current) != loaded:
            raise Conflict(
                f"Someone changed {locked.code}'s agenda after you opened it: nothing was saved."
            )
        mine = {item.pk: item for item in current}
        kept = []
        for row in rows:
            if row.item is not None and row.item.pk not in mine:
                raise Conflict(f"An item is no longer on {locked.code}'s agenda.")
            if row.delete:
                if row.item is not None:
                    mine[row.item.pk].delete()
                continue
            kept.append(row)
        saved = []
        for number, row in enumerate(kept, 1):
            item = mine[row.item.pk] if row.item is not None else AgendaItem(meeting=locked)
            for name, value in row.values.items():
                setattr(item, name, value)
            item.number = number
            item.save()
            saved.append(item)
    return saved


# -- narrative sections ----------------------------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The body's regular meeting before this one: the one life.create_next drafts from."""
    return (
        Meeting.objects.filter(
            programme_id=meeting.programme_id,
            body=meeting.body,
            kind="regular",
            date__lt=meeting.date,
        )
        .order_by("-date", "-pk")
        .first()
    )


def carried_forward(meeting: Meeting, sections: QuerySet[NarrativeSection]) -> set[int]:
    """The sections still as life.create_next copied them from the meeting before: the same
    slug, title and body as that meeting's section. Editing one (its title or body) ends
    that; no field records it, so a section set back to the old words is flagged again —
    which is what the flag asks the PMO to check."""
    before = previous_meeting(meeting)
    if before is None:
        return set()
    old = {s.slug: (s.title, s.body) for s in NarrativeSection.objects.filter(meeting=before)}
    return {s.pk for s in sections if old.get(s.slug) == (s.title, s.body)}
