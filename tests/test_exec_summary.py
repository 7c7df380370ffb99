"""The executive summary and the milestone timeline: every figure derived from the registers
(examples/mhhs, read by hand below), again after a month of edits made through the models
with history, the timeline's marks, and the public edition's summary holding no secret."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from steerco.charts import TimelineItem, milestone_timeline
from steerco.core.history import acting
from steerco.core.models import Meeting, Programme
from steerco.dashboards import confidence
from steerco.dashboards.milestones import TIMELINE_TITLE, milestones, timeline_svg
from steerco.dashboards.summary import Summary, summary
from steerco.milestones.models import Decision, Milestone
from steerco.organisations.models import Organisation
from steerco.pack.builder import build_document
from steerco.pack.document import Chart, Section
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.html import render_html
from steerco.raid.models import Action, RaidItem
from steerco.reports.models import DeliveryReport
from steerco.rules.frame import build
from tests.canary_support import MEETING, plant
from tests.web_support import make_cast

pytestmark = pytest.mark.django_db

# Between PSG-24's cut-off (6 Sep 2023) and PSG-25's date (4 Oct 2023).
MID_SEPTEMBER = dt.datetime(2023, 9, 20, 12, tzinfo=dt.UTC)
PSG25_CUTOFF = dt.datetime(2023, 10, 4, 9, tzinfo=dt.UTC)


def _summary(code: str) -> Summary:
    programme = Programme.objects.get(code="mhhs")
    return summary(build(programme, Meeting.objects.get(programme=programme, code=code)))


def codes(found: Any) -> list[str]:
    return [m.code for m in found]


# -- PSG-24, as the example holds it -------------------------------------------------------


def test_the_overall_rag_is_the_worst_open_tier_1_milestone_at_each_meeting() -> None:
    found = _summary("PSG-24")
    # milestones.yaml: the two tier-1 milestones are T1-TE-1000 (Yellow) and T1-CP-2000
    # (Green), and each history entry for PSG-23 gives the same RAGs: Yellow at both.
    assert found.tier == "T1"
    assert [(p.meeting, p.date, p.rag) for p in found.trend] == [
        ("PSG-23", dt.date(2023, 8, 2), "yellow"),
        ("PSG-24", dt.date(2023, 9, 6), "yellow"),
    ]
    assert found.rag == "yellow"


def test_psg24_milestones_achieved_slipped_and_at_risk_since_psg23() -> None:
    found = _summary("PSG-24")
    # Blue in milestones.yaml, Green or Yellow in their PSG-23 history: achieved since.
    assert codes(found.achieved) == [
        "T3-DB-0035",
        "T3-TE-0017",
        "T3-TE-0013",
        "T2-TE-0200",
        "T2-RE-0250",
    ]
    assert [m.previous_rag for m in found.achieved] == ["green"] * 3 + ["yellow", "green"]
    # The PSG-23 history records RAGs only, so no forecast is known at PSG-23's cut-off:
    # nothing can be said to have slipped since, and the 22 open milestones (27 less the 5
    # achieved) are counted as not known, never as "0 slipped" silently.
    assert found.slipped == ()
    assert found.unknown_moves == 22
    assert found.milestone_counts == "5 achieved, 0 slipped (22 not known), 5 at risk"
    # At risk: T2-DB-0250 is Red; T3-TE-0019, T2-TE-0250, T1-TE-1000 and T3-TE-0060 are
    # Yellow (by forecast, then code: 01/09, 23/10, 30/10, 30/10). Every other is Green.
    assert codes(found.at_risk) == [
        "T2-DB-0250",
        "T3-TE-0019",
        "T2-TE-0250",
        "T1-TE-1000",
        "T3-TE-0060",
    ]
    red = found.at_risk[0]
    # Baseline Thu 3 Aug → forecast Wed 15 Nov 2023: 104 days = 14 weeks (70 weekdays) and
    # Thu–Tue (4 weekdays), less the summer bank holiday of 28 Aug: 73 working days.
    assert red.slip == 73
    # T3-TE-0019's forecast (1 Sep) is before the meeting (6 Sep) and it is not achieved.
    assert [m.code for m in found.at_risk if m.overdue] == ["T3-TE-0019"]


def test_psg24_top_risks_decisions_actions_and_reports() -> None:
    found = _summary("PSG-24")
    # raid.yaml: of 19 risks only R501 (13, was 16 at PSG-23) and R040 (8, was 9) are scored.
    assert [(r.ref, r.current, r.movement) for r in found.risks] == [
        ("R501", 13, "-3 (16 to 13)"),
        ("R040", 8, "-1 (9 to 8)"),
    ]
    assert found.unscored_risks == 17
    # meetings.yaml: item 2 (Minutes and Actions) is PSG-24's only decision item; the
    # decisions register's CP2 names no meeting.
    assert [(d.source, d.title) for d in found.decisions] == [
        ("Agenda item 2", "Minutes and Actions")
    ]
    # actions.yaml: none closed; due by 6 Sep 2023: PSG18-05 and PSG21-05 (5 Jul), PSG23-02
    # (4 Aug), PSG23-01, PSG23-02 and PSG23-04 (6 Sep) — the first three overdue. PSG20-03 is
    # due 30 Oct; PSG17-05 has only "To be reviewed at CP2".
    assert [(a.ref, a.due) for a in found.actions] == [
        ("PSG18-05", dt.date(2023, 7, 5)),
        ("PSG21-05", dt.date(2023, 7, 5)),
        ("PSG23-02", dt.date(2023, 8, 4)),
        ("PSG23-01", dt.date(2023, 9, 6)),
        ("PSG23-02", dt.date(2023, 9, 6)),
        ("PSG23-04", dt.date(2023, 9, 6)),
    ]
    assert found.overdue_actions == 3
    assert found.undated_actions == 1
    # reports.yaml: eight reports for PSG-24, all published; none for PSG-23.
    assert len(found.returns) == 8 and found.received == 8
    assert {r.organisation for r in found.returns} >= {"DCC", "St Clements", "RECCo"}


# -- a month later ---------------------------------------------------------------------------


def _a_month_of_edits() -> None:
    programme = Programme.objects.get(code="mhhs")
    psg25 = Meeting.objects.get(programme=programme, code="PSG-25")
    with acting("tests", "a month of register updates", at=MID_SEPTEMBER):
        for code, changes in (
            ("T1-TE-1000", {"rag": "red"}),  # M9 now Red
            ("T2-RE-0200", {"forecast_date": dt.date(2023, 10, 11)}),  # was 27 Sep
            ("T3-DB-0083", {"rag": "blue"}),  # achieved
        ):
            milestone = Milestone.objects.get(programme=programme, code=code)
            for name, value in changes.items():
                setattr(milestone, name, value)
            milestone.save()
        risk = RaidItem.objects.get(programme=programme, ref="R040")
        risk.current_score = 20
        risk.save()
        action = Action.objects.get(programme=programme, ref="PSG18-05")
        action.status = "closed"
        action.save()
        Decision.objects.create(
            programme=programme, meeting=psg25, ref="M9-GO", title="M9 go/no-go", decided_by="PSG"
        )
        DeliveryReport.objects.create(
            programme=programme,
            meeting=psg25,
            organisation=Organisation.objects.get(programme=programme, name="DCC"),
            title="Monthly Delivery Report – DCC (October)",
            status="submitted",
        )
    Meeting.objects.filter(pk=psg25.pk).update(state="frozen", cutoff=PSG25_CUTOFF)


def test_after_a_month_of_edits_the_figures_move_as_the_edits_say() -> None:
    _a_month_of_edits()
    found = _summary("PSG-25")
    assert (found.meeting, found.previous, found.date) == ("PSG-25", "PSG-24", dt.date(2023, 10, 4))
    # T1-TE-1000 Red: the programme is Red at PSG-25; PSG-23 and PSG-24 stay as they were.
    assert [(p.meeting, p.rag) for p in found.trend] == [
        ("PSG-23", "yellow"),
        ("PSG-24", "yellow"),
        ("PSG-25", "red"),
    ]
    # Achieved since PSG-24: T3-DB-0083 only (the five Blue at PSG-24 were achieved before).
    assert codes(found.achieved) == ["T3-DB-0083"]
    # T2-RE-0200's forecast moved Wed 27 Sep → Wed 11 Oct: two weeks, 10 working days; it is
    # now Thu 14 Sep (baseline) → Wed 11 Oct: 19 working days past baseline.
    assert [(m.code, m.moved, m.slip) for m in found.slipped] == [("T2-RE-0200", 10, 19)]
    assert found.unknown_moves == 0  # every forecast is known at PSG-24's cut-off
    assert found.milestone_counts == "1 achieved, 1 slipped, 5 at risk"
    assert codes(found.at_risk) == [
        "T1-TE-1000",  # Red, 30 Oct
        "T2-DB-0250",  # Red, 15 Nov
        "T3-TE-0019",
        "T2-TE-0250",
        "T3-TE-0060",
    ]
    # R040 went 8 → 20 and is now the top risk; R501 did not move.
    assert [(r.ref, r.current, r.movement) for r in found.risks] == [
        ("R040", 20, "+12 (8 to 20)"),
        ("R501", 13, "No change"),
    ]
    assert [(d.source, d.title) for d in found.decisions] == [("Decision M9-GO", "M9 go/no-go")]
    # PSG18-05 closed; the other five due by 6 Sep are all overdue by 4 Oct.
    assert [a.ref for a in found.actions] == [
        "PSG21-05",
        "PSG23-02",
        "PSG23-01",
        "PSG23-02",
        "PSG23-04",
    ]
    assert found.overdue_actions == 5
    # Due: the eight that reported for PSG-24; DCC has submitted for PSG-25.
    assert (found.received, len(found.returns)) == (1, 8)
    assert [r.organisation for r in found.returns if r.received] == ["DCC"]
    # PSG-24's summary, frozen at its cut-off, is unchanged by the month's edits.
    assert _summary("PSG-24").rag == "yellow" and codes(_summary("PSG-24").slipped) == []


# -- the milestone timeline ----------------------------------------------------------------


def test_the_timeline_draws_every_tier_1_and_2_milestone_a_today_line_and_a_legend() -> None:
    programme = Programme.objects.get(code="mhhs")
    frame = build(programme, Meeting.objects.get(programme=programme, code="PSG-24"))
    found = milestones(frame)
    svg = timeline_svg(found, "Cut-off 6 Sep 2023")
    wanted = [m.code for m in found.milestones if m.tier in ("T1", "T2")]
    assert len(wanted) == 15  # milestones.yaml: 2 of tier 1, 13 of tier 2
    assert [c for c in wanted if c not in svg] == []
    assert "T3-TE-0060" not in svg  # tier 3 stays in the tables
    assert [name for name, _ in found.lanes] == ["Tier 1", "Tier 2"]
    # The governing body beside the code; T2-DB-0250's 73 working days at its row's end.
    assert "T1-TE-1000 · PSG" in svg and "+73 wd" in svg
    # The today line (dashed, full height) and its legend entry.
    assert svg.count('stroke-dasharray="4 2"') == 2 and "Cut-off 6 Sep 2023" in svg
    for word in ("Baseline", "Forecast", "Achieved", "Slip past baseline", "Ahead of baseline"):
        assert f">{word}</text>" in svg


def test_the_timeline_is_in_the_pack_and_on_the_milestones_dashboard() -> None:
    programme = Programme.objects.get(code="mhhs")
    frame = build(programme, Meeting.objects.get(programme=programme, code="PSG-24"))
    document = build_document(frame, [], AUDIENCES[Edition.PMO])
    reporting = next(s for s in document.sections if s.anchor == "programme-reporting")
    (chart,) = [b for b in reporting.blocks if isinstance(b, Chart)]
    # No chart data: PowerPoint places it as a picture of the SVG (slides.py).
    assert chart.title == TIMELINE_TITLE and chart.data is None
    assert "Cut-off 6 Sep 2023" in chart.svg
    cast = make_cast()
    page = cast.client("pmo").get("/p/mhhs/dashboards/milestones/").content.decode()
    assert TIMELINE_TITLE in page and "T1-TE-1000 · PSG" in page and "Today " in page


def test_a_today_far_from_every_milestone_stands_at_the_edge_saying_which_way() -> None:
    items = (
        TimelineItem("T1-XX-0001", "PSG", dt.date(2023, 8, 1), dt.date(2023, 9, 1), 23, False),
    )
    svg = milestone_timeline("t", [("Tier 1", items)], ("Today 5 Dec 2026", dt.date(2026, 12, 5)))
    assert "Today 5 Dec 2026 →" in svg
    assert "2026" not in svg.replace("Today 5 Dec 2026", "")  # the axis keeps to 2023


def test_a_milestone_without_dates_keeps_its_row_and_says_its_slip_is_unknown() -> None:
    items = (TimelineItem("T1-XX-0001", "", None, None, None, False),)
    svg = milestone_timeline("t", [("Tier 1", items)], ("Today", dt.date(2024, 1, 1)))
    assert "T1-XX-0001" in svg and "slip unknown" in svg


# -- the pack's page, and what the public edition may see -----------------------------------


def test_the_summary_page_follows_the_agenda_in_the_pack() -> None:
    programme = Programme.objects.get(code="mhhs")
    frame = build(programme, Meeting.objects.get(programme=programme, code="PSG-24"))
    document = build_document(frame, [], AUDIENCES[Edition.MEMBERS])
    anchors = [s.anchor for s in document.sections]
    assert anchors[:3] == ["agenda", "executive-summary", "minutes-and-actions"]


def _summary_html(section: Section, template: Any) -> str:
    template.sections = [section]
    return render_html(template)


def test_the_public_editions_summary_holds_no_secret_and_the_pmos_does() -> None:
    cast = make_cast()
    planted = plant(cast)
    seen: dict[Edition, str] = {}
    for edition in (Edition.PUBLIC, Edition.PMO):
        audience = AUDIENCES[edition]
        frame = build(cast.programme, planted.meeting, who=audience.audience)
        document = build_document(frame, [], audience)
        section = next(s for s in document.sections if s.anchor == "executive-summary")
        seen[edition] = _summary_html(section, document)
    hidden = [s.word for s in planted.secrets if "public" not in s.readers]
    assert [w for w in hidden if w in seen[Edition.PUBLIC]] == []
    # The control: the PMO's summary of the same meeting shows planted secrets, so a
    # summary that read nothing could not pass.
    assert [w for w in hidden if w in seen[Edition.PMO]]
    assert MEETING in seen[Edition.PUBLIC]


def test_the_summary_lists_the_milestones_least_likely_to_hold_as_the_dashboard_does() -> None:
    """Issue 19: the executive summary names the lowest derived confidences — the one
    computation the milestones dashboard shows, least likely first — and the pack prints them."""
    _a_month_of_edits()
    programme = Programme.objects.get(code="mhhs")
    frame = build(programme, Meeting.objects.get(programme=programme, code="PSG-25"))
    found = summary(frame)
    assert found.least_credible, "three meetings of history judge some milestones"
    assert [m.key for m in found.least_credible] == [m.key for m in confidence.lowest(frame, 5)]
    chances = [m.probability for m in found.least_credible]
    assert chances == sorted(chances)
    assert [m.key for m in found.least_credible] == [
        m.key for m in milestones(frame).least_credible[: len(found.least_credible)]
    ]
