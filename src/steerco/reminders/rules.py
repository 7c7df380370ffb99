"""What is due to whom, as plain functions over plain values: no database, no Django models.

- An action is **due** when its due date falls within the window (today … today + N days)
  and **overdue** once the date has passed; a closed or recommend-closed action, or one
  with no due date, is neither.
- A free-text owner ("Programme (Fraser Mathieson)", "Elexon / DCC") names the
  organisations whose name or alias appears in it as a whole word, case-insensitively; where
  names overlap the longest wins, so "E.ON Next" is not also the organisation aliased "E".
- A meeting **needs freezing** while it is open and its date is within the window or past.
- A delivery report is due while its meeting's date is within the window or past (a
  reminder weeks ahead would spend the one reminder each organisation gets per meeting).

Each reminder has a key naming the facts it reports; a person is sent a key once. When the
facts change (a new due date, an action becoming overdue, a meeting moved) the key changes
and the reminder is due again.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Statuses of an action that nobody needs reminding about.
DONE = frozenset({"closed", "recommend_closed"})


class Kind(enum.StrEnum):
    """What a reminder is about, in the order a digest lists them."""

    OVERDUE = "overdue"
    DUE = "due"
    REPORT = "report"
    FREEZE = "freeze"


HEADINGS: dict[Kind, str] = {
    Kind.OVERDUE: "Overdue actions",
    Kind.DUE: "Actions due soon",
    Kind.REPORT: "Delivery reports due",
    Kind.FREEZE: "Meetings to freeze",
}


@dataclass(frozen=True)
class Item:
    """One thing a digest tells its reader, with the key that makes it sent once."""

    key: str
    kind: Kind
    programme: str  # the programme's code
    date: dt.date  # the date it turns on: due date, meeting date
    title: str
    detail: str
    link: str
    record: tuple[str, int]  # the model label and pk its reader must be allowed to see
    note: str = ""  # why this reader is told (the PMO told of someone else's action)


def action_kind(due: dt.date | None, status: str, today: dt.date, days: int) -> Kind | None:
    if due is None or status in DONE:
        return None
    if due < today:
        return Kind.OVERDUE
    if due <= today + dt.timedelta(days=days):
        return Kind.DUE
    return None


def needs_freezing(state: str, date: dt.date, today: dt.date, days: int) -> bool:
    return state == "open" and date <= today + dt.timedelta(days=days)


def report_due(meeting_date: dt.date, today: dt.date, days: int) -> bool:
    return meeting_date <= today + dt.timedelta(days=days)


def action_key(pk: int, kind: Kind, due: dt.date) -> str:
    return f"action:{pk}:{kind}:{due.isoformat()}"


def report_key(organisation_id: int, meeting_id: int) -> str:
    return f"report:{organisation_id}:{meeting_id}"


def freeze_key(meeting_id: int, date: dt.date) -> str:
    return f"freeze:{meeting_id}:{date.isoformat()}"


def owner_organisations(owners: str, names: Mapping[int, Iterable[str]]) -> set[int]:
    """The organisations (id → name and aliases) an owner text names as whole words."""
    text = owners.casefold()
    candidates = sorted(
        ((name.casefold().strip(), org) for org, spelt in names.items() for name in spelt),
        key=lambda pair: -len(pair[0]),
    )
    taken: list[tuple[int, int]] = []
    found: set[int] = set()
    for name, org in candidates:
        if not name:
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue  # inside a longer name already found
            taken.append(span)
            found.add(org)
    return found


def pmo_note(named: bool, contacts: bool, readers: bool, kind: Kind) -> str | None:
    """Why the PMO is told of an action (None: it is not): nobody else who may read it was
    found by its owner text, or it is overdue."""
    if not named:
        return "owner not matched to a contact"
    if not contacts:
        return "its owner's organisation has no participant contact"
    if not readers:
        return "its owner's contacts may not read it"
    if kind is Kind.OVERDUE:
        return "overdue"
    return None


def days_phrase(date: dt.date, today: dt.date) -> str:
    delta = (date - today).days
    if delta == 0:
        return "today"
    if delta > 0:
        return f"in {delta} day{'s' if delta != 1 else ''}"
    return f"{-delta} day{'s' if delta != -1 else ''} ago"


def grouped(items: Iterable[Item]) -> list[tuple[str, list[Item]]]:
    """A digest's sections: each kind's heading with its items, earliest first."""
    by_kind: dict[Kind, list[Item]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    return [
        (HEADINGS[kind], sorted(by_kind[kind], key=lambda i: (i.date, i.title)))
        for kind in Kind
        if kind in by_kind
    ]


def subject(items: Iterable[Item], programme_names: Iterable[str]) -> str:
    listed = list(items)
    names = sorted(set(programme_names))
    where = names[0] if len(names) == 1 else "steerco"
    overdue = sum(1 for i in listed if i.kind is Kind.OVERDUE)
    count = f"{len(listed)} reminder{'s' if len(listed) != 1 else ''}"
    return f"{where}: {count}" + (f" ({overdue} overdue)" if overdue else "")
