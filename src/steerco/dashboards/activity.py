"""MHHS Workstream Activity and Assurance: workstream updates, code drafting, the narrative
dashboards (FTIG, advisory groups, PPC with its readiness rounds), industry change (horizon
scanning) and independent programme assurance."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from steerco.charts import Bar
from steerco.core.choices import Band
from steerco.dashboards.basis import Source, Status, as_float, narrative, number, status_word
from steerco.io.exporter import Row


@dataclass(frozen=True)
class Figure:
    """A tracker's single figure: the value (None: not known) and what was printed."""

    label: str
    value: Decimal | None
    stated: str
    approximate: bool

    @property
    def text(self) -> str:
        return number(self.value)

    @property
    def printed_differently(self) -> bool:
        return bool(self.stated) and self.stated != self.text


@dataclass(frozen=True)
class Breakdown:
    """A tracker's breakdown (a group of figures) with the total printed for it, if any."""

    title: str
    bars: tuple[Bar, ...]  # a value that is not known is None: drawn as "unknown"
    stated_total: Decimal | None

    @property
    def known_sum(self) -> float:
        return sum(b.value for b in self.bars if b.value is not None)


def _figure(metric: Row) -> Figure:
    value = metric["value"]
    return Figure(
        metric["label"],
        None if value is None else Decimal(str(value)),
        metric["stated"] or "",
        bool(metric["approximate"]),
    )


def metrics(source: Source, tracker: str) -> tuple[tuple[Figure, ...], tuple[Breakdown, ...]]:
    """A tracker's single figures, and its breakdowns with the total each belongs to."""
    rows = [m for m in source.rows("metrics") if m["tracker"] == tracker]
    totals = {m["total_of"]: m for m in rows if m["total_of"]}
    grouped: dict[str, list[Row]] = defaultdict(list)
    for metric in rows:
        if metric["group"]:
            grouped[metric["group"]].append(metric)
    singles = tuple(_figure(m) for m in rows if not m["group"] and not m["total_of"])
    groups = []
    for name, items in grouped.items():
        total = totals.get(name)
        title = total["label"] if total else name.replace("-", " ").capitalize()
        value = total["value"] if total else None
        bars = tuple(Bar(m["label"], as_float(m["value"])) for m in items)
        groups.append(Breakdown(title, bars, None if value is None else Decimal(str(value))))
    return singles, tuple(groups)


# -- workstreams, code drafting ----------------------------------------------------------------


@dataclass(frozen=True)
class Workstreams:
    updates: tuple[Row, ...]  # workstream, progress, next steps (what, owner, by when)
    figures: tuple[tuple[str, tuple[Figure, ...]], ...]  # design, testing


def workstreams(source: Source) -> Workstreams:
    figures = tuple((t, metrics(source, t)[0]) for t in ("design", "testing"))
    return Workstreams(tuple(source.rows("workstreams")), figures)


@dataclass(frozen=True)
class DraftingMilestone:
    name: str
    target: str  # as printed, else the date
    forecast: str
    status: Status | None


@dataclass(frozen=True)
class CodeDrafting:
    sections: tuple[Row, ...]
    milestones: tuple[DraftingMilestone, ...]
    risks: tuple[Row, ...]  # the code-drafting RAID log
    bands: tuple[Bar, ...]  # its risks by band (derived count)


def _stated_or_date(stated: str, day: dt.date | None) -> str:
    return stated or (f"{day.day} {day:%b %Y}" if day else "unknown")


def code_drafting(source: Source) -> CodeDrafting:
    milestones = tuple(
        DraftingMilestone(
            t["name"],
            _stated_or_date(t["target_stated"], t["target_date"]),
            _stated_or_date(t["forecast_stated"], t["forecast_date"]),
            status_word(t["status"]),
        )
        for t in source.rows("code-drafting")
    )
    risks = tuple(source.rows_where("raid", log=("code-drafting",)))
    counts = Counter(str(r["stated_band"]) for r in risks if r["stated_band"])
    bands = tuple(
        Bar(str(b.label), counts.get(str(b.value), 0), Band.colour(str(b.value))) for b in Band
    )
    return CodeDrafting(
        tuple(narrative(source, "code-drafting-status")), milestones, risks, bands if risks else ()
    )


# -- narrative dashboards ----------------------------------------------------------------------


@dataclass(frozen=True)
class Narrative:
    sections: tuple[Row, ...]  # slug, title, body (Markdown)
    figures: tuple[Figure, ...]
    rounds: tuple[Row, ...]  # readiness assessment rounds (PPC activity)


def ftig_sit_outlook(source: Source) -> Narrative:
    return Narrative(tuple(narrative(source, "ftig-and-sit-outlook")), (), ())


def advisory_groups(source: Source) -> Narrative:
    slugs = ("governance-group-updates", "wider-programme-updates")
    return Narrative(tuple(narrative(source, *slugs)), (), ())


def participant_communications(source: Source) -> Narrative:
    figures, _ = metrics(source, "ppc")
    rounds = tuple(source.records("readiness-rounds"))  # not their responses
    return Narrative(tuple(narrative(source, "ppc-activity")), figures, rounds)


# -- industry change, assurance ----------------------------------------------------------------


@dataclass(frozen=True)
class IndustryChange:
    sections: tuple[Row, ...]
    figures: tuple[Figure, ...]
    breakdowns: tuple[Breakdown, ...]
    items: tuple[Row, ...]  # code, title, criticality, linked RAID


def industry_change(source: Source) -> IndustryChange:
    figures, breakdowns = metrics(source, "horizon-scanning")
    return IndustryChange(
        tuple(narrative(source, "industry-horizon-scanning")),
        figures,
        breakdowns,
        tuple(source.rows("horizon")),
    )


@dataclass(frozen=True)
class Activity:
    stage: str
    work_package: str
    title: str
    status: Status | None
    text: str


@dataclass(frozen=True)
class Assurance:
    sections: tuple[Row, ...]
    stages: tuple[tuple[str, tuple[Activity, ...]], ...]
    breakdowns: tuple[Breakdown, ...]


def assurance(source: Source) -> Assurance:
    stages: dict[str, list[Activity]] = defaultdict(list)
    for a in source.rows("assurance"):
        stages[a["stage"] or "—"].append(
            Activity(
                a["stage"] or "—",
                a["work_package"],
                a["title"],
                status_word(a["status"]),
                a["text"],
            )
        )
    _, breakdowns = metrics(source, "assurance")
    return Assurance(
        tuple(narrative(source, "independent-programme-assurance")),
        tuple((stage, tuple(items)) for stage, items in stages.items()),
        breakdowns,
    )
