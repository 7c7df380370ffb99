"""A meeting's record for its page, read for whoever asks (the page's ``who``)."""

from __future__ import annotations

from django import template

from steerco.core.models import Meeting
from steerco.meetings import record

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_record(context: template.Context, meeting: Meeting) -> record.Shown:
    return record.shown(meeting, context["who"])
