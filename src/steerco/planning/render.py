"""`steerco plan --format table`: the plan as rich tables on a console."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from steerco.planning.planner import PlanResult
from steerco.planning.report import (
    Outcome,
    cumulative_series,
    ldso_outcomes,
    raid_suggestions,
    supplier_outcomes,
)

NUMBERS = {"portfolio", "LP short", "greedy short", "migrated", "stranded", "seconds"}


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "—"


def _binds(outcome: Outcome) -> str:
    return "; ".join(b.text for b in outcome.binding[:2]) or "—"


def render(result: PlanResult, console: Console) -> None:
    case, problem = result.case, result.problem
    series = cumulative_series(result)
    marker = " [bold red](SYNTHETIC)[/]" if case.synthetic else ""
    console.print(f"[bold]{case.name}[/]{marker}")
    console.print(
        f"{series.total:,} meter points, {len(problem.suppliers)} suppliers, "
        f"{len(problem.ldsos)} LDSOs; {len(problem.days)} working days "
        f"from {case.start} to the deadline {case.deadline}"
    )
    stranded = series.total - series.lp[-1]
    if stranded:
        console.print(
            f"[bold red]Not every meter point can migrate by {case.deadline}:[/] "
            f"at best {stranded:,} are stranded."
        )
    else:
        console.print(f"[bold green]Every meter point can migrate by {case.deadline}.[/]")
    summary = Table(title="Optimal plan against the spreadsheet way")
    for column in ("plan", "migrated", "stranded", "all done by", "seconds"):
        summary.add_column(column, justify="right" if column in NUMBERS else "left")
    for schedule in (result.lp, result.greedy):
        done = schedule.migrated()
        last = max(
            (o.completion for o in ldso_outcomes(result, schedule) if o.completion),
            default=None,
        )
        summary.add_row(
            schedule.method,
            f"{done:,}",
            f"{series.total - done:,}",
            _day(last) if done == series.total else "—",
            f"{schedule.seconds:.2f}",
        )
    console.print(summary)
    _suppliers(result, console)
    _ldsos(result, console)
    _raid(result, console)


def _suppliers(result: PlanResult, console: Console) -> None:
    table = Table(title="Suppliers (first come first served)")
    for column in (
        "supplier",
        "tranche",
        "qualifies",
        "portfolio",
        "LP done",
        "LP short",
        "greedy done",
        "greedy short",
        "binds (LP)",
    ):
        table.add_column(
            column, justify="right" if "short" in column or column == "portfolio" else "left"
        )
    greedy = {o.name: o for o in supplier_outcomes(result, result.greedy)}
    for lp in supplier_outcomes(result, result.lp):
        other = greedy[lp.name]
        table.add_row(
            lp.name,
            lp.tranche or "none",
            _day(lp.qualifies),
            f"{lp.portfolio:,}",
            _day(lp.completion),
            f"{lp.shortfall:,}",
            _day(other.completion),
            f"{other.shortfall:,}",
            _binds(lp),
        )
    console.print(table)


def _ldsos(result: PlanResult, console: Console) -> None:
    table = Table(title="LDSOs")
    for column in ("LDSO", "portfolio", "LP done", "LP short", "greedy short", "binds (LP)"):
        table.add_column(column, justify="right" if column in NUMBERS else "left")
    greedy = {o.name: o for o in ldso_outcomes(result, result.greedy)}
    for lp in ldso_outcomes(result, result.lp):
        table.add_row(
            lp.name,
            f"{lp.portfolio:,}",
            _day(lp.completion),
            f"{lp.shortfall:,}",
            f"{greedy[lp.name].shortfall:,}",
            _binds(lp),
        )
    console.print(table)


def _raid(result: PlanResult, console: Console) -> None:
    suggestions = raid_suggestions(result, result.lp)
    if not suggestions:
        return
    table = Table(title="Suggested RAID entries (from the optimal plan)")
    for column in ("type", "owner", "description", "mitigations"):
        table.add_column(column)
    for item in suggestions:
        table.add_row(item.type, item.owner, item.description, "; ".join(item.mitigations))
    console.print(table)
