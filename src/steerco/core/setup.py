"""Setting up a programme without YAML: the programme with its calendar and first
governance body, in one transaction, and a body's members, each with a reason in history."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from steerco.core.history import acting
from steerco.core.models import Body, BodyMember, Programme


@dataclass(frozen=True)
class NewProgramme:
    code: str
    name: str
    description: str
    calendar_country: str
    calendar_subdivision: str  # empty: the whole country
    body_code: str
    body_name: str
    cadence: str  # an iCalendar RRULE, already checked (steerco.core.cadence)


def create_programme(new: NewProgramme, actor: str, reason: str) -> Programme:
    """The programme and its first body, both or neither, written as ``actor`` with
    ``reason``."""
    with transaction.atomic(), acting(actor, reason):
        programme = Programme.objects.create(
            code=new.code,
            name=new.name,
            description=new.description,
            calendar_country=new.calendar_country,
            calendar_subdivision=new.calendar_subdivision,
        )
        Body.objects.create(
            programme=programme, code=new.body_code, name=new.body_name, cadence=new.cadence
        )
    return programme


def add_member(member: BodyMember, actor: str, reason: str) -> BodyMember:
    """Seat ``member`` (unsaved, its body set) last on its body, written with ``reason``."""
    with transaction.atomic(), acting(actor, reason):
        top = BodyMember.objects.filter(body=member.body).aggregate(top=Max("order"))["top"]
        member.order = (top or 0) + 1
        member.save()
    return member
