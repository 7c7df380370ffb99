"""Setting up a programme without YAML: the programme with its calendar and first
governance body, in one transaction, a body's members and the programme's logo, each with a
reason in history."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from steerco.core import images
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


def set_logo(programme: Programme, data: bytes, actor: str, reason: str) -> Programme:
    """Store ``data`` as the programme's logo, once ``images`` takes it (``Refused`` if
    not), written with ``reason``; the file it replaces stays for the history that names
    it."""
    found = images.format_of(data, images.LOGO_MAX_BYTES)
    with transaction.atomic(), acting(actor, reason):
        programme.logo.save(f"logo.{found}", ContentFile(data), save=True)
    return programme
