"""Exports for one person: the exporter's rows read through the audience-aware reader.

``steerco export`` runs as the operator and reads everything; the download button and the
API read as the person asking, so every record, child and linked name (live or as of a
meeting) is one the reader lets them see, decided as it stood at that moment.
"""

from __future__ import annotations

import json
from typing import Any

from steerco.accounts.access import Principal, visible
from steerco.accounts.reader import Reader
from steerco.core.models import Meeting, Programme
from steerco.io.exporter import Row, export, to_csv, to_json, to_xlsx
from steerco.registers import SLUGS

# What can be exported by name: every register, by the one name it has everywhere.
EXPORTS: tuple[str, ...] = SLUGS
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class UnknownMeeting(ValueError):
    pass


def meeting_of(who: Principal, programme: Programme, code: str | None) -> Meeting | None:
    """The meeting to read as of, if one is named; one ``who`` may not see is unknown."""
    if not code:
        return None
    meetings = visible(Meeting.objects.filter(programme=programme), who)
    meeting = meetings.filter(code=code).first()
    if meeting is None:
        known = ", ".join(meetings.order_by("date").values_list("code", flat=True))
        raise UnknownMeeting(f"No meeting {code!r} in {programme.code} (meetings: {known}).")
    return meeting


def sections(
    who: Principal, programme: Programme, name: str, meeting: Meeting | None = None
) -> dict[str, list[Row]]:
    """The rows ``who`` may see of the register or page ``name`` (one of EXPORTS)."""
    reader = Reader(programme, meeting.cutoff if meeting else None, who)
    return export(name, reader)


def as_json(
    who: Principal, programme: Programme, name: str, meeting: Meeting | None = None
) -> dict[str, Any]:
    """What `steerco export NAME --format json` writes, as ``who`` may see it."""
    meta = {
        "register": name,
        "programme": programme.code,
        "as_of": meeting.code if meeting else None,
        "cutoff": meeting.cutoff.isoformat() if meeting and meeting.cutoff else None,
    }
    found: dict[str, Any] = json.loads(to_json(sections(who, programme, name, meeting), meta))
    return found


def spreadsheet(found: dict[str, list[Row]], fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(found).encode("utf-8")
    return to_xlsx(found)


def filename(programme: Programme, name: str, meeting: Meeting | None, fmt: str) -> str:
    when = f"-{meeting.code}" if meeting else ""
    return f"{programme.code}-{name}{when}.{fmt}"
