"""The pack's Executive Summary page and its milestone timeline: each renders what its
computation in ``steerco.dashboards`` found (``summary``, ``milestones``), the same result
the web's summary and milestones dashboards show."""

from __future__ import annotations

from steerco.dashboards.milestones import TIMELINE_TITLE, Milestones, timeline_svg
from steerco.dashboards.summary import AT_RISK_RULE, DUE_RULE, MilestoneChange, Summary
from steerco.pack import cells
from steerco.pack.context import Pack
from steerco.pack.document import (
    Block,
    CellValue,
    Chart,
    Column,
    Derived,
    Facts,
    Heading,
    Section,
    Stack,
    Table,
    Text,
)


def executive_summary(pack: Pack) -> Section:
    found: Summary = pack.dashboard("summary")
    section = Section("Executive Summary", "executive-summary")
    before = found.previous or "the previous meeting"
    section.add(headline(found))
    section.add(
        Heading("Overall RAG at recent meetings (derived)"),
        Table(
            (Column("Meeting"), Column("Date"), Column("Overall RAG (derived)")),
            tuple((p.meeting, cells.date(p.date), cells.badge(p.rag)) for p in found.trend),
        ),
        Text(found.rag_rule, tone="note"),
    )
    milestone_blocks(pack, section, found, before)
    section.add(Heading("Top risks by current score"), *risk_blocks(pack, found, before))
    section.add(Heading("Decisions needed at this meeting"), *decision_blocks(pack, found))
    section.add(Heading("Open actions due"), *action_blocks(pack, found))
    section.add(Heading("Delivery reports received"), *report_blocks(pack, found))
    section.add(
        Heading("Milestones least likely to hold their forecast (derived)"),
        *confidence_blocks(found),
    )
    return section


CONFIDENCE_NOTE = (
    "The chance each forecast holds, derived from its history and its party's record of "
    "forecasts made as far ahead (docs/confidence.md), beside the confidence the party states."
)


def confidence_blocks(found: Summary) -> list[Block]:
    if not found.least_credible:
        return [Text("No milestone has history enough to judge.", tone="note")]
    columns = (
        Column("Milestone"),
        Column("Party"),
        Column("Forecast"),
        Column("Re-forecasts"),
        Column("Chance it holds (derived)"),
        Column("Stated confidence"),
        Column("Why", 3),
    )
    body = tuple(
        (
            cells.code(m.key) if m.record_id is not None else m.key,
            m.party or cells.UNKNOWN,
            cells.date(m.forecast),
            str(m.history.reforecasts),
            Derived(f"{m.percent}%"),
            (m.judgement.stated.capitalize() + (" (disagrees)" if m.judgement.disagrees else ""))
            or cells.UNKNOWN,
            m.judgement.reason,
        )
        for m in found.least_credible
    )
    return [Table(columns, body, size="small", note=CONFIDENCE_NOTE)]


def headline(found: Summary) -> Facts:
    due = len(found.returns)
    return Facts(
        (
            ("Overall RAG (derived)", cells.badge(found.rag)),
            (
                f"Milestones since {found.previous or 'the last meeting'}",
                Derived(found.milestone_counts),
            ),
            (
                "Top risk",
                Derived(f"{found.risks[0].ref}, score {found.risks[0].current}")
                if found.risks
                else cells.UNKNOWN,
            ),
            ("Decisions needed", Derived(str(len(found.decisions)))),
            (
                "Open actions due",
                Derived(
                    f"{len(found.actions)} due by {cells.date(found.date)}, "
                    f"{found.overdue_actions} overdue"
                ),
            ),
            ("Reports received", Derived(f"{found.received} of {due} due")),
        )
    )


MILESTONE_COLUMNS = (
    Column("Milestone"),
    Column("Title", 4),
    Column("Body"),
    Column("Baseline"),
    Column("Forecast"),
    Column("Slip (wd, derived)", align="right"),
    Column("Previous RAG (derived)"),
    Column("RAG"),
)


def _milestone(m: MilestoneChange) -> tuple[CellValue, ...]:
    return (
        cells.code(m.code),
        m.title,
        cells.text(m.governing_body),
        cells.short_date(m.baseline),
        cells.short_date(m.forecast),
        cells.UNKNOWN if m.slip is None else f"{m.slip:+d}" if m.slip else "0",
        cells.badge(m.previous_rag),
        cells.badge(m.rag),
    )


def milestone_blocks(pack: Pack, section: Section, found: Summary, before: str) -> None:
    groups = (
        (
            f"Milestones achieved since {before}",
            found.achieved,
            f"milestones achieved since {before}",
        ),
        (f"Milestones slipped since {before}", found.slipped, f"milestones slipped since {before}"),
        ("Milestones at risk", found.at_risk, "milestones at risk"),
    )
    for title, members, noun in groups:
        section.add(Heading(title))
        if members:
            section.add(Table(MILESTONE_COLUMNS, tuple(map(_milestone, members)), size="small"))
        else:
            section.add(Text(pack.none(noun), tone="note"))
    notes = [AT_RISK_RULE]
    if found.unknown_moves:
        notes.append(
            f"{found.unknown_moves} open milestones had no forecast recorded at {before}'s "
            "cut-off: whether they slipped since is not known."
        )
    section.add(Text(" ".join(notes), tone="note"))


def risk_blocks(pack: Pack, found: Summary, before: str) -> list[Block]:
    blocks: list[Block] = []
    if found.risks:
        body = tuple(
            (
                cells.code(r.ref),
                r.description,
                str(r.current),
                cells.badge(r.band, "band"),
                Derived(r.movement),
            )
            for r in found.risks
        )
        columns = (
            Column("Risk"),
            Column("Description", 5),
            Column("Current score", align="right"),
            Column("Band"),
            Column(f"Movement since {before} (derived)", 2),
        )
        blocks.append(Table(columns, body, size="small"))
    else:
        blocks.append(Text(pack.none("open risks with a current score"), tone="note"))
    if found.unscored_risks:
        blocks.append(
            Text(
                f"{found.unscored_risks} more open risks have no current score known.",
                tone="note",
            )
        )
    return blocks


def decision_blocks(pack: Pack, found: Summary) -> list[Block]:
    if not found.decisions:
        return [Text(pack.none("decisions for this meeting"), tone="note")]
    body = tuple(
        (d.source, d.title, cells.text(d.detail), cells.text(d.by)) for d in found.decisions
    )
    columns = (Column("From"), Column("Decision", 3), Column("Asked", 4), Column("Lead", 2))
    return [Table(columns, body, size="small")]


def action_blocks(pack: Pack, found: Summary) -> list[Block]:
    blocks: list[Block] = []
    if found.actions:
        body = tuple(
            (
                cells.code(a.ref),
                a.text,
                cells.text(a.owners),
                Stack((cells.date(a.due), "overdue")) if a.overdue else cells.date(a.due),
                cells.badge(a.status, "action"),
            )
            for a in found.actions
        )
        columns = (
            Column("Ref"),
            Column("Action", 5),
            Column("Owner", 2),
            Column("Due"),
            Column("Status"),
        )
        blocks.append(Table(columns, body, size="small"))
    else:
        blocks.append(Text(pack.none("open actions due by this meeting"), tone="note"))
    if found.undated_actions:
        blocks.append(
            Text(f"{found.undated_actions} more open actions have no due date.", tone="note")
        )
    return blocks


def report_blocks(pack: Pack, found: Summary) -> list[Block]:
    if not found.returns:
        return [Text(pack.none("delivery reports due"), tone="note")]
    body = tuple(
        (
            r.organisation,
            cells.badge(r.status, "report") if r.status else "nothing received",
            "yes" if r.received else "no",
        )
        for r in found.returns
    )
    columns = (Column("Organisation", 3), Column("Status"), Column("Received"))
    return [Table(columns, body, size="small", note=DUE_RULE)]


def timeline(found: Milestones, today: str) -> Chart | None:
    """The milestone timeline, its dashed line labelled ``today``; None where no milestone
    of the timeline's tiers is held."""
    svg = timeline_svg(found, today)
    if not svg:
        return None
    caption = (
        "Each row names the milestone, and its governing body where the register names "
        "one; the slip at the row's end is in working days, forecast against baseline."
    )
    return Chart(TIMELINE_TITLE, svg, caption=caption)
