"""A meeting's pack comes in one edition per audience, each built through the
audience-aware reader as that audience may see the registers.

- **public**: Public records and published delivery reports only.
- **participants**: what every participant contact may read — Public and Programme records,
  published reports. No participant's confidential records or unpublished reports, not even
  its own: a pack is one document for all participants.
- **members** (the steering group): Public and Programme records, published reports, and
  the migration plan's totals (members read plans; participants do not).
- **pmo**: everything, unpublished reports and confidential records included, with the
  checker's findings as an appendix.

No participant gets an edition of its own: its own confidential records and its own draft
report are on its portal and register pages, which it reads with its own account; one more
edition per organisation would multiply builds and put the wrong file one click from the
wrong reader, which is the failure (risk R040) this design exists to prevent.

A reader downloads the widest edition it may see, or a narrower one it asks for; the PMO
may download every edition to see what others will.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from steerco.accounts.access import Principal
from steerco.accounts.choices import Role
from steerco.core.choices import Classification


class Edition(enum.StrEnum):
    PUBLIC = "public"
    PARTICIPANTS = "participants"
    MEMBERS = "members"
    PMO = "pmo"


@dataclass(frozen=True)
class Audience:
    edition: Edition
    title: str  # "Members' edition"
    readers: str  # who it is for, in words
    audience: Principal  # whom the reader reads as
    classification: Classification  # the most restricted classification it may hold
    findings: bool  # whether it carries the checker's findings appendix


AUDIENCES: dict[Edition, Audience] = {
    Edition.PUBLIC: Audience(
        Edition.PUBLIC,
        "Public edition",
        "anyone: Public records and published delivery reports only",
        Principal(Role.PUBLIC),
        Classification.PUBLIC,
        False,
    ),
    Edition.PARTICIPANTS: Audience(
        Edition.PARTICIPANTS,
        "Participants' edition",
        "programme participants: Public and Programme records, published delivery reports",
        Principal(Role.PARTICIPANT),
        Classification.PROGRAMME,
        False,
    ),
    Edition.MEMBERS: Audience(
        Edition.MEMBERS,
        "Members' edition",
        "steering-group members: Public and Programme records, published delivery reports, "
        "migration plan totals",
        Principal(Role.STEERING),
        Classification.PROGRAMME,
        False,
    ),
    Edition.PMO: Audience(
        Edition.PMO,
        "PMO edition",
        "the programme office: every record, unpublished delivery reports and the "
        "checker's findings",
        Principal(Role.PMO),
        Classification.CONFIDENTIAL,
        True,
    ),
}

# Which editions each role may download, widest first.
_BY_ROLE: dict[Role, tuple[Edition, ...]] = {
    Role.ADMIN: (Edition.PMO, Edition.MEMBERS, Edition.PARTICIPANTS, Edition.PUBLIC),
    Role.PMO: (Edition.PMO, Edition.MEMBERS, Edition.PARTICIPANTS, Edition.PUBLIC),
    Role.STEERING: (Edition.MEMBERS, Edition.PUBLIC),
    Role.PARTICIPANT: (Edition.PARTICIPANTS, Edition.PUBLIC),
    Role.PUBLIC: (Edition.PUBLIC,),
}


def editions_for(who: Principal) -> tuple[Edition, ...]:
    """The editions ``who`` may download, widest first."""
    return _BY_ROLE[who.role]


def edition_for(who: Principal, asked: str | None = None) -> Edition | None:
    """The edition to serve ``who``: the one asked for if ``who`` may read it (None if not),
    else the widest it may."""
    allowed = editions_for(who)
    if not asked:
        return allowed[0]
    try:
        wanted = Edition(asked)
    except ValueError:
        return None
    return wanted if wanted in allowed else None


def filename(meeting: str, edition: Edition, suffix: str) -> str:
    return f"{meeting}-{edition.value}.{suffix}"


def default_dir(programme_code: str) -> Path:
    """var/packs/<programme>/: where packs are written and the web pages serve them from."""
    return Path(settings.VAR_DIR) / "packs" / programme_code


def pack_path(programme_code: str, meeting: str, edition: Edition, suffix: str) -> Path:
    return default_dir(programme_code) / filename(meeting, edition, suffix)
