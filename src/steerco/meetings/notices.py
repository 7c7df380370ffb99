"""Telling people a meeting's pack is published: one e-mail each, naming the edition they
may download and where (members the members' edition, participant contacts the
participants', the PMO its own)."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from steerco.accounts.access import Principal
from steerco.accounts.choices import Role
from steerco.accounts.models import Membership
from steerco.core.models import Meeting
from steerco.pack.editions import AUDIENCES, edition_for


def recipients(meeting: Meeting) -> list[tuple[str, Role]]:
    """Each person with an e-mail address who holds a reading role in the meeting's
    programme (or in every programme), with that role; the public are not written to."""
    memberships = Membership.objects.filter(
        programme__in=[meeting.programme_id, None],
        user__is_active=True,
        role__in=[Role.ADMIN, Role.PMO, Role.STEERING, Role.PARTICIPANT],
    ).select_related("user")
    found = []
    for membership in memberships.order_by("user__email"):
        user: Any = membership.user
        if user.email:
            found.append((str(user.email), Role(membership.role)))
    return found


def tell_published(meeting: Meeting, base_url: str) -> int:
    """E-mail everyone who may read the pack; returns how many were written to."""
    messages = []
    for address, role in recipients(meeting):
        edition = edition_for(Principal(role))
        if edition is None:
            continue
        audience = AUDIENCES[edition]
        path = reverse("web:meeting-pack", args=[meeting.programme.code, meeting.code])
        link = f"{base_url.rstrip('/')}{path}?edition={edition.value}"
        page = reverse("web:meeting", args=[meeting.programme.code, meeting.code])
        body = (
            f"The pack for {meeting.title or meeting.code} ({meeting.date:%A %d %B %Y}) is "
            f"published.\n\nYour edition: {audience.title} ({audience.classification.label}), "
            f"for {audience.readers}.\nDownload it (PDF): {link}\n"
            f"The meeting's page: {base_url.rstrip('/')}{page}\n\n"
            f"The registers in it are as they stood at the cut-off, "
            f"{meeting.cutoff:%d %b %Y %H:%M %Z}.\n"
        )
        messages.append(
            EmailMessage(
                subject=f"{meeting.programme.code.upper()} {meeting.code}: the pack is published",
                body=body,
                to=[address],
            )
        )
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
