"""Values derived for the dashboards from a record's history, read through the access
module: a record's state as of the previous meeting's cut-off, and the meetings that frame
"current" and "previous".

The plain derivations (movement, slip, suggested RAG) are steerco.rules.derive's; this module
only fetches the earlier state, for the records on one page, in one query per model (the
reader decides each row as the record and its parents stood at the cut-off).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import models

from steerco.accounts.access import Principal, visible
from steerco.accounts.reader import Reader
from steerco.core.models import Meeting, Programme


@dataclass(frozen=True)
class MeetingFrame:
    """The current meeting (the programme's, where the principal may see it) and the
    regular meeting before it, whose cut-off "previous" values are read at."""

    current: Meeting | None
    previous: Meeting | None

    @property
    def previous_cutoff(self) -> dt.datetime | None:
        return self.previous.cutoff if self.previous else None


def meeting_frame(programme: Programme, who: Principal) -> MeetingFrame:
    meetings = visible(Meeting.objects.filter(programme=programme), who)
    current = meetings.filter(code=programme.current_meeting_code).first()
    if current is None:
        return MeetingFrame(None, None)
    previous = (
        meetings.filter(cutoff__lt=current.cutoff, kind="regular").order_by("-cutoff").first()
    )
    return MeetingFrame(current, previous)


def previous_state(
    programme: Programme,
    model: type[models.Model],
    ids: Iterable[Any],
    cutoff: dt.datetime | None,
    who: Principal,
) -> dict[Any, Any]:
    """id → the record's state as of ``cutoff``, its fields as attributes (absent where the
    record did not exist then, was deleted, or that state is not visible to ``who``)."""
    wanted = list(ids)
    if cutoff is None or not wanted:
        return {}
    found = Reader(programme, cutoff, who).where(model, id__in=wanted)
    return {row["id"]: SimpleNamespace(**row) for row in found}
