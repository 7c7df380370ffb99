"""What every dashboard computation shares: the rows it reads (a frame, or rows built in
memory), the words and marks of values that are not known, and small plain views.

A computation takes a ``Source`` (``steerco.rules.frame.Frame`` for one meeting and one
audience, or ``MemoryFrame`` in tests) and returns dataclasses of plain values: labels,
numbers (None where not known), RAG values and chart data. No Django, no HTML.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from steerco.charts import Bar
from steerco.core.choices import RAG, RAG_SEVERITY
from steerco.core.colours import PALE
from steerco.io.exporter import Row
from steerco.reports.dimensions import DIMENSIONS
from steerco.rules.derive import UNKNOWN_WORD
from steerco.rules.derived import MemoryFrame, Source

UNKNOWN = UNKNOWN_WORD
# What "Complete" (a tracker's word for done) is coloured as: achieved, as a Blue milestone.
DONE_WORDS = ("complete", "completed")
NEUTRAL = PALE  # a status word that is not a RAG

__all__ = ["DIMENSIONS", "UNKNOWN", "MemoryFrame", "Source"]


@dataclass(frozen=True)
class Status:
    """A status as shown: its label and the colour of its badge (RAG values keep their
    own colour; a tracker's "Complete" is achieved, Blue)."""

    label: str
    colour: str
    rag: str = ""


def rag_label(value: str | None) -> str:
    return str(RAG(value).label) if value in RAG.values else UNKNOWN.capitalize()


def status_word(text: str | None) -> Status | None:
    """A RAG or status a tracker states as a word ("Green", "Complete"); None: not known."""
    if not text:
        return None
    value = str(text).strip().lower()
    if value in RAG.values:
        return Status(rag_label(value), RAG.colour(value), value)
    if value in DONE_WORDS:
        return Status(str(text), RAG.colour("blue"), "blue")
    return Status(str(text), NEUTRAL)


def rag_bars(values: Sequence[str | None]) -> list[Bar]:
    """A bar per RAG value, most severe first; an empty value counts as Unknown."""
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value or ""] += 1
    order = sorted(counts, key=lambda v: RAG_SEVERITY.get(v, 9))
    return [Bar(rag_label(v), counts[v], RAG.colour(v)) for v in order]


def number(value: Any) -> str:
    """A figure as the pack prints it; "unknown" where it is not known."""
    if value is None or value == "":
        return UNKNOWN
    amount = Decimal(str(value))
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def as_float(value: Any) -> float | None:
    """A chart value: None (drawn as "unknown", never as a bar of 0) where not known."""
    return None if value is None or value == "" else float(value)


def narrative(source: Source, *slugs: str) -> list[Row]:
    """The current meeting's narrative sections with these slugs, in the slugs' order."""
    found = {s["slug"]: s for s in source.narrative() if s["body"].strip()}
    return [found[slug] for slug in slugs if slug in found]
