"""MHHS Programme Status: risk themes and change control."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from steerco.charts import Bar
from steerco.core.choices import RAG
from steerco.dashboards.basis import Source, rag_label
from steerco.io.exporter import Row
from steerco.rules.derived import raid_rows, theme_rows


@dataclass(frozen=True)
class Risk:
    ref: str
    description: str
    initial: int | None
    current: int | None
    target: int | None
    band: str | None  # derived from the current score, else as stated
    movement: str  # derived since the previous meeting
    stated_movement: str
    mitigations: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    number: int
    title: str
    summary: str
    mitigation_overview: str
    rag: str
    previous_rag: str | None
    noun: str
    stated_item_count: int | None
    previous_item_count: int | None
    key_risks: int  # derived: the risks listed under the theme
    updated_to: dt.date | None
    risks: tuple[Risk, ...]


@dataclass(frozen=True)
class RiskThemes:
    previous: str | None
    themes: tuple[Theme, ...]
    bars: tuple[Bar, ...]


def _risk(item: Row) -> Risk:
    return Risk(
        ref=item["ref"],
        description=item["description"],
        initial=item["initial_score"],
        current=item["current_score"],
        target=item["target_score"],
        band=item["current_band"] or item["stated_band"] or None,
        movement=item["movement"],
        stated_movement=item["stated_movement"],
        mitigations=tuple(m["text"] for m in item["mitigations"]),
    )


def risk_themes(source: Source) -> RiskThemes:
    by_theme: dict[int, list[Risk]] = defaultdict(list)
    for item in raid_rows(source):
        by_theme[item["theme"]].append(_risk(item))
    themes = tuple(
        Theme(
            number=row["number"],
            title=row["title"],
            summary=row["summary"],
            mitigation_overview=row["mitigation_overview"],
            rag=row["rag"],
            previous_rag=row["previous_rag"] or None,
            noun=row["stated_item_noun"] or "items",
            stated_item_count=row["stated_item_count"],
            previous_item_count=row["previous_item_count"],
            key_risks=row["key_risks"],
            updated_to=row["updated_to"],
            risks=tuple(by_theme.get(row["number"], ())),
        )
        for row in theme_rows(source)
    )
    bars = tuple(
        Bar(f"Theme {t.number}", len(t.risks), RAG.colour(t.rag), rag_label(t.rag)) for t in themes
    )
    return RiskThemes(source.previous_code, themes, bars)


@dataclass(frozen=True)
class ChangeControl:
    changes: tuple[Row, ...]
    updated_to: dt.date | None  # the latest "updated to" of the requests
    by_status: tuple[Bar, ...]


def change_control(source: Source) -> ChangeControl:
    changes = tuple(source.rows("changes"))
    dates = [c["updated_to"] for c in changes if c["updated_to"]]
    counts = Counter(c["approval_status"] or "Not stated" for c in changes)
    bars = tuple(Bar(status, count) for status, count in counts.most_common())
    return ChangeControl(changes, max(dates, default=None), bars)
