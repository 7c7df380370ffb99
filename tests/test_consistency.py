"""The consistency rules (`steerco.rules.consistency`): each kind finds a planted fault in a
copy of the clean programme, names the meeting whose pack it concerns, keeps to its settings,
and finds in the MHHS example only what PSG #24's pack really gets wrong."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from steerco.core.models import Meeting, Programme
from steerco.rules import prose_dates
from steerco.rules.consistency import _order
from steerco.rules.findings import Finding, check
from steerco.rules.frame import build
from tests.test_findings import CLEAN, findings_of

pytestmark = pytest.mark.django_db

KINDS = {
    "stated-twice",
    "impossible-date",
    "milestone-order",
    "report-overdue",
    "report-milestone",
    "near-organisation-name",
}
# rules_config to plant in programme.yaml
CONFIG = "  current_meeting_code: PSG-2\n"


def plant(tmp_path: Path, *edits: tuple[str, str, str]) -> list[Finding]:
    """The findings of a copy of the clean programme with each (file, old, new) made."""
    target = tmp_path / "clean"
    shutil.copytree(CLEAN, target)
    for name, old, new in edits:
        path = target / name
        text = path.read_text()
        assert old in text, f"{old!r} is not in {name}"
        path.write_text(text.replace(old, new, 1))
    return findings_of(target)


def configured(settings: str) -> tuple[str, str, str]:
    return ("programme.yaml", CONFIG, f"{CONFIG}  rules_config: {{consistency: {settings}}}\n")


PLANTS = [
    # (edits, rule, record fragment, found fragment)
    (
        [("reports.yaml", "{text: Clarity on the test data,", "{text: Choose the test tool,")],
        "stated-twice",
        "Monthly Delivery Report – Beta': Choose the test tool",
        "Sept'23 (escalations)",
    ),
    (
        [
            (
                "reports.yaml",
                "rag: green}",
                "rag: green}\n  - {table: sit-readiness, "
                "stated_name: Beta Networks, organisation: Beta Networks, rag: amber}",
            )
        ],
        "stated-twice",
        "provider status of Beta Networks",
        "green (the sit-status table)",
    ),
    (
        [("actions.yaml", "text: Circulate slides", "text: Book the room")],
        "stated-twice",
        "action 'Book the room'",
        "action PSG01-02",
    ),
    (
        [("meetings.yaml", "19 August 2023", "19 August 3034")],
        "impossible-date",
        "narrative 'Wider updates'",
        "'19 August 3034' (body)",
    ),
    (
        [("meetings.yaml", "Oct '23", "Sept 2033")],
        "impossible-date",
        "narrative 'Wider updates'",
        "'Sept 2033'",
    ),
    (
        [("reports.yaml", "19/08/2023", "30/09/2203")],
        "impossible-date",
        "delivery report 'Monthly Delivery Report – Beta'",
        "'30/09/2203' (progress last month)",
    ),
    (
        [("milestones.yaml", "baseline_date: 2023-10-30", "baseline_date: 2203-10-30")],
        "impossible-date",
        "milestone T1-TE-0002",
        "(baseline date)",
    ),
    (
        [configured("{span: {start: 2023-01-01, end: 2023-12-31}, span_margin_years: 0}")],
        "impossible-date",
        "Monthly Delivery Report – Beta",
        "Fri 29 Mar 2024' (milestones 5 baseline date)",
    ),
    (
        [
            (
                "reports.yaml",
                "Build complete, baseline_date: 2023-08-11",
                "Build complete, baseline_date: 2022-08-11",
            )
        ],
        "milestone-order",
        "Monthly Delivery Report – Beta': milestones",
        "'Build complete' Thu 11 Aug 2022 after 'Design complete'",
    ),
    (
        [("reports.yaml", "by_when_stated: 29/09/2023", "by_when_stated: 01/09/2023")],
        "report-overdue",
        "Beta': Choose the test tool",
        "still listed at Wed 06 Sep 2023",
    ),
    (
        [("reports.yaml", "by_when_stated: End Sept'23", "by_when_stated: End Aug'23")],
        "report-overdue",
        "Beta': Clarity on the test data",
        "still listed",
    ),
    (
        [("reports.yaml", "due_stated: 29/09/23", "due_stated: 29/08/23")],
        "report-overdue",
        "Beta': Environments late",
        "still listed",
    ),
    (
        [
            (
                "reports.yaml",
                "Preparation complete, baseline_date: 2023-10-23, forecast_date: 2023-10-23",
                "Preparation complete, baseline_date: 2023-10-23, forecast_date: 2023-10-25",
            )
        ],
        "report-milestone",
        "Beta': Preparation complete",
        "Wed 25 Oct 2023 (the report's forecast)",
    ),
    (
        [
            (
                "reports.yaml",
                "M9 – SIT start, baseline_date: 2023-10-30",
                "M9 – SIT start, baseline_date: 2023-10-31",
            )
        ],
        "report-milestone",
        "Beta': M9 – SIT start",
        "Tue 31 Oct 2023 (the report's baseline)",
    ),
    (
        [("reports.yaml", "name: SIT complete", "name: T1-TE-0002 done")],
        "report-milestone",
        "Beta': T1-TE-0002 done",
        "Fri 29 Mar 2024 (the report's baseline)",
    ),
    (
        [configured("{milestone_aliases: {T2-TE-0001: [Build complete]}}")],
        "report-milestone",
        "Beta': Build complete",
        "Fri 11 Aug 2023 (the report's forecast)",
    ),
    (
        [("meetings.yaml", "Beta Networks presented", "Beta Netwroks presented")],
        "near-organisation-name",
        "narrative 'Wider updates'",
        "'Beta Netwroks' (body)",
    ),
    (
        [("reports.yaml", "owner: Beta Networks", "owner: Alpah")],
        "near-organisation-name",
        "delivery report 'Monthly Delivery Report – Beta'",
        "'Alpah' (raid 1 owner)",
    ),
]


@pytest.mark.parametrize(
    ("edits", "rule", "record", "found"), PLANTS, ids=[f"{p[1]}:{p[3]}" for p in PLANTS]
)
def test_a_planted_inconsistency_is_found(
    tmp_path: Path, edits: list[tuple[str, str, str]], rule: str, record: str, found: str
) -> None:
    matching = [f for f in plant(tmp_path, *edits) if f.rule == rule and record in f.record]
    assert matching, f"no {rule} finding on {record}"
    assert any(found in f.found for f in matching), matching
    for finding in matching:
        assert finding.severity == "warning"
        assert finding.record.startswith("PSG-2: ")  # the meeting whose pack it concerns
        assert finding.expected and finding.message


SILENT = [
    # (edits, rule): what the rule must let pass
    ([("reports.yaml", "by_when_stated: 29/09/2023", "by_when_stated: ASAP")], "report-overdue"),
    (
        [
            ("reports.yaml", "due_stated: 29/09/23", "due_stated: 29/08/23"),
            ("reports.yaml", "action: Chase the supplier", "action: Chased the supplier. CLOSED"),
        ],
        "report-overdue",
    ),
    # a step back of under order_min_step_days: a list grouped by theme, not a mistake
    (
        [
            (
                "reports.yaml",
                "Build complete, baseline_date: 2023-08-11",
                "Build complete, baseline_date: 2023-04-03",
            )
        ],
        "milestone-order",
    ),
    # a list naming a milestone twice (once per route, as the LDSO tables do)
    (
        [
            (
                "reports.yaml",
                "Build complete, baseline_date: 2023-08-11",
                "Build complete, baseline_date: 2022-08-11",
            ),
            ("reports.yaml", "name: SIT complete", "name: Design complete"),
        ],
        "milestone-order",
    ),
    (
        [
            ("meetings.yaml", "Beta Networks presented", "Beta Netwroks presented"),
            configured("{name_threshold: 0.95}"),
        ],
        "near-organisation-name",
    ),
    # within the configured span and margin
    (
        [configured("{span: {start: 2023-01-01, end: 2023-12-31}, span_margin_years: 1}")],
        "impossible-date",
    ),
]


@pytest.mark.parametrize(
    ("edits", "rule"), SILENT, ids=[f"{s[1]}-{n}" for n, s in enumerate(SILENT)]
)
def test_what_a_rule_lets_pass(
    tmp_path: Path, edits: list[tuple[str, str, str]], rule: str
) -> None:
    assert [f for f in plant(tmp_path, *edits) if f.rule == rule] == []


def test_dates_are_read_from_prose_as_packs_write_them() -> None:
    cases = {
        "approved for the 19 August 3034.": dt.date(3034, 8, 19),
        "by 30/09/2203": dt.date(2203, 9, 30),
        "Sept 2033": dt.date(2033, 9, 30),
        "End Sept'23": dt.date(2023, 9, 30),
        "Oct '23": dt.date(2023, 10, 31),
        "Governance 22/11//23": dt.date(2023, 11, 22),
        "30 th Oct 23": dt.date(2023, 10, 30),
        "11-Mar-24": dt.date(2024, 3, 11),
        "DINs in Jan-24": dt.date(2024, 1, 31),
        "Q1 2024": dt.date(2024, 3, 31),
    }
    for text, day in cases.items():
        assert prose_dates.parse(text) == day, text
    for text in (
        "23/8 - Sprint",
        "v5.2.2",
        "£1.39 1.60",
        "May 24",
        "10-23 Oct",
        "ASAP",
        "2024/2025",
        "Marketing 2023",
    ):
        assert prose_dates.find(text) == [], text
    assert [s.year for s in prose_dates.find("31/02/2023")] == [2023]
    assert prose_dates.parse("31/02/2023") is None


def test_a_list_is_in_date_order_but_for_one_step_back() -> None:
    days = [dt.date(2023, m, 1) for m in (1, 3, 5, 7)]
    names = ["a", "b", "c", "d"]
    assert _order(names, days, 90) is None
    back = [days[0], days[1], dt.date(2022, 5, 1), days[3]]
    assert _order(names, back, 90) == (1, 2)
    assert _order(names, back, 400) is None  # under the step it takes to count
    twice = [days[3], days[0], days[3], days[1]]  # two steps back: not one sequence
    assert _order(names, twice, 90) is None


# The MHHS example's findings of the consistency rules at PSG-24, each reviewed against the
# pack (../shared/seeds/psg-24-2023-09-06.txt): (rule, record fragment, found fragment).
MHHS_PSG24 = [
    # "The TMAG approved the SIT Data Cut GONG for the 19 August 3034." (TMAG 16 Aug 2023)
    ("impossible-date", "narrative 'Governance group updates'", "'19 August 3034'"),
    # Helix: "Test scenarios submitted 4/08/23" then "CIT development complete 22/08/22"
    (
        "milestone-order",
        "Elexon (Helix)': milestones",
        "'CIT development complete' Mon 22 Aug 2022",
    ),
    # "The Elaxon Qualification Lead…", "Elaxon Delivery Update: Elaxon shared…"
    ("near-organisation-name", "narrative 'Governance group updates'", "'Elaxon'"),
    # DIP: "M9 – SIT start 01/11/23 01/11/23"; T1-TE-1000 (M9) "Mon 30/10/23 Mon 30/10/23"
    (
        "report-milestone",
        "Avanade (DIP)': M9 – SIT start",
        "Wed 01 Nov 2023 (the report's baseline)",
    ),
    (
        "report-milestone",
        "Avanade (DIP)': M9 – SIT start",
        "Wed 01 Nov 2023 (the report's forecast)",
    ),
    # DNOs: "M9 - SIT CIT start 25-08-23 1 High confidence"
    ("report-milestone", "DNOs': M9 - SIT CIT start", "Fri 25 Aug 2023 (the report's forecast)"),
    # DNOs, decisions required from the programme: "CR029 decision - … 01/09/2023"
    ("report-overdue", "DNOs': CR029 decision", "still listed at Wed 06 Sep 2023"),
    # DNOs, decisions to be made by DNOs: "Clarify how Placing Reliance will work … 31/08/2023"
    ("report-overdue", "DNOs': Clarify how Placing Reliance", "still listed at Wed 06 Sep 2023"),
    # DNOs, escalations: "Clarity on Placing Reliance Process for NON Sit Participants 31/08/2023"
    ("report-overdue", "DNOs': Clarity on Placing Reliance Process", "still listed"),
    # DNOs, decisions to be made by DNOs: "Review of UMISO process as defined in Design …
    # 31/08/2023"
    ("report-overdue", "DNOs': Review of UMISO process", "still listed at Wed 06 Sep 2023"),
    # DNOs: "Clarify how Placing Reliance will work …" by 31/08/2023 (to be made by DNOs) and
    # by 31/08/2024 (required from the programme)
    ("stated-twice", "DNOs': Clarify how Placing Reliance", "31/08/2024 (decisions required"),
]


def test_the_mhhs_findings_are_the_reviewed_ones() -> None:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
    found = sorted(
        (f for f in check(build(programme, meeting)) if f.rule in KINDS),
        key=lambda f: (f.rule, f.record, f.found),
    )
    assert len(found) == len(MHHS_PSG24), "\n".join(f"{f.rule} {f.record} {f.found}" for f in found)
    for finding, (rule, record, gist) in zip(found, MHHS_PSG24, strict=True):
        assert (finding.rule, record in finding.record, gist in finding.found) == (rule, True, True)
        assert finding.record.startswith("PSG-24: ")
    # the status table's 'Elxon (Helix)' is judged by unknown-organisation, which names the
    # organisation it is close to rather than raising a second finding
    unknown = [f for f in check(build(programme, meeting)) if f.rule == "unknown-organisation"]
    assert [f.message for f in unknown] == [
        "'Elxon (Helix)' matches no organisation's name or alias; it is close to "
        "'Elexon (Helix)' (Elexon (Helix))."
    ]


def test_a_meeting_without_papers_of_its_own_has_none_of_their_findings() -> None:
    programme = Programme.objects.get(code="mhhs")
    meeting = Meeting.objects.get(programme=programme, code="PSG-25")
    found = [f for f in check(build(programme, meeting)) if f.rule in KINDS]
    assert not [f for f in found if "delivery report" in f.record or "narrative" in f.record]
