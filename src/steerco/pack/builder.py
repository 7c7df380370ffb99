"""Frame → pack document, one function per section in the order of the seed pack (PSG #24).

Every value comes from the frame (the registers frozen at the meeting's cut-off) or is
derived from it; nothing reads the database. Narrative sections are the meeting's Markdown,
looked up by slug; a section the meeting does not have is simply left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.utils import timezone

from steerco.core.choices import RAG, RAG_NOTES
from steerco.core.colours import BROWN, MAGENTA, PALE
from steerco.dashboards.activity import metrics
from steerco.dashboards.basis import UNKNOWN
from steerco.dashboards.delivery import Role
from steerco.dashboards.milestones import MilestoneView
from steerco.io.exporter import Row
from steerco.pack import cells, empty, pictures
from steerco.pack import dashboards as dash
from steerco.pack.context import Pack
from steerco.pack.derive import gate_state, later_meetings
from steerco.pack.diagram import choreography
from steerco.pack.document import (
    Badge,
    CellValue,
    Column,
    Derived,
    Diagram,
    Document,
    Facts,
    Heading,
    Markdown,
    Section,
    Stack,
    Table,
    Text,
)
from steerco.pack.editions import Audience
from steerco.pack.migration_plan import migration_plan
from steerco.pack.summary import executive_summary, timeline
from steerco.rules.derived import agenda_rows
from steerco.rules.findings import Finding
from steerco.rules.frame import Frame
from steerco.rules.relations import RuleError, parse_all

Builder = Callable[[Pack], Section | None]


def build_document(frame: Frame, findings: list[Finding], audience: Audience) -> Document:
    pack = Pack(frame, findings, audience)
    meeting = pack.meeting
    title = meeting.title or f"{meeting.body} #{meeting.number or meeting.code}"
    # A meeting still open has no cut-off: its pack is a draft of the live registers, said
    # so on every page.
    draft = meeting.cutoff is None
    as_of = timezone.localtime() if draft else meeting.cutoff
    document = Document(
        title=title,
        subtitle=meeting.date.strftime("%d %B %Y"),
        programme=frame.programme.name,
        meeting=pack.code,
        cutoff=f"{as_of:%d %b %Y %H:%M %Z}" + (" (DRAFT: not frozen)" if draft else ""),
        classification=str(audience.classification.label),
        edition=f"DRAFT {audience.title}" if draft else audience.title,
        metadata_date=(meeting.date.year, meeting.date.month, meeting.date.day),
        cover=cover(pack),
        logo=pictures.logo(frame.programme),
    )
    for section in sections(pack):
        document.sections.append(section)
    return document


def sections(pack: Pack) -> Iterator[Section]:
    """Every section in the seed's order, or only those the meeting's body lists (by
    anchor: ``agenda``, ``minutes-and-actions``…), in the seed's order; the PMO's findings
    appendix whatever the body lists."""
    wanted = body_sections(pack.frame, pack.meeting.body)
    for builder in SECTIONS:
        section = builder(pack)
        kept = not wanted or section is None or section.anchor in wanted
        if section is not None and (kept or builder is findings_appendix):
            _tidy(section)
            if not _holds_anything(section):
                section.add(Text(pack.none("records of this section"), tone="note"))
            yield section


def body_sections(frame: Frame, body: str) -> set[str]:
    """The section anchors a body's packs hold; empty: every section."""
    for row in frame.rows("bodies"):
        if row["code"] == body:
            return {str(anchor) for anchor in row.get("sections") or ()}
    return set()


def _tidy(section: Section) -> None:
    section.blocks = empty.tidy(section.blocks)
    for child in section.children:
        _tidy(child)


def _holds_anything(section: Section) -> bool:
    return bool(section.blocks) or any(_holds_anything(child) for child in section.children)


def _as_of(frame: Frame) -> str:
    if frame.as_of is None:
        return (
            f"DRAFT: the live registers at {timezone.localtime():%d %b %Y %H:%M %Z}; the "
            "meeting is not frozen, so any edit changes this pack"
        )
    return f"the registers frozen at the cut-off, {frame.as_of:%d %b %Y %H:%M %Z}"


def cover(pack: Pack) -> list[Any]:
    frame = pack.frame
    previous = pack.previous or "none (first meeting)"
    return [
        Facts(
            (
                ("Programme", frame.programme.name),
                ("Edition", f"{pack.audience.title}, for {pack.audience.readers}"),
                ("Classification", str(pack.audience.classification.label)),
                ("Meeting", f"{pack.code}, {pack.meeting.date:%A %d %B %Y}"),
                ("Data as of", _as_of(frame)),
                ("Compared with", f"{previous} (previous RAGs, score movements, counts)"),
            )
        ),
        Text(
            "Every table is built from the registers as they stood at the cut-off; columns marked "
            "(derived) are computed by steerco, and a value that is not known reads 'unknown'. "
            "RAG and status badges always carry their label, so the pack reads in greyscale.",
            tone="note",
        ),
    ]


# -- agenda, minutes, sponsor ----------------------------------------------------------------


def agenda(pack: Pack) -> Section | None:
    rows = agenda_rows(pack.frame, pack.code)
    if not rows:
        return None
    section = Section("Agenda", "agenda")
    body = []
    for item in rows:
        slot: CellValue = cells.UNKNOWN
        if item["slot_start"] and item["slot_end"]:
            slot = f"{item['slot_start']:%H:%M}–{item['slot_end']:%H:%M}"
        stated = ""
        if item["stated_start"] and item["stated_end"]:
            stated = f"{str(item['stated_start'])[:5]}–{str(item['stated_end'])[:5]}"
        body.append(
            (
                str(item["number"]),
                item["title"],
                cells.text(item["objective"]) if item["objective"] else "—",
                (item["type"] or "—").capitalize(),
                cells.text(item["lead"]),
                slot,
                f"{item['duration_minutes']} mins" if item["duration_minutes"] else cells.UNKNOWN,
                stated or "—",
                cells.UNKNOWN if item["page"] is None else str(item["page"]),
            )
        )
    columns = (
        Column("#", align="right"),
        Column("Item", 2),
        Column("Objective", 4),
        Column("Type"),
        Column("Lead", 2),
        Column("Slot (derived)"),
        Column("Time"),
        Column("Slot as printed"),
        Column("Page", align="right"),
    )
    note = (
        "Slots are derived from the meeting's start time and each item's duration. "
        "Page: where the item starts in the pack as its agenda states it."
    )
    return section.add(Table(columns, tuple(body), note=note))


def minutes_and_actions(pack: Pack) -> Section:
    section = Section("Minutes and Actions", "minutes-and-actions")
    pack.story(section, "minutes-and-actions")
    log = section.sub("Action log", "action-log")
    body = []
    for action in pack.rows("actions"):
        updates = action["updates"]
        latest = updates[-1]["text"] if updates else ""
        due: CellValue = action["due_text"] or cells.date(action["due_date"], "%d/%m/%Y")
        body.append(
            (
                cells.code(action["ref"]),
                action["text"],
                cells.text(action["owners"]),
                due,
                cells.badge(action["status"], "action"),
                cells.text(latest),
            )
        )
    columns = (
        Column("Ref"),
        Column("Action", 4),
        Column("Owner", 2),
        Column("Due"),
        Column("Status"),
        Column("Latest update", 4),
    )
    if body:
        log.add(Table(columns, tuple(body)))
    else:
        log.add(Text(pack.none("actions"), tone="note"))
    return section


def sponsor_update(pack: Pack) -> Section | None:
    section = Section("Sponsor Update", "sponsor-update")
    return section if pack.story(section, "sponsor-update") is not None else None


# -- programme reporting -----------------------------------------------------------------------


def programme_reporting(pack: Pack) -> Section:
    section = Section("Programme Reporting", "programme-reporting")
    found = pack.dashboard("milestones")
    tables: dict[str, list[MilestoneView]] = {}
    for milestone in found.milestones:
        tables.setdefault(milestone.reporting_table or "Other milestones", []).append(milestone)
    before = found.previous or "previous meeting"
    day = f"{found.today.day} {found.today:%b %Y}"
    chart = timeline(found, f"Today {day}" if pack.frame.as_of is None else f"Cut-off {day}")
    if chart is not None:
        section.add(chart)
    for index, (name, members) in enumerate(tables.items(), start=1):
        sub = section.sub(name, f"milestones-{index}")
        sub.add(
            Table(MILESTONE_COLUMNS(before), tuple(_milestone(m) for m in members), size="small")
        )
    if not found.milestones:
        section.add(Text(pack.none("milestones"), tone="note"))
    section.add(
        Text(
            f"Previous RAG is the milestone's RAG at {before}'s cut-off, read from its history. "
            "Slip is in working days (England & Wales calendar); the suggested RAG is what "
            "the programme's tolerances give for that slip, shown beside the reported one. "
            f"RAG key: {RAG_KEY}.",
            tone="note",
        )
    )
    return section


# What Blue and Grey say, in the words of core/choices (the other RAGs say it in their name).
RAG_KEY = "; ".join(f"{RAG(value).label}: {note}" for value, note in RAG_NOTES.items())


def MILESTONE_COLUMNS(before: str) -> tuple[Column, ...]:
    return (
        Column("Tier"),
        Column("Milestone ID"),
        Column("Milestone title", 5),
        Column("Baseline"),
        Column("Forecast"),
        Column("Slip (wd, derived)", 1, "right"),
        Column(f"Previous RAG ({before}, derived)", 1.3),
        Column("Current RAG", 1),
        Column("Forecast RAG", 1),
        Column("Suggested RAG (derived)", 1.3),
        Column("Commentary", 5),
    )


def _milestone(m: MilestoneView) -> tuple[CellValue, ...]:
    return (
        cells.text(m.tier),
        cells.code(m.code),
        m.title,
        cells.short_date(m.baseline),
        cells.short_date(m.forecast),
        cells.UNKNOWN if m.slip is None else f"{m.slip:+d}" if m.slip else "0",
        cells.badge(m.previous_rag),
        cells.badge(m.rag),
        cells.badge(m.forecast_rag),
        cells.badge(m.suggested_rag),
        m.commentary or "—",
    )


# -- SIT update --------------------------------------------------------------------------------


def sit_update(pack: Pack) -> Section:
    section = Section("SIT Update", "sit-update")
    pack.story(section, "sit-update")
    found = pack.dashboard("sit-status")
    if found.areas:
        sub = section.sub("SIT Readiness", "sit-readiness")
        body = tuple(
            (a["area"], cells.badge(a["rag"]), cells.markdown(a["comment"])) for a in found.areas
        )
        sub.add(Table((Column("Test area"), Column("Status"), Column("Comment", 8)), body))
    if found.readiness:
        sub = section.sub("Core Capability Providers", "core-capability-providers")
        sub.add(dash.provider_table(found.readiness))
    participation(section, found.roles)
    pack.story(section, "readiness-reporting-scheme", heading=True)
    for timetable in pack.rows("timetables"):
        timetable_section(pack, section, timetable)
    decision_choreography(pack, section)
    return section


def participation(section: Section, roles: tuple[Role, ...]) -> None:
    if not roles:
        return
    sub = section.sub("SIT participants against the minimum viable cohort", "sit-mvc")
    columns = (
        Column("Constituency", 2),
        Column("PPs confirmed for SIT", align="right"),
        Column("Market role", 2),
        Column("Required for MVC", align="right"),
        Column("Confirmed for SIT", align="right"),
        Column("Against MVC (derived)"),
        Column("Participants (status)", 5),
    )
    sub.add(Table(columns, tuple(_role_row(role) for role in roles), size="small"))
    sub.add(
        Text(
            "A participant's SIT status (confirmed / to be confirmed) is shown beside its "
            "name; the seed marked it by text colour, so where that was lost it reads unknown. "
            "Against MVC compares the stated count confirmed for SIT with the number required.",
            tone="note",
        )
    )


def _role_row(role: Role) -> tuple[CellValue, ...]:
    verdict: CellValue = (
        Badge(role.verdict, RAG.colour(role.verdict_rag))
        if role.verdict_rag
        else cells.UNKNOWN
        if role.verdict == UNKNOWN
        else role.verdict
    )
    names = "; ".join(f"{p.name} ({p.status})" for p in role.participants)
    return (
        role.constituency if role.first else "",
        cells.number(role.constituency_confirmed) if role.first else "",
        role.name,
        _shown(role.required_shown),
        _shown(role.confirmed_shown),
        verdict,
        names or "—",
    )


def _shown(text: str) -> CellValue:
    return cells.UNKNOWN if text == UNKNOWN else text


def timetable_section(pack: Pack, section: Section, timetable: Row) -> None:
    sub = section.sub(timetable["title"], f"timetable-{timetable['code']}")
    intervals = {i["order"]: i["name"] for i in timetable["intervals"]}
    names = {a["key"]: a["name"] for a in timetable["activities"]}
    broken = {f.record for f in pack.findings if f.rule == "schedule-relation"}
    body = []
    for activity in timetable["activities"]:
        by_interval = {c["interval"]: c for c in activity["cells"]}
        row: list[CellValue] = [
            activity["name"],
            activity["rule_text"] or "—",
            _rules_text(activity, names),
        ]
        for order, name in intervals.items():
            cell = by_interval.get(order)
            value = cells.stated_or_date(cell["stated"], cell["date"]) if cell else cells.UNKNOWN
            if f"{timetable['title']}: {activity['name']} / {name}" in broken:
                value = Stack((value, Badge("breaks its rule", MAGENTA)))
            row.append(value)
        body.append(tuple(row))
    columns = (
        Column("Activity / milestone", 3),
        Column("Notes", 3),
        Column("Rule (as data)", 3),
        *(Column(name, 1) for name in intervals.values()),
    )
    sub.add(Table(columns, tuple(body), size="small"))
    if timetable["notes"]:
        sub.add(Markdown(timetable["notes"]))


def _rules_text(activity: Row, names: dict[str, str]) -> CellValue:
    try:
        relations = parse_all(activity["rules"])
    except RuleError as error:
        return f"invalid rule: {error}"
    lines = []
    for relation in relations:
        if relation.milestones:
            base = ", ".join(f"{k}: {v}" for k, v in sorted(relation.milestones.items()))
            lines.append(relation.describe("date", f"milestone ({base})"))
        else:
            lines.append(relation.describe("date", names.get(relation.of, relation.of)))
        if relation.intervals:
            lines[-1] += f" (intervals {', '.join(map(str, relation.intervals))})"
    return Derived("; ".join(lines)) if lines else "—"


def decision_choreography(pack: Pack, section: Section) -> None:
    gates = pack.rows("gates")
    if not gates and "decision-choreography" not in pack.narrative:
        return
    sub = section.sub("Decision Choreography and High-Level Criteria", "decision-choreography")
    milestones = pack.rows("milestones")
    svg = choreography(milestones, gates)
    if svg:
        sub.add(
            Diagram(
                "Decision choreography",
                svg,
                caption="Milestones (boxes, with their RAG) and the criteria of each gate; "
                "arrows run from a predecessor or a criterion's target to what it gates.",
            )
        )
    for gate in gates:
        sub.add(*gate_blocks(gate))
    pack.story(sub, "decision-choreography", heading=False)


def gate_blocks(gate: Row) -> list[Any]:
    state = gate_state(gate)
    stated = gate["stated_ready"]
    ready = (
        Badge("Ready", RAG.colour("green"))
        if state.ready
        else Badge("Not ready", RAG.colour("red"))
    )
    title = Heading(f"Gate: {gate['title']} ({gate['governing_body'] or 'body unknown'})")
    facts = Facts(
        (
            (
                "Ready (derived)",
                Stack(
                    (ready, f"{state.met} of {state.total} criteria met, {state.unknown} unknown")
                ),
            ),
            ("Ready as stated", cells.UNKNOWN if stated is None else ("yes" if stated else "no")),
        )
    )
    body = tuple(
        (
            str(c["order"]),
            c["group"] or "—",
            c["text"],
            (c["kind"] or "—").capitalize(),
            cells.code(c["target_code"]) if c["target_code"] else "—",
            cells.badge(c["state"], "criterion"),
        )
        for c in gate["criteria"]
    )
    columns = (
        Column("#", align="right"),
        Column("Group"),
        Column("Criterion", 6),
        Column("Kind"),
        Column("Target"),
        Column("State"),
    )
    blocks: list[Any] = [title, facts, Table(columns, body, size="small")]
    if gate["note"]:
        blocks.append(Text(gate["note"], tone="note"))
    return blocks


# -- qualification, control point, working groups ------------------------------------------


QUALIFICATION_SLUGS = (
    "qualification-overview",
    "qualification-considerations",
    "qualification-high-level-overview",
    "qualification-approach-and-plan",
    "qualification-assessment-document",
    "placing-reliance-policy",
    "qualification-risks-and-dependencies",
)


def qualification(pack: Pack) -> Section | None:
    section = Section("Qualification Testing", "qualification-testing")
    found = pack.story(section, "qualification-testing") is not None
    for slug in QUALIFICATION_SLUGS:
        sub = pack.story(section, slug, heading=True)
        found = found or sub is not None
        # Tables go inside the narrative they belong to, or under a heading of their own.
        if slug == "qualification-overview":
            found = (
                dash.qualification_routes(
                    pack, sub or section.sub("Qualification routes", "qualification-routes")
                )
                or found
            )
        if slug == "qualification-assessment-document":
            found = (
                dash.qad_iterations(pack, sub or section.sub("QAD iterations", "qad-iterations"))
                or found
            )
    found = dash.tranches(pack, section) or found
    found = migration_plan(pack, section) or found
    section.children = [c for c in section.children if c.blocks or c.children]
    return section if found else None


def control_point(pack: Pack) -> Section | None:
    section = Section("Control Point 2", "control-point-2")
    found = pack.story(section, "control-point-2") is not None
    for decision in pack.rows("decisions"):
        sub = section.sub(f"Decision options: {decision['title']}", f"decision-{decision['ref']}")
        body = tuple(
            (o["name"], cells.text(o["meaning"]), cells.text(o["implications"]))
            for o in decision["options"]
        )
        columns = (Column("Decision", 1), Column("Meaning", 3), Column("Implications", 3))
        sub.add(Table(columns, body))
        outcome = decision["outcome"] or "not yet taken"
        sub.add(Facts((("Decided by", cells.text(decision["decided_by"])), ("Outcome", outcome))))
        found = True
    return section if found else None


def working_groups(pack: Pack) -> Section | None:
    section = Section("SASWG Status Update", "saswg-status-update")
    found = pack.story(section, "saswg-status-update") is not None
    found = dash.figure_facts(section, metrics(pack.frame, "saswg")[0]) or found
    return section if found else None


def summary(pack: Pack) -> Section:
    section = Section("Summary and Next Steps", "summary-and-next-steps")
    pack.story(section, "summary-and-next-steps")
    upcoming = later_meetings(pack.frame, pack.code)[:4]
    if upcoming:
        sub = section.sub("Next meetings (from the meetings register)", "next-meetings")
        body = tuple(
            (
                m["code"],
                (m["kind"] or "").capitalize(),
                cells.date(m["date"], "%a %d %b %Y"),
                cells.text(str(m["start_time"])[:5] if m["start_time"] else ""),
                cells.text(m["location"]),
                "; ".join(a["title"] for a in m["agenda_items"]) or "—",
            )
            for m in upcoming
        )
        columns = (
            Column("Meeting"),
            Column("Kind"),
            Column("Date"),
            Column("Start"),
            Column("Where"),
            Column("Agenda items known", 4),
        )
        sub.add(Table(columns, body))
    return section


def findings_appendix(pack: Pack) -> Section | None:
    if not pack.audience.findings:
        return None  # the PMO's edition only: findings speak of every record
    section = Section("Appendix: Findings", "appendix-findings")
    findings = pack.findings
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    section.add(
        Text(
            f"steerco's checker found {len(findings)} broken rules in the registers as of "
            f"{pack.code}'s cut-off: {counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['info']} for information. Each names the record, the rule, what was "
            "expected and what was found.",
        )
    )
    # A finding's severity is not a RAG: the non-RAG palette, strongest first.
    colours = {"error": MAGENTA, "warning": BROWN, "info": PALE}
    body = tuple(
        (
            Badge(f.severity.capitalize(), colours.get(f.severity, PALE)),
            cells.code(f.rule),
            f.record,
            f.expected,
            f.found,
            f.message,
        )
        for f in findings
    )
    columns = (
        Column("Severity"),
        Column("Rule"),
        Column("Record", 3),
        Column("Expected", 3),
        Column("Found", 2),
        Column("Message", 4),
    )
    if body:
        section.add(Table(columns, body, size="small"))
    return section


SECTIONS: tuple[Builder, ...] = (
    agenda,
    executive_summary,
    minutes_and_actions,
    sponsor_update,
    programme_reporting,
    sit_update,
    qualification,
    control_point,
    working_groups,
    dash.delivery_dashboards,
    summary,
    findings_appendix,
)
