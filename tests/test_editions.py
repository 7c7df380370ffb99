"""Pack editions of PSG-24 and the reader behind them: what each audience's frame holds,
and that an edition is the same bytes every time it is built."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

import pytest

from steerco.accounts.access import PUBLIC, Principal
from steerco.accounts.choices import Role
from steerco.accounts.reader import Reader
from steerco.core.history import acting
from steerco.core.models import Meeting, Programme
from steerco.organisations.models import Organisation
from steerco.pack import service
from steerco.pack.editions import AUDIENCES, Edition, edition_for
from steerco.raid.models import RaidItem
from steerco.records.history import record_history
from steerco.registers import REGISTERS
from steerco.reports.models import DeliveryReport, ReportEscalation
from steerco.rules.frame import build

pytestmark = pytest.mark.django_db


def _classifications(rows: list[dict[str, Any]]) -> set[str]:
    found = set()
    for row in rows:
        found.add(row.get("classification"))
        for value in row.values():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                found |= _classifications(value)
    return found


def test_the_public_edition_of_psg24_reads_only_public_records() -> None:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
    frame = build(programme, meeting, who=PUBLIC)
    held = set()
    for register in REGISTERS:
        held |= _classifications(frame.rows(register.slug))
    assert held <= {"public"}
    # Made Public after PSG-24's cut-off: in the public edition of PSG-25, not of PSG-24.
    item = RaidItem.objects.get(programme=programme, ref="R040")
    item.classification = "public"
    with acting("tests", "one public risk", at=meeting.cutoff + dt.timedelta(minutes=1)):
        item.save()
    psg25 = Meeting.objects.get(programme=programme, code="PSG-25")
    assert [r["ref"] for r in build(programme, psg25, who=PUBLIC).rows("raid")] == ["R040"]
    assert build(programme, meeting, who=PUBLIC).rows("raid") == []
    pmo = build(programme, Meeting.objects.get(programme=programme, code="PSG-24"))
    assert len(pmo.rows("raid")) > 10  # the PMO's frame holds the whole log


def test_each_edition_of_psg24_builds_to_the_same_bytes_twice() -> None:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
    for edition in (Edition.PUBLIC, Edition.MEMBERS):
        first = service.render(programme, meeting, edition)
        again = service.render(programme, meeting, edition)
        assert (first.html, first.pdf) == (again.html, again.pdf)
        assert escape(AUDIENCES[edition].title) in first.html


def test_a_reader_gets_the_widest_edition_it_may_and_no_wider() -> None:
    assert edition_for(Principal(Role.PMO)) is Edition.PMO
    assert edition_for(Principal(Role.STEERING)) is Edition.MEMBERS
    assert edition_for(Principal(Role.PARTICIPANT, organisation_id=1)) is Edition.PARTICIPANTS
    assert edition_for(PUBLIC) is Edition.PUBLIC
    assert edition_for(Principal(Role.PARTICIPANT), "members") is None
    assert edition_for(Principal(Role.STEERING), "participants") is None
    assert edition_for(Principal(Role.STEERING), "public") is Edition.PUBLIC
    assert edition_for(Principal(Role.PMO), "nonsense") is None


def _report_with_a_draft_edit(programme: Programme) -> tuple[DeliveryReport, ReportEscalation]:
    with acting("tests", "a report drafted, corrected and published"):
        report = DeliveryReport.objects.create(
            programme=programme,
            meeting=Meeting.objects.get(programme=programme, code="PSG-24"),
            organisation=Organisation.objects.get(programme=programme, name="DCC"),
            title="DCC report",
            status="draft",
            order=77,
        )
        line = ReportEscalation.objects.create(report=report, order=1, text="DRAFT WORDS")
        line.text = "Final words"
        line.save()
        report.status = "published"
        report.save()
    return report, line


def test_a_published_reports_draft_edits_stay_its_organisations_and_the_pmos() -> None:
    programme = Programme.objects.get(code="mhhs")
    report, line = _report_with_a_draft_edit(programme)
    recco = org_id(programme, "RECCo")
    dcc = org_id(programme, "DCC")
    for who, shown in (
        (Principal(Role.PARTICIPANT, 1, programme.pk, recco), False),
        (Principal(Role.STEERING, 1, programme.pk), False),
        (Principal(Role.PARTICIPANT, 1, programme.pk, dcc), True),
        (Principal(Role.PMO, 1, programme.pk), True),
    ):
        entries = record_history(ReportEscalation, line.pk, who, "Escalations")
        words = str([(c.before, c.after) for e in entries for c in e.changes])
        assert ("DRAFT WORDS" in words) is shown, who
    # The line as it stands now (the report published) is everyone's.
    live = Reader(programme, None, Principal(Role.PARTICIPANT, 1, programme.pk, recco))
    assert [r["text"] for r in live.where(ReportEscalation, report_id=report.pk)] == ["Final words"]


def test_declassifying_an_item_does_not_show_what_it_said_while_confidential() -> None:
    programme = Programme.objects.get(code="mhhs")
    item = RaidItem.objects.filter(programme=programme).first()
    assert item is not None
    with acting("tests", "confidential, then declassified"):
        item.classification = "confidential"
        item.description = "CONFIDENTIAL WORDS"
        item.save()
        item.classification = "programme"
        item.description = "Declassified words"
        item.save()
    steering = Principal(Role.STEERING, 1, programme.pk)
    entries = record_history(RaidItem, item.pk, steering, "RAID")
    shown = str([(c.before, c.after) for e in entries for c in e.changes])
    assert "Declassified words" in shown and "CONFIDENTIAL WORDS" not in shown
    pmo_entries = record_history(RaidItem, item.pk, Principal(Role.PMO), "RAID")
    assert "CONFIDENTIAL WORDS" in str(
        [(c.before, c.after) for e in pmo_entries for c in e.changes]
    )


def org_id(programme: Programme, name: str) -> int:
    return int(Organisation.objects.get(programme=programme, name=name).pk)
