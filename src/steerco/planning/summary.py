"""A stored plan (`report.to_json`'s dict) as the planning page and the pack show it: the two
plans side by side, the cumulative chart, the supplier and LDSO tables, the RAID entries.

Plain functions over the stored JSON, so a page shows what the run found when it ran, never
a plan worked out again with today's code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from steerco import charts
from steerco.core.colours import SERIES

LP_NAME = "Optimal plan (LP)"
GREEDY_NAME = "Greedy (first come, first served)"
# Chart series colours (never a RAG colour); the greedy line is dashed as well.
LP_COLOUR, GREEDY_COLOUR = SERIES[0], SERIES[2]


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@dataclass(frozen=True)
class Facts:
    case: str
    synthetic: bool
    start: dt.date
    deadline: dt.date
    working_days: int
    meter_points: int
    suppliers: int
    ldsos: int


@dataclass(frozen=True)
class Outcome:
    """One plan's line of the summary: how much migrates, how much is stranded, and the day
    the last meter point migrates (None when some are stranded)."""

    name: str
    method: str
    migrated: int
    stranded: int
    all_done_by: dt.date | None


@dataclass(frozen=True)
class SupplierRow:
    name: str
    tranche: str | None
    qualifies: dt.date | None
    portfolio: int
    lp_completion: dt.date | None
    lp_shortfall: int
    greedy_completion: dt.date | None
    greedy_shortfall: int
    binds: str  # what binds under the LP, the two tightest


@dataclass(frozen=True)
class LdsoRow:
    name: str
    portfolio: int
    lp_completion: dt.date | None
    lp_shortfall: int
    greedy_completion: dt.date | None
    greedy_shortfall: int
    binds: str


def facts(result: dict[str, Any]) -> Facts:
    return Facts(
        case=result["case"],
        synthetic=bool(result["synthetic"]),
        start=dt.date.fromisoformat(result["start"]),
        deadline=dt.date.fromisoformat(result["deadline"]),
        working_days=int(result["working_days"]),
        meter_points=int(result["meter_points"]),
        suppliers=len(result["lp"]["suppliers"]),
        ldsos=len(result["lp"]["ldsos"]),
    )


def outcomes(result: dict[str, Any]) -> tuple[Outcome, Outcome]:
    """The optimal plan and the greedy one."""
    lp, greedy = result["lp"], result["greedy"]
    return _outcome(LP_NAME, lp), _outcome(GREEDY_NAME, greedy)


def _outcome(name: str, plan: dict[str, Any]) -> Outcome:
    days = [_day(o["completion"]) for o in plan["ldsos"]]
    done = [day for day in days if day is not None]
    last = max(done) if done and not plan["stranded"] else None
    return Outcome(name, plan["method"], plan["migrated"], plan["stranded"], last)


def _binds(outcome: dict[str, Any]) -> str:
    return "; ".join(b["text"] for b in outcome["binding"][:2])


def supplier_rows(result: dict[str, Any]) -> list[SupplierRow]:
    """Suppliers in first-come-first-served order, each under the LP and greedy."""
    greedy = {o["name"]: o for o in result["greedy"]["suppliers"]}
    rows = []
    for lp in result["lp"]["suppliers"]:
        other = greedy[lp["name"]]
        rows.append(
            SupplierRow(
                name=lp["name"],
                tranche=lp.get("tranche"),
                qualifies=_day(lp.get("qualifies")),
                portfolio=lp["portfolio"],
                lp_completion=_day(lp["completion"]),
                lp_shortfall=lp["shortfall"],
                greedy_completion=_day(other["completion"]),
                greedy_shortfall=other["shortfall"],
                binds=_binds(lp),
            )
        )
    return rows


def ldso_rows(result: dict[str, Any]) -> list[LdsoRow]:
    greedy = {o["name"]: o for o in result["greedy"]["ldsos"]}
    return [
        LdsoRow(
            name=lp["name"],
            portfolio=lp["portfolio"],
            lp_completion=_day(lp["completion"]),
            lp_shortfall=lp["shortfall"],
            greedy_completion=_day(greedy[lp["name"]]["completion"]),
            greedy_shortfall=greedy[lp["name"]]["shortfall"],
            binds=_binds(lp),
        )
        for lp in result["lp"]["ldsos"]
    ]


def raid(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The suggested RAID entries (from the optimal plan)."""
    return list(result["lp"].get("raid", []))


def cumulative(result: dict[str, Any]) -> tuple[list[dt.date], list[charts.Line]]:
    """The chart's days and its two lines (the LP solid, greedy dashed): what the SVG draws
    and what the pack's PowerPoint draws as a chart of its own."""
    series = result["cumulative"]
    days = [dt.date.fromisoformat(day) for day in series["days"]]
    return days, [
        charts.Line("Optimal (LP)", series["lp"], LP_COLOUR),
        charts.Line("Greedy", series["greedy"], GREEDY_COLOUR, dash="7 4"),
    ]


def chart(result: dict[str, Any], *, width: int = 760, height: int = 340) -> str:
    """Cumulative meter points migrated against the deadline: the LP solid, greedy dashed,
    each labelled at its end; the total as a dotted level and the deadline as a marker."""
    info = facts(result)
    title = f"Cumulative meter points migrated: {info.case}"
    if info.synthetic and "SYNTHETIC" not in info.case.upper():
        title += " (SYNTHETIC)"
    days, lines = cumulative(result)
    return charts.date_line_chart(
        title,
        days,
        lines,
        level=(f"All {info.meter_points:,} meter points", info.meter_points),
        marker=(f"Deadline {info.deadline.day} {info.deadline:%b %Y}", info.deadline),
        y_title="Meter points migrated (cumulative)",
        x_title="End of working day",
        width=width,
        height=height,
    )
