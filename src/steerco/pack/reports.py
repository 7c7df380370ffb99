"""Participants' monthly delivery reports in the pack: the core capability providers'
delivery plans and the LDSOs' status, each with its seven dimension RAGs beside the overall
one (unknown where the report did not give them), milestones, RAID and decisions."""

from __future__ import annotations

from typing import Any

from steerco.dashboards.delivery import Report
from steerco.io.exporter import Row
from steerco.pack import cells
from steerco.pack.context import Pack
from steerco.pack.document import Column, Facts, Heading, Markdown, Section, Table

TITLES = {
    "core-providers": "Core Capability Provider Delivery Plans",
    "ldso-status": "LDSO Status",
}


def delivery_reports(pack: Pack, section: Section, slug: str) -> None:
    found = pack.dashboard(slug)
    if not found.reports:
        return
    title = TITLES[slug]
    sub = section.sub(title, title.lower().replace(" ", "-"), new_page=True)
    previous = pack.previous or "the previous meeting"
    for index, report in enumerate(found.reports):
        sub.add(*report_blocks(report, previous, new_page=index > 0))


def report_blocks(report: Report, previous: str, *, new_page: bool = False) -> list[Any]:
    """One participant's monthly delivery report: its header, overall RAG (and the one it
    reported for the previous meeting) and the seven dimension RAGs, progress, milestones,
    RAID, decisions, escalations and notes."""
    row = report.row
    blocks: list[Any] = [
        Heading(report.title, new_page=new_page),
        Facts(
            (
                ("Organisation", cells.text(row["organisation"])),
                (
                    "Report date",
                    cells.stated_or_date(row["report_date_stated"], row["report_date"]),
                ),
                ("Status", cells.badge(report.status, "report")),
                (f"Previous overall ({previous}, derived)", cells.badge(report.previous_overall)),
            )
        ),
        Table(
            (
                Column("Overall", 1, "center"),
                *(Column(d.capitalize(), 1, "center") for d, _ in report.rated),
            ),
            ((cells.badge(report.overall), *(cells.badge(rag) for _, rag in report.rated)),),
            size="small",
        ),
    ]
    if row["progress_last_month"] or row["progress_next_month"]:
        blocks.append(_progress(row))
    if row["milestones"]:
        blocks.append(_report_milestones(row["milestones"]))
    if row["raid"]:
        blocks.append(_report_raid(row["raid"]))
    for direction in ("own", "required"):
        if decisions := [d for d in row["decisions"] if d["direction"] == direction]:
            blocks.append(_decisions(decisions, direction, str(row["organisation"] or "")))
    if row["escalations"]:
        rows = tuple((e["text"], cells.text(e["by_when_stated"])) for e in row["escalations"])
        columns = (Column("Escalation", 4), Column("Action by when?"))
        blocks.append(Table(columns, rows, caption="Escalations", size="small"))
    if row["notes"]:
        blocks.append(Markdown(row["notes"]))
    return blocks


def _progress(report: Row) -> Table:
    columns = (Column("Progress last month", 1), Column("Progress expected in the coming month", 1))
    row = (
        cells.markdown(report["progress_last_month"]),
        cells.markdown(report["progress_next_month"]),
    )
    return Table(columns, (row,))


def _decisions(decisions: list[Row], direction: str, party: str) -> Table:
    """One direction's decisions with the columns the report gives them: who from where it
    names more than one (else in the heading), the impact of no decision where it gives one."""
    askees = {d["from_whom"] for d in decisions if d["from_whom"]}
    impact = any(d["impact"] for d in decisions)
    title = f"Decisions to be made by {party}" if direction == "own" else "Decisions required"
    if direction == "required" and len(askees) == 1:
        title, askees = f"{title} from {askees.pop()}", set()
    rows = tuple(
        (
            d["description"],
            *((cells.text(d["from_whom"]),) if askees else ()),
            *((cells.text(d["impact"]),) if impact else ()),
            cells.text(d["by_when_stated"]),
        )
        for d in decisions
    )
    columns = (
        Column(title, 3),
        *((Column("From whom?"),) if askees else ()),
        *((Column("Impact of no decision", 3),) if impact else ()),
        Column("Decision by when?" if impact else "By when?"),
    )
    return Table(columns, rows, caption="Decisions", size="small")


def _report_milestones(milestones: list[Row]) -> Table:
    body = tuple(
        (
            m["name"],
            cells.stated_or_date(m["baseline_stated"], m["baseline_date"]),
            cells.stated_or_date(m["forecast_stated"], m["forecast_date"]),
            cells.badge(m["rag"]),
            (m["confidence"] or "").capitalize() or "—",
            m["comment"] or "—",
        )
        for m in milestones
    )
    columns = (
        Column("Milestone or deliverable", 3),
        Column("Baseline"),
        Column("Forecast"),
        Column("RAG"),
        Column("Confidence"),
        Column("Comment", 3),
    )
    return Table(columns, body, caption="Party milestones & deliverables", size="small")


def _report_raid(raid: list[Row]) -> Table:
    """A report's RAID log; a report that gives a date to be resolved or of impact beside
    its action's date (DCC's) has it in a column of its own, as the report prints it."""
    impact = any(r["impact_date_stated"] for r in raid)
    body = tuple(
        (
            (r["type"] or "").replace("_", " ").capitalize() or "—",
            r["description"],
            r["impact"] or "—",
            r["action"] or "—",
            cells.text(r["owner"]),
            r["due_stated"] or "—",
            *((r["impact_date_stated"] or "—",) if impact else ()),
            cells.badge(r["rag"]),
        )
        for r in raid
    )
    columns = (
        Column("Type"),
        Column("Risk, issue, assumption or dependency", 4),
        Column("Impact", 2),
        Column("Action", 4),
        Column("Owner"),
        Column("By"),
        *((Column("Date to be resolved/impact"),) if impact else ()),
        Column("RAG"),
    )
    return Table(columns, body, caption="RAID", size="small")
