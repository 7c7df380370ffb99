"""The MHHS example holds every row of the PSG #24 pack, counted from the pack's own text."""

from __future__ import annotations

from collections import Counter

import pytest

from steerco.changes.models import ChangeRequest
from steerco.core.models import Meeting
from steerco.finance.models import FinanceCell, FinanceNote
from steerco.milestones.models import Milestone, TimetableCell
from steerco.organisations.models import MarketRole, Organisation, RoleParticipation
from steerco.raid.models import Action, RaidItem
from steerco.reports.models import DeliveryReport, ProviderStatus
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
