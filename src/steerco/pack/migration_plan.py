"""The pack's "Migration plan" (in Qualification Testing): the programme's latest plan run
finished by the meeting's cut-off, as the frame holds it, so a run finished later never
changes a built pack.

Only the totals and the cumulative chart: the pack is read by participants and the public,
and the per-supplier tables hold every supplier's portfolio size, which they may not see
(they stay on the planning page)."""

from __future__ import annotations

from steerco.accounts.access import Can
from steerco.core.colours import MAGENTA
from steerco.pack.context import Pack
from steerco.pack.document import (
    Badge,
    CellValue,
    Chart,
    ChartData,
    Column,
    Facts,
    Section,
    Stack,
    Table,
    Text,
)
from steerco.planning import summary

TITLE = "Migration plan"


NOT_IN_EDITION = (
    "The migration plan is in the members' and the PMO's editions of this pack: a plan rests "
    "on every supplier's portfolio, which this edition's readers do not see."
)


def migration_plan(pack: Pack, section: Section) -> bool:
    """Add the subsection; whether a plan run was there to show."""
    sub = section.sub(TITLE, "migration-plan")
    if not pack.frame.who.may(Can.READ_PLANS):
        sub.add(Text(NOT_IN_EDITION, tone="note"))
        return False
    run = pack.frame.plan_run()
    if run is None:
        sub.add(
            Text(
                f"No migration plan had been run by {pack.code}'s cut-off: there is no plan "
                "of qualification tranches and meter-point migration to show.",
                tone="note",
            )
        )
        return False
    result = run["result"]
    facts = summary.facts(result)
    case: CellValue = facts.case
    if facts.synthetic:
        case = Stack((facts.case, Badge("SYNTHETIC: every figure is made up", MAGENTA)))
    finished = f"{run['finished']:%d %b %Y %H:%M %Z}"  # UTC, as the cover's cut-off
    sub.add(
        Facts(
            (
                ("Case", case),
                (
                    "Meter points",
                    f"{facts.meter_points:,} of {facts.suppliers} suppliers on {facts.ldsos} LDSOs",
                ),
                ("Working days", f"{facts.working_days}, from {facts.start:%d %b %Y}"),
                ("Deadline", f"{facts.deadline:%d %b %Y}"),
                ("Plan run", f"run {run['pk']} of {run['source']}, finished {finished}"),
            )
        )
    )
    body = tuple(
        (
            outcome.name,
            f"{outcome.migrated:,}",
            f"{outcome.stranded:,}",
            f"{outcome.all_done_by:%d %b %Y}" if outcome.all_done_by else "not by the deadline",
        )
        for outcome in summary.outcomes(result)
    )
    columns = (
        Column("Plan", 2),
        Column("Migrated by the deadline", 1, "right"),
        Column("Stranded", 1, "right"),
        Column("All done by", 1),
    )
    sub.add(Table(columns, body, caption="The optimal plan against the greedy one"))
    sub.add(
        Chart(
            "Cumulative meter points migrated against the deadline",
            summary.chart(result),
            width=0.85,
            data=ChartData.lines(*summary.cumulative(result)),
            caption="The optimal plan (solid) and the greedy, first-come-first-served way "
            "(dashed); the dotted line is every meter point, the dash-dot line the deadline. "
            "Suppliers' and LDSOs' own figures are on the planning page.",
        )
    )
    return True
