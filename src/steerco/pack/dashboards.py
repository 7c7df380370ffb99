"""The pack's Delivery Dashboards section, in the seed pack's order: risk themes, change
control, SIT status, core providers' delivery reports, LDSO status, central-party finances,
workstreams, code drafting, FTIG, advisory groups, PPC activity, industry change (horizon
scanning) and independent assurance. Each renders whole what its computation in
``steerco.dashboards`` found (the web pages render a page of the same)."""

from __future__ import annotations

from typing import Any

from steerco import charts
from steerco.core.choices import Band
from steerco.core.colours import MAGENTA
from steerco.dashboards.activity import Breakdown, Figure
from steerco.dashboards.basis import Status
from steerco.pack import cells
from steerco.pack.context import Pack
from steerco.pack.document import (
    UNKNOWN_TEXT,
    Badge,
    CellValue,
    Chart,
    ChartData,
    Column,
    Derived,
    Facts,
    Heading,
    Markdown,
    Section,
    Stack,
    Svg,
    Table,
    Text,
    Unknown,
)
from steerco.pack.reports import delivery_reports


def delivery_dashboards(pack: Pack) -> Section:
    section = Section("Delivery Dashboards", "delivery-dashboards")
    pack.story(section, "delivery-dashboards-overview")
    risk_themes(pack, section)
    change_control(pack, section)
    sit_status(pack, section)
    delivery_reports(pack, section, "core-providers")
    delivery_reports(pack, section, "ldso-status")
    finances(pack, section)
    workstreams(pack, section)
    code_drafting(pack, section)
    for slug in ("ftig-sit-outlook", "advisory-groups", "participant-communications"):
        narrative(pack, section, slug)
    industry_change(pack, section)
    assurance(pack, section)
    return section


def status_badge(status: Status | None) -> Badge | Any:
    return cells.UNKNOWN if status is None else Badge(status.label, status.colour)


# -- risk themes ----------------------------------------------------------------------------


def risk_themes(pack: Pack, section: Section) -> None:
    found = pack.dashboard("risk-themes")
    if not found.themes:
        return
    sub = section.sub("Risk Themes", "risk-themes", new_page=True)
    bands = _score_bands(pack)
    before = found.previous or "the previous meeting"
    for index, theme in enumerate(found.themes):
        sub.add(*theme_blocks(theme, bands, before, new_page=index > 0))
    sub.add(
        Text(
            "Scores run from 30 (critical) to 1 (low): I = initial, C = current, T = target. "
            f"Movement is derived from each risk's current score at {before}'s cut-off; "
            "where the pack printed something else, that is shown below it.",
            tone="note",
        )
    )


def _score_bands(pack: Pack) -> list[charts.ScoreBand]:
    cutoffs = pack.frame.config.band_cutoffs
    if cutoffs is None:
        return []
    return [
        charts.ScoreBand("Critical", cutoffs.critical, 30, Band.colour("critical")),
        charts.ScoreBand("High", cutoffs.high, cutoffs.critical - 1, Band.colour("high")),
        charts.ScoreBand("Medium", cutoffs.medium, cutoffs.high - 1, Band.colour("medium")),
        charts.ScoreBand("Low", 1, cutoffs.medium - 1, Band.colour("low")),
    ]


def theme_blocks(
    theme: Any, bands: list[charts.ScoreBand], before: str, *, new_page: bool
) -> list[Any]:
    count = theme.previous_item_count
    facts = Facts(
        (
            ("Summary", cells.markdown(theme.summary)),
            ("Mitigation approach", cells.markdown(theme.mitigation_overview)),
            (
                f"Previous RAG ({before}, derived)",
                cells.with_note(
                    cells.badge(theme.previous_rag),
                    f"{count} {theme.noun}" if count is not None else "",
                ),
            ),
            (
                "Current RAG",
                cells.with_note(
                    cells.badge(theme.rag), f"{cells.number(theme.stated_item_count)} {theme.noun}"
                ),
            ),
            ("Key risks in this pack (derived)", str(theme.key_risks)),
            ("Updated to", cells.date(theme.updated_to)),
        )
    )
    blocks: list[Any] = [
        Heading(f"Risk theme {theme.number}: {theme.title}", new_page=new_page),
        facts,
    ]
    if theme.risks:
        columns = (
            Column("Risk ID"),
            Column("Risk description", 4),
            Column("Score: initial / current / target"),
            Column("Movement since last PSG (derived)", 2),
            Column("Mitigation plan", 5),
        )
        rows = tuple(_risk_row(risk, bands) for risk in theme.risks)
        blocks.append(Table(columns, rows, size="small"))
    return blocks


def _risk_row(risk: Any, bands: list[charts.ScoreBand]) -> tuple[CellValue, ...]:
    strip = _score_strip(risk, bands)
    movement: CellValue = Derived(risk.movement)
    if risk.stated_movement and risk.stated_movement != risk.movement:
        movement = Stack((movement, f"pack states: {risk.stated_movement}"))
    steps = "\n".join(f"{i}. {text}" for i, text in enumerate(risk.mitigations, 1))
    return (
        cells.code(risk.ref),
        risk.description,
        strip,
        movement,
        Markdown(steps) if steps else cells.UNKNOWN,
    )


SCORES = ("initial", "current", "target")


def _score_strip(risk: Any, bands: list[charts.ScoreBand]) -> CellValue:
    """The risk's scores on the 30-to-1 scale; with no score known, a line that says so
    (an empty scale says nothing)."""
    scores = tuple(getattr(risk, name) for name in SCORES)
    if all(score is None for score in scores):
        return Unknown("no score known (initial, current or target)")
    markers = tuple((name[0].upper(), score) for name, score in zip(SCORES, scores, strict=True))
    alt = "Scores: " + ", ".join(
        f"{name} {UNKNOWN_TEXT if score is None else score}"
        for name, score in zip(SCORES, scores, strict=True)
    )
    return Svg(charts.score_strip(markers, bands=bands, width=240), width=170, alt=alt)


# -- change control, SIT status --------------------------------------------------------------


def change_control(pack: Pack, section: Section) -> None:
    found = pack.dashboard("change-control")
    if not found.changes:
        return
    sub = section.sub("Change Control", "change-control")
    if found.updated_to:
        sub.add(
            Text(
                f"Change requests updated to {cells.date(found.updated_to, '%d/%m/%Y')}.",
                tone="note",
            )
        )
    body = tuple(
        (
            cells.code(c["ref"]),
            c["title"],
            cells.text(c["raisers"]),
            cells.text(c["change_type"]),
            cells.text(c["latest_action"]),
            cells.text(c["approval_status"]),
            cells.text(c["stage"]),
            c["action_if_approved"] or "—",
            c["implementation"] or "—",
            cells.text(c["change_owner"]),
        )
        for c in found.changes
    )
    columns = (
        Column("Ref."),
        Column("Key detail", 3),
        Column("Change raiser(s)", 2),
        Column("Change type", 1),
        Column("Latest action", 2),
        Column("Approval status"),
        Column("Current stage", 2),
        Column("Action if approved", 2),
        Column("Implementation"),
        Column("Change owner(s)", 2),
    )
    sub.add(Table(columns, body, size="small"))


def provider_table(providers: Any) -> Table:
    body = tuple(
        (p["stated_name"], cells.badge(p["rag"]), cells.markdown(p["comment"])) for p in providers
    )
    columns = (Column("Core capability provider", 2), Column("Status"), Column("Comment", 8))
    return Table(columns, body)


def sit_status(pack: Pack, section: Section) -> None:
    found = pack.dashboard("sit-status")
    if not found.providers:
        return
    sub = section.sub("SIT Status", "sit-status")
    if found.updated_to:
        sub.add(Text(f"Updated to {cells.date(found.updated_to, '%d/%m/%Y')}.", tone="note"))
    sub.add(provider_table(found.providers))
    sub.add(
        Text(
            "Constituencies and market roles against the minimum viable cohort are "
            "tabled under SIT Update.",
            tone="note",
        )
    )


# -- finances ---------------------------------------------------------------------------------


def finances(pack: Pack, section: Section) -> None:
    found = pack.dashboard("finances")
    if not found.rows:
        return
    sub = section.sub("Central Party Finances", "central-party-finances", new_page=True)
    labels = [f"{m:%b-%y}" for m in found.months]
    body: list[tuple[CellValue, ...]] = []
    for row in found.rows:
        derived: CellValue = cells.UNKNOWN
        if row.derived_total is not None:
            derived = Derived(f"{row.derived_total:,.2f}")
            if row.mismatch:
                derived = Stack((derived, Badge("≠ as printed", MAGENTA)))
        body.append(
            (
                row.label,
                *(c.text if c else cells.UNKNOWN for c in row.cells),
                row.stated_total.text if row.stated_total else cells.UNKNOWN,
                derived,
            )
        )
    for sums in found.sums:
        body.append(
            (
                Derived(f"Sum of parties' {sums.label} (derived)"),
                *(_month_sum(s) for s in sums.months),
                "—",
                Derived(f"{sums.grand:,.2f}") if sums.grand is not None else cells.UNKNOWN,
            )
        )
    columns = (
        Column("Financial measure (£m)", 3),
        *(Column(x, 1, "right") for x in labels),
        Column("Total as printed", 1, "right"),
        Column("Total (derived)", 1, "right"),
    )
    sub.add(Table(columns, tuple(body), size="small"))
    for note in found.notes:
        sub.add(Text(note, tone="note"))
    for party, series in found.by_month:
        title = f"{party}: budget vs actual/forecast by month (£m)"
        svg = charts.grouped_bar_chart(title, labels, series, width=720, height=220, unit="")
        sub.add(Chart(title, svg, width=0.8, data=ChartData.grouped(labels, series)))


def _month_sum(value: Any) -> CellValue:
    if value.total is None:
        return cells.UNKNOWN
    text = f"{value.total:,.2f}"
    return Derived(f"{text} ({value.unknown} unknown)" if value.unknown else text)


# -- workstreams, code drafting ---------------------------------------------------------------


def workstreams(pack: Pack, section: Section) -> None:
    found = pack.dashboard("workstreams")
    if not found.updates:
        return
    sub = section.sub("SI Workstream Update", "workstreams")
    body = []
    for row in found.updates:
        steps = "\n".join(
            f"- {s['what']} — {s['owner'] or 'owner unknown'}, {s['by_when'] or 'date unknown'}"
            for s in row["next_steps"]
        )
        body.append(
            (row["workstream"], cells.markdown(row["progress"]), Markdown(steps) if steps else "—")
        )
    columns = (
        Column("Workstream"),
        Column("Progress", 5),
        Column("Next steps (what, owner, by when)", 4),
    )
    sub.add(Table(columns, tuple(body), size="small"))
    for _, figures in found.figures:
        figure_facts(sub, figures)


def code_drafting(pack: Pack, section: Section) -> None:
    found = pack.dashboard("code-drafting")
    if not (found.milestones or found.risks or found.sections):
        return
    sub = section.sub("Code Drafting Status", "code-drafting")
    for story in found.sections:
        sub.add(Markdown(story["body"]))
    if found.milestones:
        body = tuple(
            (t.name, t.target, t.forecast, status_badge(t.status)) for t in found.milestones
        )
        columns = (
            Column("Drafting milestone", 4),
            Column("Target date"),
            Column("Forecast date"),
            Column("Status"),
        )
        sub.add(Table(columns, body, size="small"))
    if found.risks:
        risk_rows = tuple(
            (
                cells.code(r["ref"]),
                r["description"],
                cells.text(r["impact"]),
                cells.badge(r["stated_band"], "band"),
                Markdown("\n".join(f"{i}. {m['text']}" for i, m in enumerate(r["mitigations"], 1)))
                if r["mitigations"]
                else cells.UNKNOWN,
            )
            for r in found.risks
        )
        risk_columns = (
            Column("Risk/Issue ID"),
            Column("Risk description", 3),
            Column("Risk impact", 2),
            Column("Band"),
            Column("Mitigation", 4),
        )
        sub.add(Table(risk_columns, risk_rows, size="small"))
        title = "CCAG related risks by band (derived count)"
        svg = charts.bar_chart(title, found.bands, width=520)
        sub.add(Chart(title, svg, width=0.6, data=ChartData.bars(found.bands, "Risks")))


# -- narrative, PPC, horizon scanning, assurance ----------------------------------------------


def figure_facts(section: Section, figures: tuple[Figure, ...]) -> bool:
    if not figures:
        return False
    section.add(Facts(tuple((f.label, _figure_value(f)) for f in figures)))
    return True


def _figure_value(figure: Figure) -> CellValue:
    value = cells.UNKNOWN if figure.value is None else figure.text
    if figure.printed_differently:
        return Stack((value, f"(printed “{figure.stated}”)"))
    return value


def narrative(pack: Pack, section: Section, slug: str) -> None:
    found = pack.dashboard(slug)
    if not found.sections:
        return
    if slug == "advisory-groups":
        sub = section.sub("Level 3 Advisory Group Updates", "advisory-groups")
    else:
        first = found.sections[0]
        sub = section.sub(first["title"], first["slug"])
    for story in found.sections:
        sub.add(Markdown(story["body"]))
    figure_facts(sub, found.figures)
    for round_ in found.rounds:
        readiness_round(sub, round_)


def readiness_round(section: Section, round_: Any) -> None:
    sub = section.sub(round_["title"] or round_["code"], f"readiness-{round_['code']}")
    sub.add(
        Facts(
            (
                ("Responses open", cells.date(round_["opens"])),
                ("Responses close", cells.date(round_["closes"])),
                (
                    "Deep dives",
                    f"{cells.date(round_['deep_dives_from'])} – "
                    f"{cells.date(round_['deep_dives_to'])}",
                ),
            )
        )
    )
    if round_["notes"]:
        sub.add(Markdown(round_["notes"]))


def industry_change(pack: Pack, section: Section) -> None:
    found = pack.dashboard("industry-change")
    if not (found.sections or found.breakdowns or found.items):
        return
    sub = section.sub("Industry Change: Horizon Scanning", "industry-change")
    for group in found.breakdowns:
        sub.add(breakdown_chart(group))
    figure_facts(sub, found.figures)
    if found.items:
        body = tuple(
            (
                cells.code(i["code"]),
                cells.text(i["title"]),
                cells.text(i["criticality"]),
                ", ".join(i["linked_raid"]) or "—",
            )
            for i in found.items
        )
        columns = (
            Column("Change"),
            Column("Title", 3),
            Column("Criticality"),
            Column("Linked RAID items", 4),
        )
        sub.add(Table(columns, body, caption="Top RAID-linked items", size="small"))
    for story in found.sections:
        sub.add(Markdown(story["body"]))


def breakdown_chart(group: Breakdown) -> Chart:
    stated = "unknown" if group.stated_total is None else f"{group.stated_total:,.0f}"
    caption = f"Sum of the bars (derived): {group.known_sum:,.0f}; total as printed: {stated}."
    svg = charts.bar_chart(group.title, group.bars, width=560)
    data = ChartData.bars(group.bars, group.title)
    return Chart(group.title, svg, width=0.7, caption=caption, data=data)


def assurance(pack: Pack, section: Section) -> None:
    found = pack.dashboard("assurance")
    if not (found.sections or found.stages or found.breakdowns):
        return
    sub = section.sub("Independent Programme Assurance (IPA)", "assurance")
    if found.stages:
        body = tuple(
            (
                a.stage,
                cells.text(a.work_package),
                a.title,
                status_badge(a.status),
                cells.markdown(a.text),
            )
            for _, activities in found.stages
            for a in activities
        )
        columns = (
            Column("Stage", 2),
            Column("Work package"),
            Column("Activity", 3),
            Column("Status"),
            Column("Update", 5),
        )
        sub.add(Table(columns, body, size="small"))
    for group in found.breakdowns:
        sub.add(breakdown_chart(group))
    for story in found.sections:
        sub.add(Markdown(story["body"]))


# -- qualification tables (used by the Qualification Testing section) ------------------------


def qualification_routes(pack: Pack, section: Section) -> bool:
    routes = pack.rows("qualification-routes")
    if not routes:
        return False
    width = max(len(r["steps"]) for r in routes)
    body = tuple(
        (
            r["route"],
            cells.text(r["entry_requirements"]),
            *(r["steps"][i] if i < len(r["steps"]) else "—" for i in range(width)),
        )
        for r in routes
    )
    columns = (
        Column("Route", 2),
        Column("Entry requirements", 3),
        *(Column(f"MHHS Qualification step {i + 1}", 3) for i in range(width)),
    )
    section.add(Table(columns, body, caption="Qualification routes", size="small"))
    return True


def qad_iterations(pack: Pack, section: Section) -> bool:
    rows = pack.rows("qad-iterations")
    if not rows:
        return False
    body = tuple(
        (
            r["iteration"],
            cells.text(r["programme_dependencies"]),
            cells.text(r["expected_dependency_stated"]),
            cells.text(r["expected_approval_stated"]),
            cells.text(r["expected_issue_stated"]),
        )
        for r in rows
    )
    columns = (
        Column("Iteration"),
        Column("Programme dependencies", 3),
        Column("Expected dependency date"),
        Column("Expected approval (TMAG and PABs)"),
        Column("Expected QAD issue date"),
    )
    section.add(Table(columns, body, caption="Qualification Assessment Document iterations"))
    return True


def tranches(pack: Pack, section: Section) -> bool:
    rows = pack.rows("tranches")
    if not rows:
        return False
    body = tuple(tuple(cells.text(v) for k, v in r.items() if k != "classification") for r in rows)
    keys = [k for k in rows[0] if k != "classification"]
    columns = tuple(Column(k.replace("_", " ").capitalize()) for k in keys)
    section.sub("Qualification tranches", "tranches").add(Table(columns, body, size="small"))
    return True
