"""Cell values for the pack's tables: badges from the shared enumerations, dates, numbers,
and "unknown" wherever a value is not known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from steerco.core.choices import (
    RAG,
    ActionStatus,
    Band,
    ColouredChoices,
    CriterionState,
    ParticipationStatus,
    ReportStatus,
)
from steerco.core.colours import PALE
from steerco.pack.document import Badge, CellValue, Code, Markdown, Stack, Unknown

ENUMS: dict[str, type[ColouredChoices]] = {
    "rag": RAG,
    "band": Band,
    "action": ActionStatus,
    "report": ReportStatus,
    "criterion": CriterionState,
    "participation": ParticipationStatus,
}
UNKNOWN = Unknown()


def known(value: Any) -> bool:
    return value is not None and value != ""


def badge(value: str | None, kind: str = "rag") -> Badge | Unknown:
    """The enumeration's label on its colour; an empty value is "unknown", never a colour."""
    if not known(value):
        return UNKNOWN
    enum = ENUMS[kind]
    text = str(value)
    try:
        label = str(enum(text).label)
    except ValueError:
        label = text.replace("_", " ").capitalize()
    return Badge(label, enum.colour(text))


def rag_word(text: str | None) -> Badge | Unknown:
    """A RAG that a tracker states as a word ("Green", "Complete") rather than a code."""
    if not known(text):
        return UNKNOWN
    value = str(text).strip().lower()
    if value in RAG.values:
        return badge(value)
    if value in ("complete", "completed"):
        return Badge(str(text), RAG.colour("blue"))
    return Badge(str(text), PALE)


def text(value: Any) -> str | Unknown:
    return str(value) if known(value) else UNKNOWN


def code(value: Any) -> Code | Unknown:
    return Code(str(value)) if known(value) else UNKNOWN


def markdown(value: Any) -> Markdown | Unknown:
    return Markdown(str(value)) if known(value) else UNKNOWN


def as_date(value: Any) -> dt.date | None:
    if not known(value):
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def date(value: Any, style: str = "%d %b %Y") -> str | Unknown:
    day = as_date(value)
    return day.strftime(style) if day else UNKNOWN


def short_date(value: Any) -> str | Unknown:
    """The milestone tables' style: ``Fri 11/08/23``."""
    return date(value, "%a %d/%m/%y")


def stated_or_date(stated: Any, value: Any) -> CellValue:
    """What the pack printed, or the typed date when nothing was printed."""
    if known(stated):
        return str(stated)
    return date(value)


def amount(value: Any, stated: Any = "") -> str | Unknown:
    if known(stated):
        return str(stated)
    if not known(value):
        return UNKNOWN
    return f"{Decimal(str(value)):,.2f}"


def number(value: Any) -> str | Unknown:
    if not known(value):
        return UNKNOWN
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.2f}"


def with_note(first: CellValue, note: str) -> CellValue:
    return Stack((first, note)) if note else first
