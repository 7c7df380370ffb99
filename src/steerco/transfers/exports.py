"""Exports for one person: the exporter's rows read through the audience-aware reader.

``steerco export`` runs as the operator and reads everything; the download button and the
API read as the person asking, so every record, child and linked name (live or as of a
meeting) is one the reader lets them see, decided as it stood at that moment.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import models

from steerco.accounts.access import Principal, classified, visible
from steerco.accounts.reader import Reader
from steerco.core.models import Meeting, Programme
from steerco.io.exporter import Row, export, to_csv, to_json, to_xlsx
from steerco.io.registry import REGISTERS, SECTIONS
from steerco.web.registers import REGISTERS as WEB_REGISTERS

# What can be exported by name: every register of `steerco export`, and every register page
# of the web (a page whose model is one section of a larger register exports that section).
EXPORTS: tuple[str, ...] = (
    *REGISTERS,
    *(r.slug for r in WEB_REGISTERS if r.slug not in REGISTERS),
)
FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class UnknownMeeting(ValueError):
    pass


def children_of(model: type[models.Model]) -> dict[str, type[models.Model]]:
    """The records that belong to a ``model`` record, by accessor, as the exporter nests
    them."""
    found: dict[str, type[models.Model]] = {}
    for rel in model._meta.related_objects:
        child: Any = rel.related_model
        belongs = rel.one_to_many and rel.on_delete is models.CASCADE
        if (
            belongs
            and rel.field.name != "programme"
            and not child.__name__.startswith("Historical")
        ):
            found[str(rel.get_accessor_name())] = child
    return found


def unregistered(model: type[models.Model]) -> list[str]:
    """Children that are not register data, so carry no classification: an organisation's
    bound contacts are accounts, managed in the admin, never exported or imported."""
    return [name for name, child in children_of(model).items() if not classified(child)]


def _strip(model: type[models.Model], rows: list[Row]) -> list[Row]:
    """Drop children that are not register data, at every level, so a download neither shows
    accounts nor, imported back, touches them."""
    for accessor, child in children_of(model).items():
        for row in rows:
            if not classified(child):
                row.pop(accessor, None)
            elif isinstance(row.get(accessor), list):
                _strip(child, row[accessor])
    return rows


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


def register_of(name: str) -> tuple[str, tuple[str, ...] | None]:
    """The exporter's register a name stands for, and the sections it keeps (None: all)."""
    if name in REGISTERS:
        return name, None
    web = next(r for r in WEB_REGISTERS if r.slug == name)
    section = next(s for s in SECTIONS if s.model is web.model)
    return section.register, (section.key,)


def sections(
    who: Principal, programme: Programme, name: str, meeting: Meeting | None = None
) -> dict[str, list[Row]]:
    """The rows ``who`` may see of the register or page ``name`` (one of EXPORTS)."""
    register, keep = register_of(name)
    reader = Reader(programme, meeting.cutoff if meeting else None, who)
    found = export(register, reader)
    models_of = {s.key: s.model for s in SECTIONS if s.register == register}
    return {
        key: _strip(models_of[key], rows)
        for key, rows in found.items()
        if keep is None or key in keep
    }


def as_json(
    who: Principal, programme: Programme, name: str, meeting: Meeting | None = None
) -> dict[str, Any]:
    """What `steerco export NAME --format json` writes, as ``who`` may see it."""
    meta = {
        "register": name,
        "programme": programme.code,
        "as_of": meeting.code if meeting else None,
        "cutoff": meeting.cutoff.isoformat() if meeting else None,
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
