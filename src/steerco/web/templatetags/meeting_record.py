"""A meeting's record for its page, read for whoever asks (the page's ``who``)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from steerco.core.choices import MeetingState
from steerco.core.models import Meeting
from steerco.meetings import record

register = template.Library()


@dataclass(frozen=True)
class OnPage:
    """The record as the page shows it, and whether the page has its section (read once for
    the section and the page's contents)."""

    record: record.Shown
    shown: bool


@register.simple_tag(takes_context=True)
def meeting_record(context: template.Context, meeting: Meeting) -> OnPage:
    found = record.shown(meeting, context["who"])
    may_record = bool(context.get("may_edit")) and not found.refusal
    held = meeting.state in (MeetingState.HELD, MeetingState.CLOSED)
    return OnPage(found, not found.empty or held or may_record)
