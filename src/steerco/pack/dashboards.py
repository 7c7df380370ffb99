"""The pack's Delivery Dashboards section and the tables it shares with earlier sections,
in the seed pack's order: risk themes, change control, SIT status, core providers' delivery
reports, LDSO status, central-party finances, workstreams, code drafting, FTIG, advisory
groups, PPC activity, industry change (horizon scanning) and independent assurance."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from steerco import charts
from steerco.core.choices import RAG, Band
from steerco.io.exporter import Row
from steerco.pack import cells
from steerco.pack.derive import band_counts, finance_sums, metric_groups
from steerco.pack.document import (
    Badge,
    CellValue,
    Chart,
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
)
from steerco.pack.reports import delivery_reports
from steerco.rules.derived import finance_table, raid_rows, theme_rows

if TYPE_CHECKING:
    from steerco.pack.builder import Pack


def delivery_dashboards(pack: Pack) -> Section:
    section = Section("Delivery Dashboards", "delivery-dashboards")
    pack.story(section, "delivery-dashboards-overview")
    risk_themes(pack, section)
    change_control(pack, section)
    sit_status(pack, section)
    delivery_reports(pack, section, "core provider", "Core Capability Provider Delivery Plans")
    delivery_reports(pack, section, "LDSO", "LDSO Status")
    finances(pack, section)
    workstreams(pack, section)
    code_drafting(pack, section)
    _story_sub(pack, section, "ftig-and-sit-outlook")
    advisory = section.sub("Level 3 Advisory Group Updates", "advisory-groups")
    if pack.story(advisory, "governance-group-updates", "wider-programme-updates") is None:
        section.children.remove(advisory)
    ppc = _story_sub(pack, section, "ppc-activity")
    if ppc is not None:
        metric_facts(pack, ppc, "ppc")
        readiness_rounds(pack, ppc)
    industry_change(pack, section)
    assurance(pack, section)
    return section


def _story_sub(pack: Pack, section: Section, slug: str) -> Section | None:
    row = pack.narrative.get(slug)
    if row is None:
        return None
    return section.sub(row["title"], slug).add(Markdown(row["body"]))


# -- risk themes ----------------------------------------------------------------------------


def risk_themes(pack: Pack, section: Section) -> None:
    themes = theme_rows(pack.frame)
    if not themes:
        return
    sub = section.sub("Risk Themes", "risk-themes", new_page=True)
    items = raid_rows(pack.frame)
    bands = _score_bands(pack)
    before = pack.previous or "the previous meeting"
    for index, theme in enumerate(themes):
        sub.add(*theme_blocks(theme, items, bands, before, new_page=index > 0))
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
    theme: Row, items: list[Row], bands: list[charts.ScoreBand], before: str, *, new_page: bool
) -> list[Any]:
    noun = theme["stated_item_noun"] or "items"
    previous = cells.badge(theme["previous_rag"])
    count = theme["previous_item_count"]
    facts = Facts(
        (
            ("Summary", cells.markdown(theme["summary"])),
            ("Mitigation approach", cells.markdown(theme["mitigation_overview"])),
            (
                f"Previous RAG ({before}, derived)",
                cells.with_note(previous, f"{count} {noun}" if count is not None else ""),
            ),
            (
                "Current RAG",
                cells.with_note(
                    cells.badge(theme["rag"]), f"{cells.number(theme['stated_item_count'])} {noun}"
                ),
            ),
            ("Key risks in this pack (derived)", str(theme["key_risks"])),
            ("Updated to", cells.date(theme["updated_to"])),
        )
    )
    rows = [_risk_row(item, bands) for item in items if item["theme"] == theme["number"]]
    blocks: list[Any] = [
        Heading(f"Risk theme {theme['number']}: {theme['title']}", new_page=new_page),
        facts,
    ]
    if rows:
        columns = (
            Column("Risk ID"),
            Column("Risk description", 4),
            Column("Score: initial / current / target"),
            Column("Movement since last PSG (derived)", 2),
            Column("Mitigation plan", 5),
        )
        blocks.append(Table(columns, tuple(rows), size="small"))
    return blocks


def _risk_row(item: Row, bands: list[charts.ScoreBand]) -> tuple[CellValue, ...]:
    markers = (
        ("I", item["initial_score"]),
        ("C", item["current_score"]),
        ("T", item["target_score"]),
    )
    strip = Svg(charts.score_strip(markers, bands=bands, width=240), width=170)
    movement: CellValue = Derived(item["movement"])
    stated = item["stated_movement"]
    if stated and stated != item["movement"]:
        movement = Stack((movement, f"pack states: {stated}"))
    steps = "\n".join(f"{i}. {m['text']}" for i, m in enumerate(item["mitigations"], 1))
    return (
        cells.code(item["ref"]),
        item["description"],
        strip,
        movement,
        Markdown(steps) if steps else cells.UNKNOWN,
    )


# -- change control, SIT status --------------------------------------------------------------


def change_control(pack: Pack, section: Section) -> None:
    changes = pack.rows("changes")
    if not changes:
        return
    sub = section.sub("Change Control", "change-control")
    updated = sorted({str(c["updated_to"]) for c in changes if c["updated_to"]})
    if updated:
        sub.add(
            Text(f"Change requests updated to {cells.date(updated[-1], '%d/%m/%Y')}.", tone="note")
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
        for c in changes
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


def provider_table(providers: list[Row]) -> Table:
    body = tuple(
        (
            p["stated_name"],
            cells.badge(p["rag"]),
            cells.markdown(p["comment"]),
        )
        for p in providers
    )
    columns = (Column("Core capability provider", 2), Column("Status"), Column("Comment", 8))
    return Table(columns, body)


def sit_status(pack: Pack, section: Section) -> None:
    providers = [p for p in pack.rows("provider-statuses") if p["table"] == "sit-status"]
    if not providers:
        return
    sub = section.sub("SIT Status", "sit-status")
    updated = sorted({str(p["updated_to"]) for p in providers if p["updated_to"]})
    if updated:
        sub.add(Text(f"Updated to {cells.date(updated[-1], '%d/%m/%Y')}.", tone="note"))
    sub.add(provider_table(providers))
    sub.add(
        Text(
            "Constituencies and market roles against the minimum viable cohort are "
            "tabled under SIT Update.",
            tone="note",
        )
    )


# -- finances ---------------------------------------------------------------------------------


def finances(pack: Pack, section: Section) -> None:
    table = finance_table(pack.frame)
    if not table["rows"]:
        return
    sub = section.sub("Central Party Finances", "central-party-finances", new_page=True)
    months = table["months"]
    headers = [cells.as_date(m) for m in months]
    labels = [f"{d:%b-%y}" if d else "?" for d in headers]
    body: list[tuple[CellValue, ...]] = []
    for row in table["rows"]:
        amounts = [
            cells.amount(c["amount"], c["stated"]) if c else cells.UNKNOWN for c in row["cells"]
        ]
        stated = row["stated_total"]
        derived = row["derived_total"]
        body.append(
            (
                row["row_label"],
                *amounts,
                cells.amount(stated["amount"], stated["stated"]) if stated else cells.UNKNOWN,
                Derived(f"{derived:,.2f}") if derived is not None else cells.UNKNOWN,
            )
        )
    for measure, label in (("budget", "Budget"), ("actual_forecast", "Act/Forecast")):
        sums = finance_sums(pack.frame, measure)
        year = table["rows"][0]["financial_year"]
        per_month = [sums.get((year, m)) for m in months]
        body.append(
            (
                Derived(f"Sum of parties' {label} (derived)"),
                *(_month_sum(s) for s in per_month),
                "—",
                _grand(per_month),
            )
        )
    columns = (
        Column("Financial measure (£m)", 3),
        *(Column(x, 1, "right") for x in labels),
        Column("Total as printed", 1, "right"),
        Column("Total (derived)", 1, "right"),
    )
    sub.add(Table(columns, tuple(body), size="small"))
    for note in pack.rows("finance-notes"):
        sub.add(Text(note["text"], tone="note"))
    for chart in finance_charts(table, labels):
        sub.add(chart)


def _month_sum(value: Any) -> CellValue:
    if value is None or value.total is None:
        return cells.UNKNOWN
    text = f"{value.total:,.2f}"
    return Derived(f"{text} ({value.unknown} unknown)" if value.unknown else text)


def _grand(sums: list[Any]) -> CellValue:
    known = [s.total for s in sums if s is not None and s.total is not None]
    return Derived(f"{sum(known, Decimal(0)):,.2f}") if known else cells.UNKNOWN


def finance_charts(table: dict[str, Any], labels: list[str]) -> list[Chart]:
    """One budget vs actual/forecast chart per party, by month."""
    by_party: dict[str, dict[str, list[float | None]]] = {}
    for row in table["rows"]:
        if row["party"] == "Total":
            continue
        values = [
            None if c is None or c["amount"] is None else float(c["amount"]) for c in row["cells"]
        ]
        by_party.setdefault(row["party"], {})[row["measure"]] = values
    result = []
    for party, measures in by_party.items():
        series = [
            charts.Series("Budget", measures.get("budget", []), "#37474f"),
            charts.Series("Actual/forecast", measures.get("actual_forecast", []), "#1565c0"),
        ]
        title = f"{party}: budget vs actual/forecast by month (£m)"
        svg = charts.grouped_bar_chart(title, labels, series, width=720, height=220, unit="")
        result.append(Chart(title, svg, width=0.8))
    return result


# -- workstreams, code drafting ---------------------------------------------------------------


def workstreams(pack: Pack, section: Section) -> None:
    rows = pack.rows("workstreams")
    if not rows:
        return
    sub = section.sub("SI Workstream Update", "workstreams")
    body = []
    for row in rows:
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
    metric_facts(pack, sub, "design")
    metric_facts(pack, sub, "testing")


def code_drafting(pack: Pack, section: Section) -> None:
    tracker = pack.rows("code-drafting")
    risks = [r for r in raid_rows(pack.frame) if r["log"] == "code-drafting"]
    story = pack.narrative.get("code-drafting-status")
    if not (tracker or risks or story):
        return
    sub = section.sub("Code Drafting Status", "code-drafting")
    if story:
        sub.add(Markdown(story["body"]))
    if tracker:
        body = tuple(
            (
                t["name"],
                cells.stated_or_date(t["target_stated"], t["target_date"]),
                cells.stated_or_date(t["forecast_stated"], t["forecast_date"]),
                cells.rag_word(t["status"]),
            )
            for t in tracker
        )
        columns = (
            Column("Drafting milestone", 4),
            Column("Target date"),
            Column("Forecast date"),
            Column("Status"),
        )
        sub.add(Table(columns, body, size="small"))
    if risks:
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
            for r in risks
        )
        risk_columns = (
            Column("Risk/Issue ID"),
            Column("Risk description", 3),
            Column("Risk impact", 2),
            Column("Band"),
            Column("Mitigation", 4),
        )
        sub.add(Table(risk_columns, risk_rows, size="small"))
        counts = band_counts(risks)
        bars = [
            charts.Bar(str(b.label), counts.get(str(b.value), 0), Band.colour(str(b.value)))
            for b in Band
        ]
        title = "CCAG related risks by band (derived count)"
        sub.add(Chart(title, charts.bar_chart(title, bars, width=520), width=0.6))


# -- PPC, horizon scanning, assurance ---------------------------------------------------------


def metric_facts(pack: Pack, section: Section, tracker: str) -> bool:
    singles, _ = metric_groups(pack.frame, tracker)
    if not singles:
        return False
    items = tuple((m["label"], _metric_value(m)) for m in singles)
    section.add(Facts(items))
    return True


def _metric_value(metric: Row) -> CellValue:
    value = cells.number(metric["value"])
    stated = metric["stated"]
    if stated and stated != value:
        return Stack((value, f"(printed “{stated}”)"))
    return value


def readiness_rounds(pack: Pack, section: Section) -> None:
    for round_ in pack.rows("readiness-rounds"):
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
    story = pack.narrative.get("industry-horizon-scanning")
    singles, groups = metric_groups(pack.frame, "horizon-scanning")
    items = pack.rows("horizon")
    if not (story or groups or items):
        return
    sub = section.sub("Industry Change: Horizon Scanning", "industry-change")
    for group in groups:
        sub.add(_group_chart(group))
    if singles:
        sub.add(Facts(tuple((m["label"], _metric_value(m)) for m in singles)))
    if items:
        body = tuple(
            (
                cells.code(i["code"]),
                cells.text(i["title"]),
                cells.text(i["criticality"]),
                ", ".join(i["linked_raid"]) or "—",
            )
            for i in items
        )
        columns = (
            Column("Change"),
            Column("Title", 3),
            Column("Criticality"),
            Column("Linked RAID items", 4),
        )
        sub.add(Table(columns, body, caption="Top RAID-linked items", size="small"))
    if story:
        sub.add(Markdown(story["body"]))


def _group_chart(group: Any) -> Chart:
    bars = [
        charts.Bar(m["label"], None if m["value"] is None else float(m["value"]))
        for m in group.items
    ]
    known = sum(b.value for b in bars if b.value is not None)
    stated = "unknown" if group.stated_total is None else f"{group.stated_total:,.0f}"
    caption = f"Sum of the bars (derived): {known:,.0f}; total as printed: {stated}."
    return Chart(
        group.title, charts.bar_chart(group.title, bars, width=560), width=0.7, caption=caption
    )


def assurance(pack: Pack, section: Section) -> None:
    story = pack.narrative.get("independent-programme-assurance")
    activities = pack.rows("assurance")
    _, groups = metric_groups(pack.frame, "assurance")
    if not (story or activities or groups):
        return
    sub = section.sub("Independent Programme Assurance (IPA)", "assurance")
    if activities:
        body = tuple(
            (
                a["stage"] or "—",
                cells.text(a["work_package"]),
                a["title"],
                cells.rag_word(a["status"]),
                cells.markdown(a["text"]),
            )
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
    for group in groups:
        sub.add(_group_chart(group))
    if story:
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


__all__ = ["RAG", "Badge", "delivery_dashboards"]
