"""`steerco check` on the MHHS example: every finding reviewed as true of the source pack."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# Each pair was checked against the PSG #24 text; the closing note of issue 3 says why each
# is real. A new finding here, or one going missing, must be reviewed the same way.
DNOS = "delivery report 'Monthly Delivery Report – DNOs'"
DIP = "delivery report 'Monthly Delivery Report – Avanade (DIP)'"
PLACING = "Clarify how Placing Reliance will work for DNO's during SIT MVC for R…"
REVIEWED = {
    ("agenda-slot", "PSG-24 agenda item 4 (Programme Reporting)"),
    ("agenda-total", "PSG-24 agenda"),
    ("agenda-duration", "PSG-24 agenda item 10 (Summary and Next Steps)"),
    ("agenda-type", "PSG-24 agenda item 5 (SIT Update)"),
    ("duplicate-ref", "action PSG23-02"),
    ("missing-reference", "gate 'To approve T3-TE-0060' criterion 2"),
    ("report-date", "delivery report 'MHHS - Monthly Delivery Report [RECCo]'"),
    *(
        (
            "schedule-relation",
            "SIT CIT Readiness: SI Overarching CIT Test Readiness Report "
            f"reviewed by SITWG / IPA / CIT Interval {n}",
        )
        for n in (4, 5, 6)
    ),
    *(
        ("total-mismatch", f"finance FY 23/24 Total Budget: {month}")
        for month in (
            "Apr 2023",
            "May 2023",
            "Jun 2023",
            "Jul 2023",
            "Aug 2023",
            "Sep 2023",
            "Oct 2023",
            "Nov 2023",
            "Dec 2023",
            "Jan 2024",
            "Feb 2024",
            "Mar 2024",
        )
    ),
    ("action-overdue", "action PSG18-05"),
    ("action-overdue", "action PSG21-05"),
    ("milestone-overdue", "code drafting 'Registration approved at CCAG'"),
    ("milestone-overdue", "milestone T3-TE-0019"),
    *(
        ("mvc-no-contingency", f"market role {r}")
        for r in ("HHDC", "NHHDC", "National Grid (ESO)", "UMSDS")
    ),
    (
        "non-working-day",
        "SIT CIT Readiness: Internal Environment Connectivity Proving Complete / CIT Interval 4",
    ),
    ("unknown-organisation", "provider status 'Elxon (Helix)' (sit-readiness)"),
    # The consistency rules (issue 16), reviewed against the pack in tests/test_consistency.py
    # (MHHS_PSG24, with the pack's lines); the DIP's M9 is two findings, baseline and forecast.
    *(
        (rule, f"PSG-24: {record}")
        for rule, record in (
            ("impossible-date", "narrative 'Governance group updates'"),
            ("near-organisation-name", "narrative 'Governance group updates'"),
            (
                "milestone-order",
                "delivery report 'Monthly Delivery Report – Elexon (Helix)': milestones",
            ),
            ("report-milestone", f"{DIP}: M9 – SIT start"),
            ("report-milestone", f"{DNOS}: M9 - SIT CIT start"),
            (
                "report-overdue",
                f"{DNOS}: CR029 decision - Design issue re requirement to route interfaces via …",
            ),
            ("report-overdue", f"{DNOS}: {PLACING}"),
            (
                "report-overdue",
                f"{DNOS}: Clarity on Placing Reliance Process for NON Sit Participants",
            ),
            ("report-overdue", f"{DNOS}: Review of UMISO process as defined in Design"),
            ("stated-twice", f"{DNOS}: {PLACING}"),
        )
    ),
}


def run_check(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("check", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_the_json_findings_of_psg24_are_exactly_the_reviewed_ones() -> None:
    status, text = run_check("--meeting", "PSG-24", "--format", "json")
    findings = json.loads(text)
    assert status == 1  # there are error-level findings
    assert {(f["rule"], f["record"]) for f in findings} == REVIEWED
    for finding in findings:
        assert set(finding) >= {"severity", "rule", "record", "expected", "found", "message"}
        assert finding["severity"] in ("error", "warning", "info")


def test_the_default_meeting_is_the_programmes_current_one() -> None:
    _, default = run_check("--format", "json")
    _, explicit = run_check("--meeting", "PSG-24", "--format", "json")
    assert default == explicit


def test_the_table_names_the_meeting_and_counts_the_findings() -> None:
    status, text = run_check("--meeting", "PSG-24")
    assert status == 1
    count = len(json.loads(run_check("--meeting", "PSG-24", "--format", "json")[1]))
    assert count == len(REVIEWED) + 1  # the DIP's M9: its baseline and its forecast
    assert f"{count} findings at PSG-24" in text
    assert "TE-TE-0060" in text


def test_psg23_knows_only_what_the_pack_states_for_it() -> None:
    _, text = run_check("--meeting", "PSG-23", "--format", "json")
    rules = {f["rule"] for f in json.loads(text)}
    assert "report-date" not in rules  # reports are first known at PSG-24


def test_djangos_system_checks_are_still_reachable() -> None:
    status, text = run_check("--system")
    assert status == 0 and "no issues" in text


def test_psg25_s_check_covers_its_own_agenda_and_reports_and_names_itself() -> None:
    _, text = run_check("--meeting", "PSG-25", "--format", "json")
    findings = json.loads(text)
    assert findings and {f["meeting"] for f in findings} == {"PSG-25"}
    assert not [f for f in findings if "PSG-24" in f["record"] or f["rule"].startswith("report")]
    assert "movement-mismatch" not in {f["rule"] for f in findings}  # stated for PSG-24
