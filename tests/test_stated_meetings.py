"""Stated values belong to the meeting they were stated for: a month of edits after PSG-24's
cut-off (through the API and an import), PSG-25 frozen after them. PSG-24's findings stay
exactly what they were; no finding at PSG-25 comes from a value stated for PSG-24, and PSG-25
derives its own movements, counts and totals. Grey after Blue is derived, never asked."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from steerco.core.history import acting
from steerco.core.models import Meeting, Programme
from steerco.dashboards.milestones import milestones
from steerco.io.loader import load
from steerco.meetings import life
from steerco.raid.models import RaidItem
from steerco.rules.derived import milestone_rows, raid_rows
from steerco.rules.findings import Finding, check
from steerco.rules.frame import build
from tests.api_support import make_callers, patch
from tests.transfers_support import COMMIT, rows_of, ticket_of, upload

pytestmark = pytest.mark.django_db
CLEAN = Path(__file__).parent / "fixtures" / "clean"
# The rules that compare a value the pack states (or a meeting's own agenda and reports).
STATED_RULES = {
    "movement-mismatch",
    "total-mismatch",
    "mvc-shortfall",
    "mvc-no-contingency",
    "gate-unmet",
    "agenda-slot",
    "agenda-total",
    "agenda-duration",
    "agenda-type",
    "report-date",
    "report-milestone",
}


def findings_at(code: str) -> list[Finding]:
    programme = Programme.objects.get(code="mhhs")
    return check(build(programme, Meeting.objects.get(programme=programme, code=code)))


def raid_csv(scores: dict[str, int]) -> bytes:
    """`steerco export raid` as CSV with the current scores of ``scores`` changed."""
    out = io.StringIO()
    call_command("export", "raid", "--format", "csv", stdout=out)
    rows = rows_of(out.getvalue().encode())
    for row in rows:
        if row["ref"] in scores:
            row["current_score"] = str(scores[row["ref"]])
    target = io.StringIO()
    writer = csv.DictWriter(target, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return target.getvalue().encode()


def test_a_month_after_psg24_raises_nothing_at_psg25_from_values_stated_for_psg24() -> None:
    before = findings_at("PSG-24")
    stated_for_psg24 = {f for f in before if f.rule in STATED_RULES}
    assert {f.rule for f in stated_for_psg24} >= {"total-mismatch", "agenda-total", "report-date"}
    assert {f.meeting for f in before} == {"PSG-24"}
    r040 = RaidItem.objects.get(ref="R040")
    assert (r040.stated_movement, r040.stated_for.code) == ("-1 (9 to 8)", "PSG-24")
    callers = make_callers()

    # Through the API: R040's score rises 8 → 10; its band is stated again, for PSG-25.
    api = callers.client("pmo")
    url = reverse("api:register-item", args=["mhhs", "raid", r040.pk])
    version = api.get(url).json()["version"]
    body = {"version": version, "reason": "RAID board", "current_score": 10, "stated_band": "low"}
    assert patch(api, url, body).status_code == 200
    # Through an import: R501's score falls 13 → 12; the row keeps its stated movement.
    session = callers.cast.client("pmo")
    preview = upload(session, "raid.csv", raid_csv({"R501": 12}), register="raid")
    assert "1 to change" in preview.content.decode()
    assert session.post(COMMIT, {"ticket": ticket_of(preview)}).status_code == 200
    # PSG-25 is frozen after them.
    life.freeze(Meeting.objects.get(programme__code="mhhs", code="PSG-25"), "tests", "pack due")

    r040.refresh_from_db()
    r501 = RaidItem.objects.get(ref="R501")
    # Stated again through the API: for the meeting being prepared, its movement stated for
    # PSG-24 left to PSG-24 (in history). Not stated again (the import changed a score
    # only): still PSG-24's.
    assert (r040.stated_band, r040.stated_movement, r040.stated_for.code) == ("low", "", "PSG-25")
    assert (r501.stated_movement, r501.stated_for.code) == ("-3 (16 to 13)", "PSG-24")
    assert findings_at("PSG-24") == before  # PSG-24's findings unchanged

    after = findings_at("PSG-25")
    assert {f.meeting for f in after} == {"PSG-25"}
    assert not [f for f in after if f.rule in STATED_RULES], after
    assert not [f for f in after if "PSG-24" in f.record]
    # PSG-25 derives its movements; PSG-24's stated ones are not read there.
    programme = Programme.objects.get(code="mhhs")
    frame = build(programme, Meeting.objects.get(programme=programme, code="PSG-25"))
    rows = {row["ref"]: row for row in raid_rows(frame)}
    assert rows["R040"]["movement"] == "+2 (8 to 10)"
    assert rows["R501"]["movement"] == "-1 (13 to 12)"
    assert rows["R501"]["stated_movement"] == "" and rows["R040"]["stated_band"] == "low"


def test_a_milestone_achieved_at_one_meeting_is_grey_at_the_next_without_a_finding(
    tmp_path: Path,
) -> None:
    target = tmp_path / "clean"
    shutil.copytree(CLEAN, target)
    path = target / "milestones.yaml"
    text = path.read_text()
    path.write_text(
        text.replace(
            "rag: green\n    history:\n      PSG-1: {rag: green}",
            "rag: blue\n    history:\n      PSG-1: {rag: blue}",
            1,
        )
    )
    programme = load(target, actor="tests").programme
    meeting = Meeting.objects.get(programme=programme, code="PSG-2")
    frame = build(programme, meeting)
    row = next(r for r in milestone_rows(frame) if r["code"] == "T2-TE-0001")
    assert (row["previous_rag"], row["recorded_rag"], row["rag"], row["forecast_rag"]) == (
        "blue",
        "blue",
        "grey",
        "grey",
    )
    assert check(frame) == []  # nothing asked of the PMO: the rule fixes it
    shown = next(m for m in milestones(frame).milestones if m.code == "T2-TE-0001")
    assert (shown.rag, shown.forecast_rag) == ("grey", "grey")  # what the pack prints


def test_a_milestone_achieved_now_is_blue_and_forecast_grey(tmp_path: Path) -> None:
    programme = load(CLEAN, actor="tests").programme
    with acting("tests", "achieved"):
        milestone = programme.milestones.get(code="T2-TE-0001")
        milestone.rag, milestone.forecast_rag = "blue", "green"
        milestone.save()
    frame = build(programme, None)
    row = next(r for r in milestone_rows(frame) if r["code"] == "T2-TE-0001")
    assert (row["previous_rag"], row["rag"], row["forecast_rag"]) == ("green", "blue", "grey")
