"""Each rule kind finds a planted fault and stays silent on a clean programme."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from steerco.core.models import Meeting, Programme
from steerco.io.loader import load
from steerco.rules.findings import Finding, check
from steerco.rules.frame import build

pytestmark = pytest.mark.django_db
CLEAN = Path(__file__).parent / "fixtures" / "clean"


def findings_of(directory: Path) -> list[Finding]:
    programme = load(directory, actor="tests").programme
    meeting = Meeting.objects.get(programme=programme, code="PSG-2")
    return check(build(programme, meeting))


def planted(tmp_path: Path, name: str, old: str, new: str) -> list[Finding]:
    target = tmp_path / "clean"
    shutil.copytree(CLEAN, target)
    path = target / name
    text = path.read_text()
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1))
    return findings_of(target)


def test_the_clean_programme_has_no_findings() -> None:
    assert findings_of(CLEAN) == []


PLANTS = [
    # (file, old, new, rule, record fragment, severity)
    ("actions.yaml", "ref: PSG01-02", "ref: PSG01-01", "duplicate-ref", "action PSG01-01", "error"),
    (
        "milestones.yaml",
        "predecessor_code: T2-TE-0001",
        "predecessor_code: T2-TE-0009",
        "missing-reference",
        "T1-TE-0002 predecessor",
        "error",
    ),
    (
        "gates.yaml",
        "target_code: T2-TE-0001",
        "target_code: TE-TE-0001",
        "missing-reference",
        "criterion 1",
        "error",
    ),
    (
        "reports.yaml",
        "stated_name: Beta Networks, organisation: Beta Networks",
        "stated_name: Btea Networks",
        "unknown-organisation",
        "Btea Networks",
        "warning",
    ),
    (
        "milestones.yaml",
        "forecast_date: 2023-10-23",
        "forecast_date: 2023-11-06",
        "schedule-relation",
        "milestone T1-TE-0002",
        "error",
    ),
    (
        "milestones.yaml",
        "baseline_date: 2023-10-30",
        "baseline_date: 2023-10-29",
        "non-working-day",
        "milestone T1-TE-0002",
        "warning",
    ),
    (
        "milestones.yaml",
        "forecast_date: 2023-10-23\n    rag: green",
        "forecast_date: 2023-09-01\n    rag: green",
        "milestone-overdue",
        "T2-TE-0001",
        "warning",
    ),
    (
        "milestones.yaml",
        "forecast_date: 2023-10-30\n    rag: green",
        "forecast_date: 2024-03-29\n    rag: green",
        "rag-far-from-suggested",
        "T1-TE-0002",
        "warning",
    ),
    (
        "timetables.yaml",
        "{interval: 2, date: 2023-11-06, stated: 6 Nov 23}",
        "{interval: 2, date: 2023-11-07, stated: 7 Nov 23}",
        "schedule-relation",
        "Ready to start / Interval 2",
        "error",
    ),
    (
        "timetables.yaml",
        "{interval: 1, date: 2023-10-13, stated: 13 Oct 23}",
        "{interval: 1, date: 2023-10-12, stated: 12 Oct 23}",
        "schedule-relation",
        "Report reviewed / Interval 1",
        "error",
    ),
    (
        "timetables.yaml",
        "{interval: 1, date: 2023-10-30, stated: 30 Oct 23}",
        "{interval: 1, date: 2023-10-31, stated: 31 Oct 23}",
        "schedule-relation",
        "Start / Interval 1",
        "error",
    ),
    (
        "timetables.yaml",
        "{interval: 2, date: 2023-10-27, stated: 27 Oct 23}",
        "{interval: 2, date: 2023-10-28, stated: 28 Oct 23}",
        "non-working-day",
        "Report issued / Interval 2",
        "warning",
    ),
    (
        "timetables.yaml",
        "{relation: equals, of: start, weeks: -1}",
        "{relation: equals, of: finish, weeks: -1}",
        "bad-rule",
        "Ready to start",
        "error",
    ),
    (
        "meetings.yaml",
        'stated_start: "10:10", stated_end: "10:30"',
        'stated_start: "10:05", stated_end: "10:25"',
        "agenda-slot",
        "agenda item 2",
        "error",
    ),
    (
        "meetings.yaml",
        'duration_minutes: 10, stated_start: "10:00", stated_end: "10:10"',
        'duration_minutes: 10, stated_start: "10:00", stated_end: "10:05"',
        "agenda-duration",
        "agenda item 1",
        "error",
    ),
    (
        "meetings.yaml",
        "slide_duration_minutes: 20",
        "slide_duration_minutes: 15",
        "agenda-duration",
        "agenda item 2",
        "warning",
    ),
    (
        "meetings.yaml",
        "slide_type: decision",
        "slide_type: discussion",
        "agenda-type",
        "agenda item 2",
        "warning",
    ),
    (
        "meetings.yaml",
        'end_time: "10:30"',
        'end_time: "10:40"',
        "agenda-total",
        "PSG-2 agenda",
        "error",
    ),
    (
        "finance.yaml",
        'month: null, amount: 2.30, stated: "2.30"',
        'month: null, amount: 2.40, stated: "2.40"',
        "total-mismatch",
        "A Budget: Total",
        "error",
    ),
    (
        "finance.yaml",
        'month: 2023-05-01, amount: 1.70, stated: "1.70"',
        'month: 2023-05-01, amount: 1.90, stated: "1.90"',
        "total-mismatch",
        "Total Budget: May 2023",
        "error",
    ),
    (
        "trackers.yaml",
        'label: BSC, value: 2, stated: "2"',
        'label: BSC, value: 3, stated: "3"',
        "total-mismatch",
        "Industry code changes",
        "error",
    ),
    (
        "trackers.yaml",
        "target_date: 2023-08-23, status: Complete",
        "target_date: 2023-08-23, status: Green",
        "milestone-overdue",
        "Registration approved",
        "warning",
    ),
    ("gates.yaml", "state: met", "state: not_met", "gate-unmet", "To approve T1-TE-0002", "error"),
    (
        "market-roles.yaml",
        "stated_confirmed: 2",
        "stated_confirmed: 1",
        "mvc-no-contingency",
        "market role Supplier",
        "warning",
    ),
    (
        "market-roles.yaml",
        "mvc_required: 1",
        "mvc_required: 3",
        "mvc-shortfall",
        "market role Supplier",
        "error",
    ),
    (
        "actions.yaml",
        "due_date: 2023-10-04, status: ongoing",
        "due_date: 2023-09-04, status: ongoing",
        "action-overdue",
        "action PSG01-01",
        "warning",
    ),
    (
        "raid.yaml",
        'stated_movement: "-1 (9 to 8)"',
        'stated_movement: "No change"',
        "movement-mismatch",
        "RAID item R001",
        "error",
    ),
    (
        "raid.yaml",
        "stated_movement: New item",
        "stated_movement: No change",
        "movement-mismatch",
        "RAID item R002",
        "error",
    ),
    (
        "reports.yaml",
        "report_date: 2023-08-30",
        "report_date: 2024-08-30",
        "report-date",
        "Monthly Delivery Report – Beta",
        "error",
    ),
    (
        "reports.yaml",
        "forecast_date: 2023-10-30}",
        "forecast_date: 2023-11-01}",
        "report-milestone",
        "M9 – SIT start",
        "warning",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "rule", "record", "severity"),
    PLANTS,
    ids=[f"{p[3]}:{p[4]}" for p in PLANTS],
)
def test_a_planted_fault_is_found(
    tmp_path: Path, name: str, old: str, new: str, rule: str, record: str, severity: str
) -> None:
    found = planted(tmp_path, name, old, new)
    matching = [f for f in found if f.rule == rule and record in f.record]
    assert matching, f"no {rule} finding on {record}: {found}"
    assert {f.severity for f in matching} == {severity}
    assert all(f.expected and f.found and f.message for f in matching)


def test_findings_are_of_the_frozen_meeting_not_of_later_edits() -> None:
    programme = load(CLEAN, actor="tests").programme
    from steerco.core.history import acting
    from steerco.raid.models import Action

    action = Action.objects.get(programme=programme, ref="PSG01-02")
    with acting("tests", "a later edit"):
        action.ref = "PSG01-01"
        action.save()
    meeting = Meeting.objects.get(programme=programme, code="PSG-2")
    assert check(build(programme, meeting)) == []
    live = check(build(programme, None))
    assert any(f.rule == "duplicate-ref" for f in live)
    assert Programme.objects.filter(code="clean").exists()
