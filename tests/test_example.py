"""The MHHS example holds every row of the PSG #24 pack, counted from the pack's own text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

import pytest

from steerco.changes.models import ChangeRequest
from steerco.core.models import AgendaItem, Meeting, NarrativeSection
from steerco.finance.models import FinanceCell, FinanceNote
from steerco.milestones.models import (
    DecisionOption,
    GateCriterion,
    Milestone,
    TimetableActivity,
    TimetableCell,
)
from steerco.organisations.models import MarketRole, Organisation, RoleParticipation
from steerco.qualification.models import QadIteration, QualificationRoute
from steerco.raid.models import Action, RaidItem, RaidTheme
from steerco.reports.models import DeliveryReport, ProviderStatus, SitAreaStatus
from steerco.trackers.models import (
    AssuranceActivity,
    CodeDraftingMilestone,
    HorizonItem,
    TrackerMetric,
    WorkstreamUpdate,
)
from tests import seed

pytestmark = pytest.mark.django_db


def test_every_milestone_of_the_status_tables_is_loaded_once(seed_lines: list[str]) -> None:
    expected = seed.column(seed_lines, seed.MILESTONE_ROW, 2)
    assert len(expected) == 27
    assert Counter(Milestone.objects.values_list("code", flat=True)) == Counter(expected)


def test_every_risk_ref_of_the_three_themes_and_code_drafting_is_loaded(
    seed_lines: list[str],
) -> None:
    expected = seed.column(seed_lines, seed.RISK_ROW)
    assert len(expected) == 19
    assert Counter(RaidItem.objects.values_list("ref", flat=True)) == Counter(expected)
    assert RaidItem.objects.filter(log="code-drafting").count() == 5
    assert RaidItem.objects.filter(theme__number__in=[1, 2, 3]).count() == 14


def test_every_change_request_is_loaded(seed_lines: list[str]) -> None:
    expected = seed.column(seed_lines, seed.CR_ROW)
    assert Counter(ChangeRequest.objects.values_list("ref", flat=True)) == Counter(expected)


def test_every_action_row_is_kept_even_where_refs_repeat(seed_lines: list[str]) -> None:
    expected = seed.column(seed_lines, seed.ACTION_ROW)
    assert Counter(expected)["PSG23-02"] == 2
    assert Counter(Action.objects.values_list("ref", flat=True)) == Counter(expected)


def test_every_market_role_and_named_participant_of_the_sit_table(seed_lines: list[str]) -> None:
    rows, roles, names = seed.sit_participants(seed_lines)
    assert MarketRole.objects.count() == rows
    assert sorted(MarketRole.objects.values_list("name", flat=True)) == sorted(roles)
    stated = list(RoleParticipation.objects.values_list("stated_name", flat=True))
    assert Counter(name.rstrip(",.").strip() for name in stated) == Counter(
        name.rstrip(",.").strip() for name in names
    )


def test_every_sit_participant_is_an_organisation_by_name_or_alias() -> None:
    known = set(Organisation.objects.values_list("name", flat=True))
    for aliases in Organisation.objects.values_list("aliases", flat=True):
        known.update(aliases)
    linked = RoleParticipation.objects.filter(organisation__isnull=False)
    assert linked.count() >= RoleParticipation.objects.count() - 3
    for participation in linked.select_related("organisation"):
        names = {participation.organisation.name, *participation.organisation.aliases}
        assert participation.stated_name.strip(" ,.") in {n.strip(" ,.") for n in names} or (
            participation.stated_name in known
        )


def test_every_cell_of_the_cit_readiness_grid_is_kept_as_printed(seed_lines: list[str]) -> None:
    grid = seed.readiness_grid(seed_lines)
    cells = TimetableCell.objects.select_related("activity", "interval")
    assert cells.count() == sum(len(row) for row in grid) == 90
    printed = {
        (a, i): " ".join(text.split())
        for a, row in enumerate(grid, start=1)
        for i, text in enumerate(row, start=1)
    }
    loaded = {(c.activity.order, c.interval.order): " ".join(c.stated.split()) for c in cells}
    assert loaded == printed


def test_every_finance_cell_holds_the_seed_text_and_a_merged_quarter_is_one_cell(
    seed_lines: list[str],
) -> None:
    rows = seed.finance_rows(seed_lines)
    assert len(rows) == 10
    columns = [*(f"{m:%Y-%m}" for m in seed.FINANCE_MONTHS), None]
    for row in rows:
        label = row[0].strip()
        printed = [seed.text(c) for c in row[1:14]] + [""] * (14 - len(row))
        loaded = FinanceCell.objects.filter(row_label=label)
        held = {(f"{c.month:%Y-%m}" if c.month else None): c for c in loaded}
        if label == "DCC Act/Forecast*":  # its only text, the note, is held as a note
            assert FinanceNote.objects.filter(text=printed[0]).exists()
            printed[0] = ""
        for index, text in enumerate(printed):
            cell = held.get(columns[index])
            if cell is None:  # a month a merged quarter cell to its left covers
                assert text == "" and label == "DCC Budget" and index % 3, (label, index)
                continue
            assert cell.stated == text, (label, columns[index])
            assert (cell.amount is None) == (text == "")
    quarters = FinanceCell.objects.filter(row_label="DCC Budget", month__isnull=False)
    assert {c.period for c in quarters} == {"quarter"} and quarters.count() == 4
    # Split monthly only because the pack's own note says so.
    assert any("calculated with DCC's budget split monthly" in line for line in seed_lines)
    assert all(c.split_monthly for c in quarters)


def test_both_core_provider_status_tables_are_kept_row_for_row() -> None:
    assert ProviderStatus.objects.filter(table="sit-readiness").count() == 7
    assert ProviderStatus.objects.filter(table="sit-status").count() == 7
    misspelt = ProviderStatus.objects.get(stated_name="Elxon (Helix)")
    assert misspelt.organisation is None


def test_every_core_provider_and_ldso_delivery_report_is_loaded() -> None:
    assert DeliveryReport.objects.count() == 8
    assert DeliveryReport.objects.filter(kind="LDSO").count() == 2
    assert not DeliveryReport.objects.exclude(overall_rag="").exists()


def test_scores_the_text_copy_lost_are_unknown_not_invented() -> None:
    stated = {"R040": 8, "R501": 13}
    for item in RaidItem.objects.all():
        assert item.initial_score is None and item.target_score is None
        assert item.current_score == stated.get(item.ref)


def test_participation_colour_lost_in_the_text_copy_is_unknown() -> None:
    assert set(RoleParticipation.objects.values_list("status", flat=True)) == {"unknown"}


def test_previous_rags_are_history_at_psg23(seed_lines: list[str]) -> None:
    rags = seed.milestone_rags(seed_lines)
    psg23 = Meeting.objects.get(code="PSG-23")
    then = {m.code: m.rag for m in Milestone.history.as_of(psg23.cutoff)}
    assert then == {code: previous.lower() for code, (previous, _, _) in rags.items()}
    now = {m.code: m.rag for m in Milestone.objects.all()}
    assert now == {code: current.lower() for code, (_, current, _) in rags.items()}


# -- every value of every table, against the seed's text ------------------------------------
# Each test reads a table's rows from the seed and compares every cell with what the example
# holds for it: a text field's words, a date field with the date the cell prints (or, where
# the cell is not one clean date, the field keeping its printed text). A cell the text copy
# lost is unknown in the example, never a value.


def test_every_agenda_cell(seed_lines: list[str]) -> None:
    items = AgendaItem.objects.filter(meeting__code="PSG-24").order_by("number")
    printed = seed.rows(seed_lines, "#\tItem\tObjective")
    assert len(printed) == items.count() == 10
    for row, item in zip(printed, items, strict=True):
        number, title, objective, kind, lead, time, page = row
        assert (str(item.number), item.title, item.lead, str(item.page)) == (
            number,
            title,
            lead,
            page,
        )
        assert seed.words(f"{item.objective}\n{item.sub_items}") == seed.words(objective)
        assert (item.type or "-") == kind.lower() if kind != "-" else item.type == ""
        start, end = f"{item.stated_start:%H:%M}", f"{item.stated_end:%H:%M}"
        assert f"{start}-{end} {item.duration_minutes} mins" == time


def test_every_action_cell(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Ref\tAction\tOwner\tDue\tLatest Update")
    actions = list(Action.objects.order_by("order"))
    assert len(printed) == len(actions) == 8
    for (ref, text, owner, due, update), action in zip(printed, actions, strict=True):
        assert (action.ref, action.text, action.owners) == (ref, text, owner)
        assert action.due_date == seed.day(due)
        assert action.due_text == ("" if seed.day(due) else due)
        assert [u.text for u in action.updates.all()] == [update]


def test_every_milestone_status_cell(seed_lines: list[str]) -> None:
    printed = [cells for n in (1, 2) for cells in seed.rows(seed_lines, "Milestone Tier\t", n)]
    assert len(printed) == 27
    for tier, code, title, baseline, forecast, _, current, next_rag, commentary in printed:
        milestone = Milestone.objects.get(code=code)
        assert (milestone.tier, seed.words(milestone.title)) == (tier, seed.words(title))
        assert (milestone.baseline_date, milestone.forecast_date) == (
            seed.day(baseline),
            seed.day(forecast),
        )
        assert (milestone.rag, milestone.forecast_rag) == (current.lower(), next_rag.lower())
        assert milestone.commentary == commentary


def test_every_change_request_cell(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Ref.\tKey Detail\tChange Raiser(s)")
    changes = list(ChangeRequest.objects.order_by("order"))
    assert len(printed) == len(changes) == 11
    for row, change in zip(printed, changes, strict=True):
        row += [""] * (10 - len(row))
        assert [
            change.ref,
            change.title,
            change.raisers,
            change.change_type,
            change.latest_action,
            change.approval_status,
            change.stage,
            change.action_if_approved,
            change.implementation,
            change.change_owner,
        ] == row
        in_brackets = re.search(r"\((\d\d/\d\d/\d\d)\)$", change.latest_action)
        assert change.latest_action_date == seed.day(in_brackets.group(1) if in_brackets else "")
        assert f"Updated to {change.updated_to:%d/%m/%Y}" in seed_lines


def test_every_cell_of_the_three_risk_themes_key_risks(seed_lines: list[str]) -> None:
    printed = [
        r for r in (line.split("\t") for line in seed_lines) if seed.RISK_ROW.match(r[0] + "\t")
    ]
    themed = [r for r in printed if len(r) > 10]
    assert len(themed) == 14
    for row in themed:
        ref, description, movement, mitigation = row[0], row[1], row[-2], row[-1]
        item = RaidItem.objects.get(ref=ref, log="key-risks")
        assert seed.words(item.description) == seed.words(description)
        assert item.stated_movement == movement
        steps = " ".join(m.text for m in item.mitigations.order_by("order"))
        assert seed.words(steps) == seed.words(mitigation)
        assert {c.strip() for c in row[2:-2]} == {""}  # the score grid: lost, and unknown


def test_every_cell_of_the_code_drafting_risks(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Risk/Issue ID\tRisk description\tRisk impact")
    assert len(printed) == 5
    for ref, description, impact, band, mitigation in printed:
        item = RaidItem.objects.get(ref=ref, log="code-drafting")
        assert (item.description, item.impact) == (description, impact)
        assert item.get_stated_band_display() == band
        steps = " ".join(m.text for m in item.mitigations.order_by("order"))
        assert seed.words(steps) == seed.words(NUMBERED.sub(" ", mitigation))


COMMAS = re.compile(r"\s*,\s*")
NUMBERED = re.compile(r"(?:^|\s)\d\)\s")


def test_every_sit_readiness_cell(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Test Area\tStatus\tComment")
    areas = list(SitAreaStatus.objects.order_by("order"))
    assert len(printed) == len(areas) == 5
    for (area, status, comment), held in zip(printed, areas, strict=True):
        assert (held.area, held.get_rag_display()) == (area, status)
        assert seed.words(held.comment) == seed.words(comment)


@pytest.mark.parametrize(("occurrence", "table"), [(1, "sit-readiness"), (2, "sit-status")])
def test_every_core_provider_status_cell(
    seed_lines: list[str], occurrence: int, table: str
) -> None:
    printed = seed.rows(seed_lines, "Core Capability Providers\tStatus", occurrence)
    held = list(ProviderStatus.objects.filter(table=table).order_by("order"))
    assert len(printed) == len(held) == 7
    for (name, status, comment), status_row in zip(printed, held, strict=True):
        assert (status_row.stated_name, status_row.get_rag_display()) == (name, status)
        # Only the SIT Status dashboard's copy prints "Updated to 30/08/2023".
        stamp = f"Updated to {status_row.updated_to:%d/%m/%Y}" if status_row.updated_to else ""
        assert stamp == ("Updated to 30/08/2023" if table == "sit-status" else "")
        assert seed.words(status_row.comment) == seed.words(comment)


def test_every_cell_of_the_sit_constituency_table(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Constituency\tNumber of PPs", 2)
    roles = list(
        MarketRole.objects.select_related("constituency").order_by("constituency__order", "order")
    )
    assert len(printed) == len(roles) == 14
    constituency = None
    for row, role in zip(printed, roles, strict=True):
        name, pps, role_name, required, confirmed, names = row
        if name:
            constituency = (name, pps)
        assert constituency == (
            role.constituency.name,
            str(role.constituency.stated_participants_confirmed),
        )
        assert role.name == (role_name or role.name)  # two rows print no role name
        assert (str(role.mvc_required or "n/a"), str(role.stated_confirmed or "n/a")) == (
            required,
            confirmed,
        )
        stated = [p.stated_name for p in role.participants.order_by("order")]
        assert COMMAS.sub(", ", ", ".join(stated)) == COMMAS.sub(", ", names)


def test_every_code_drafting_milestone_cell(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Drafting Milestones\tTarget date")
    held = list(CodeDraftingMilestone.objects.order_by("order"))
    assert len(printed) == len(held) == 12
    for (name, target, forecast, status), milestone in zip(printed, held, strict=True):
        assert (milestone.name, milestone.status) == (name, status)
        assert (milestone.target_stated, milestone.forecast_stated) == (target, forecast)
        for date, stated in ((milestone.target_date, target), (milestone.forecast_date, forecast)):
            assert date == (seed.day(stated) or date), stated  # "22/11//23": read, and noted


def test_every_cp2_decision_option_cell(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Decision\tMeaning\tImplications")
    options = list(DecisionOption.objects.filter(decision__ref="CP2").order_by("order"))
    assert [[o.name, o.meaning, o.implications] for o in options] == printed


def test_every_qualification_route_and_qad_iteration_cell(seed_lines: list[str]) -> None:
    routes = seed.rows(seed_lines, "Route\tEntry Req's*")
    held = list(QualificationRoute.objects.order_by("order"))
    assert [[r.route, r.entry_requirements, *r.steps] for r in held] == routes
    iterations = seed.rows(seed_lines, "Iteration\tProgramme Dependencies")
    assert [
        [
            q.iteration,
            q.programme_dependencies,
            q.expected_dependency_stated,
            q.expected_approval_stated,
            q.expected_issue_stated,
        ]
        for q in QadIteration.objects.order_by("order")
    ] == iterations


def test_every_risk_theme_cell(seed_lines: list[str]) -> None:
    psg23 = Meeting.objects.get(code="PSG-23")
    for number in (1, 2, 3):
        theme = RaidTheme.objects.get(number=number)
        then = RaidTheme.history.as_of(psg23.cutoff).get(number=number)
        head, current = seed.rows(seed_lines, "Theme\tSummary\tMitigation", number)[:2]
        title, summary, overview, _, previous = head
        assert (theme.title, theme.summary) == (title, summary)
        assert seed.words(theme.mitigation_overview) == seed.words(overview)
        assert previous == (
            f"{then.get_rag_display()} ({then.stated_item_count} {then.stated_item_noun})"
        )
        assert current[-1] == (
            f"{theme.get_rag_display()} ({theme.stated_item_count} {theme.stated_item_noun})"
        )


# The delivery reports in the seed's order: each runs from its "RAGs" row to the next one.
REPORTS = ["St Clements", "DCC", "RECCo", "DIP", "Helix", "ElectraLink", "DNOs", "IDNOs"]
RAID_HEADS = {
    "Risk or Issue & RAG",
    "Assumption & RAG",
    "Dependency & RAG",
    "RAID and RAG",
    "RAID",
    "Dependencies",
    "Risks or Issues",
}


def report_lines(lines: list[str], party: str) -> list[str]:
    starts = [i for i, line in enumerate(lines) if line.startswith("RAGs\tOverall")]
    starts.append(next(i for i, line in enumerate(lines) if line.startswith("Overarching Costs")))
    index = REPORTS.index(party)
    return lines[starts[index] : starts[index + 1]]


def raid_rows(lines: list[str]) -> list[list[str]]:
    """Every row under a RAID heading of one report, as its non-empty cells."""
    found, inside = [], False
    for line in lines:
        cells = [seed.text(c) for c in line.split("\t")]
        if cells[0] in RAID_HEADS:
            inside = True
        elif not line.strip() or cells[0].startswith(("Decisions", "Escalations", "DNO ", "IDNO")):
            inside = False
        elif inside and cells[0] not in ("None",) and "No Dependencies" not in cells[0]:
            found.append([c for c in cells if c])
    return found


def report_of(party: str) -> DeliveryReport:
    return DeliveryReport.objects.get(title__regex=rf"[ (\[]{re.escape(party)}[)\]]?$")


@pytest.mark.parametrize("party", ["St Clements", "DCC", "RECCo", "DIP"])
def test_every_party_milestone_cell_of_the_core_providers(
    seed_lines: list[str], party: str
) -> None:
    lines = report_lines(seed_lines, party)
    printed = seed.rows(lines, "Party Milestones & Deliverables\t")
    held = list(report_of(party).milestones.order_by("order"))
    assert len(printed) == len(held)
    for row, milestone in zip(printed, held, strict=True):
        name, baseline, forecast = [*row, "", ""][:3]
        assert (milestone.name, milestone.baseline_stated) == (name, baseline)
        assert milestone.forecast_stated == forecast
        assert milestone.baseline_date == seed.day(baseline)
        assert milestone.forecast_date == seed.day(forecast)


def test_every_party_milestone_cell_of_helix(seed_lines: list[str]) -> None:
    lines = report_lines(seed_lines, "Helix")
    printed = [
        cells[-3:]
        for line in lines[lines.index(next(x for x in lines if "R3 Target Date" in x)) + 1 :]
        if len(cells := [seed.text(c) for c in line.split("\t") if c.strip()]) >= 3
        and line.startswith("\t")
    ]
    held = list(report_of("Helix").milestones.order_by("order"))
    assert [[m.name, m.baseline_stated, m.forecast_stated] for m in held] == printed
    assert all(m.baseline_date == seed.day(m.baseline_stated) for m in held)


@pytest.mark.parametrize("party", REPORTS)
def test_every_raid_cell_of_each_delivery_report(seed_lines: list[str], party: str) -> None:
    printed = raid_rows(report_lines(seed_lines, party))
    held = list(report_of(party).raid.order_by("order"))
    assert len(printed) == len(held), [r[0] for r in printed]
    for row, entry in zip(printed, held, strict=True):
        values = [
            entry.description,
            entry.get_type_display() if party == "Helix" else "",
            entry.impact,
            entry.action,
            entry.due_stated,
            entry.impact_date_stated,
            entry.owner,
        ]
        assert [seed.words(v) for v in values if v] == [seed.words(c) for c in row]


def decision_rows(lines: list[str]) -> list[tuple[str, list[str]]]:
    """(direction, non-empty cells) of every row under a report's decisions headings."""
    found, direction = [], ""
    for line in lines:
        cells = [seed.text(c) for c in line.split("\t") if c.strip()]
        head = cells[0] if cells else ""
        if head.startswith("Decisions to be made by"):
            direction = "own"
        elif head.startswith("Decisions required"):
            direction = "required"
        elif not cells or head.startswith(("Escalations", "Risks or Issues", "Top Risks")):
            direction = ""
        elif direction and head != "None":
            found.append((direction, cells))
    return found


def escalation_rows(lines: list[str]) -> list[list[str]]:
    """The rows under a report's "Escalations" heading, to its risks or its end."""
    found: list[list[str]] = []
    inside = False
    for line in lines:
        cells = [seed.text(c) for c in line.split("\t") if c.strip()]
        if cells[:1] and cells[0].startswith(("Escalations", "Risks or Issues")):
            inside = cells[0].startswith("Escalations")
        elif inside and cells:
            found.append(cells)
    return found


@pytest.mark.parametrize("party", REPORTS)
def test_every_decision_and_escalation_cell_of_each_delivery_report(
    seed_lines: list[str], party: str
) -> None:
    lines = report_lines(seed_lines, party)
    report = report_of(party)
    held = [
        (d.direction, [v for v in (d.description, d.impact, d.by_when_stated) if v], d.from_whom)
        for d in report.decisions.order_by("order")
    ]
    printed = decision_rows(lines)
    assert len(printed) == len(held)
    for (direction, cells), (held_direction, values, whom) in zip(printed, held, strict=True):
        assert direction == held_direction
        if party in ("DNOs", "IDNOs"):  # "Decisions required from the programme"
            assert cells == values and whom == ("the programme" if direction == "required" else "")
        else:  # Decisions required | From whom? | By when?
            assert cells == [values[0], whom, values[1]]
    escalations = escalation_rows(lines)
    assert [[e.text, e.by_when_stated] for e in report.escalations.order_by("order")] == escalations


ROUND3 = re.compile(r"^\d{2}-(?:\d{2}|[A-Z][a-z]{2})-\d{2}\b")
CHECKED = re.compile(r'<input checked="" type="checkbox"/>\s*(\w+) confidence')


@pytest.mark.parametrize("party", ["DNOs", "IDNOs"])
def test_every_key_milestone_cell_of_the_ldso_reports(seed_lines: list[str], party: str) -> None:
    printed = []
    for line in report_lines(seed_lines, party):
        raw = [c for c in line.split("\t") if c.strip()]
        if len(raw) == 3 and ROUND3.match(seed.text(raw[1])):
            printed.append(raw)
    held = list(report_of(party).milestones.order_by("order"))
    assert len(printed) == len(held) == 5
    for (name, stated, reason), milestone in zip(printed, held, strict=True):
        assert seed.words(milestone.name) == seed.words(name)
        assert milestone.forecast_stated == seed.text(stated).split()[0]
        assert milestone.forecast_date == seed.day(milestone.forecast_stated)
        assert seed.words(milestone.comment.split("\n\n")[-1]) == seed.words(reason)
        ticked = CHECKED.findall(stated) or re.findall(r"\d (\w+) confidence", stated)
        assert milestone.confidence == (ticked[0].lower() if len(ticked) == 1 else "")


ORDINAL_DAY = re.compile(r"^(\d{1,2}) (?:st|nd|rd|th) ([A-Z][a-z]{2})(?: (\d{2}))?")


def test_every_activity_and_note_of_the_cit_readiness_grid(seed_lines: list[str]) -> None:
    printed = seed.rows(seed_lines, "Activity / Milestone\tNotes\tCIT Interval 1")
    activities = list(TimetableActivity.objects.order_by("order"))
    assert len(printed) == len(activities) == 15
    for row, activity in zip(printed, activities, strict=True):
        assert (activity.name, seed.words(activity.rule_text)) == (row[0], seed.words(row[1]))
        for cell in activity.cells.select_related("interval"):
            day, month, year = ORDINAL_DAY.match(cell.stated).groups()
            assert (cell.date.day, f"{cell.date:%b}") == (int(day), month)
            # "1 st Dec" prints no year: the grid's own row (17 th Nov 23 … 5 th Jan 24) places it.
            assert year is None or cell.date.year == 2000 + int(year)


@pytest.mark.parametrize("code", ["T1-TE-1000", "T2-TE-0250", "T3-TE-0060"])
def test_every_criterion_of_the_three_gates(seed_lines: list[str], code: str) -> None:
    printed = seed.rows(seed_lines, f"To approve {code}\t")
    expected = []
    for row in printed:
        cells = [c for c in row if c]
        if cells == ["SI", "PPs"]:
            continue
        groups = ["SI", "PPs"] if len(cells) == 2 else [""]
        expected.extend(zip(cells, groups, strict=True))
    criteria = GateCriterion.objects.filter(gate__milestone_code=code).order_by("order")
    assert [(c.text, c.group) for c in criteria] == expected


def test_every_cell_of_the_si_workstream_table(seed_lines: list[str]) -> None:
    printed: list[tuple[str, str, list[list[str]]]] = []
    for row in seed.rows(seed_lines, "Workstream\tProgress\tNext steps")[1:]:  # [1]: What…
        if row[0]:
            printed.append((row[0], row[1], []))
        printed[-1][2].append(row[-3:])
    held = list(WorkstreamUpdate.objects.order_by("order"))
    assert len(printed) == len(held) == 8
    for (workstream, progress, steps), update in zip(printed, held, strict=True):
        assert (update.workstream, seed.words(update.progress)) == (
            workstream,
            seed.words(progress),
        )
        assert [[seed.words(s["what"]), s["owner"], s["by_when"]] for s in update.next_steps] == [
            [seed.words(what), owner, by] for what, owner, by in steps
        ]


FIGURE = re.compile(r"([A-Za-z/ ]+?): (\d+)")


@pytest.mark.parametrize(
    ("start", "group"),
    [
        ("Industry code changes:", "industry-code-changes"),
        ("Criticality of horizon scanning items", "criticality"),
    ],
)
def test_every_horizon_scanning_figure(seed_lines: list[str], start: str, group: str) -> None:
    line = next(x for x in seed_lines if x.startswith(start))
    printed = [(label.strip(" –"), n) for label, n in FIGURE.findall(line.split("–", 1)[1])]
    held = TrackerMetric.objects.filter(group=group).order_by("order")
    assert [(m.label, m.stated) for m in held] == printed
    assert all(m.value == int(m.stated) for m in held)
    total = TrackerMetric.objects.filter(total_of=group).first()
    if total is not None:
        assert line.startswith(f"{total.label}: {total.stated} –")


def test_the_ipa_action_counts(seed_lines: list[str]) -> None:
    at = seed_lines.index("Total agreed actions from IPA reports:")
    printed = [x.strip() for x in seed_lines[at + 1 : at + 8] if x.strip()]
    held = TrackerMetric.objects.filter(group="assurance-actions").order_by("order")
    assert [x for m in held for x in (m.label, m.stated)] == printed


def markdown_tables(text: str) -> Iterator[list[list[str]]]:
    """Each Markdown table of a text: its header and body rows, as cells."""
    table: list[list[str]] = []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not all(set(c) <= {"-"} and c for c in cells):  # the |---| line
                table.append(cells)
        elif table:
            yield table
            table = []


def seed_table(lines: list[str], header: list[str]) -> list[list[str]]:
    """The seed's rows under the line whose cells are ``header``: each row's cells at the
    header's columns (the text copy pads merged cells with empty ones)."""
    for index, line in enumerate(lines):
        cells = [seed.text(c) for c in line.split("\t")]
        if [c for c in cells if c] == [h for h in header if h]:
            columns = [i for i, c in enumerate(cells) if c] if all(header) else range(len(header))
            body = []
            for row in lines[index + 1 :]:
                if not row.strip():
                    break
                cells = [seed.text(c) for c in row.split("\t")] + [""] * 10
                body.append([cells[i] for i in columns])
            return body
    raise AssertionError(f"no seed table headed {header}")


def test_every_table_kept_in_narrative_or_notes_holds_the_seeds_cells(
    seed_lines: list[str],
) -> None:
    texts = [s.body for s in NarrativeSection.objects.all()]
    texts += [r.notes for r in DeliveryReport.objects.all()]
    tables = [t for text in texts for t in markdown_tables(text)]
    assert len(tables) >= 5
    for header, *body in tables:
        printed = seed_table(seed_lines, header)
        held = [[seed.words(c.replace("\\*", "*")) for c in row] for row in body]
        assert held == [[seed.words(c) for c in row] for row in printed[: len(body)]], header


@pytest.mark.parametrize("party", [p for p in REPORTS if p != "ElectraLink"])
def test_each_reports_progress_is_the_seeds_status_and_outlook_text(
    seed_lines: list[str], party: str
) -> None:
    lines = report_lines(seed_lines, party)
    at = next(i for i, line in enumerate(lines) if line.startswith("Status & Outlook"))
    printed = seed.words(" ".join(lines[at : at + 3]))
    report = report_of(party)
    for progress in (report.progress_last_month, report.progress_next_month):
        assert progress and seed.words(progress) in printed


def test_every_line_of_the_narrative_is_the_seeds_text(seed_lines: list[str]) -> None:
    printed = seed.words(" ".join(line.replace("\t", " ") for line in seed_lines))
    sections = NarrativeSection.objects.filter(meeting__code="PSG-24")
    assert sections.count() >= 20
    for section in sections:
        for line in section.body.splitlines():
            # Tables: the test above. An illustration's reference (`![title](paper)`) is
            # steerco's, naming the paper that holds the seed's picture, not printed text.
            if line.strip() and not line.startswith(("|", "![")):
                held = seed.words(re.sub(r"^#+\s*", "", line).replace("\\*", "*"))
                assert held in printed, (section.slug, line)


def test_every_horizon_item_and_assurance_activity_is_the_seeds_text(
    seed_lines: list[str],
) -> None:
    printed = seed.words(" ".join(seed_lines))
    items = HorizonItem.objects.order_by("order")
    assert items.count() == 4
    for item in items:
        assert f"{item.code} ({', '.join(item.linked_raid)})" in printed
    activities = AssuranceActivity.objects.order_by("order")
    assert activities.count() == 7
    for activity in activities:
        status = f" - {activity.status}" if activity.status else ""
        title = activity.title
        if activity.work_package and activity.stage == "Theme-Based Assurance":
            title = f"{title} ({activity.work_package})"
        elif activity.work_package and activity.stage.startswith("Upcoming"):
            title = title.replace("Test Assurance", f"Test Assurance ({activity.work_package})")
        assert seed.words(f"{title}{status} - {activity.text}") in printed, activity.title
