"""What-if on the MHHS example: M9 moved two weeks, pinned with the dates its rules give
(checked by hand against the seed's SIT CIT Readiness grid); applying it in one step with
the what-if in history, discarding it, and refusing a stale proposal — from the command
line and on the milestone's page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from steerco.core.history import acting
from steerco.core.models import Programme
from steerco.milestones.models import Milestone, TimetableCell
from steerco.rules.frame import build
from steerco.rules.whatif import propose
from steerco.rules.whatif_apply import StaleProposal, apply, schedule_version
from tests.web_support import make_cast

pytestmark = pytest.mark.django_db

D = dt.date
M9, TWO_WEEKS_LATER = "T1-TE-1000", D(2023, 11, 13)
CIT1 = "SIT CIT Readiness: {} / CIT Interval 1"


@pytest.fixture
def mhhs() -> Programme:
    return Programme.objects.get(code="mhhs")


def history_rows() -> int:
    return Milestone.history.count() + TimetableCell.history.count()  # type: ignore[attr-defined]


def test_m9_two_weeks_later_moves_cit_interval_1_and_its_tmag_milestones(mhhs: Programme) -> None:
    proposal = propose(build(mhhs), M9, TWO_WEEKS_LATER)
    # Mon 30 Oct → Mon 13 Nov 2023 (no bank holiday between): CIT Interval 1 starts with M9
    # ("CIT Interval 1 Start = PSG Milestone (M9)") and so does T3-TE-0060 (the tier-3
    # "Component Integration Testing Interval 1 Start", tied to the same cell); the TMAG
    # milestone "SIT CIT Ready to Start" is one week before the start: Mon 6 Nov.
    assert [(m.record, m.old, m.new, m.working_days) for m in proposal.moves] == [
        (M9, D(2023, 10, 30), D(2023, 11, 13), 10),
        (CIT1.format("SIT CIT Start"), D(2023, 10, 30), D(2023, 11, 13), 10),
        (
            CIT1.format("SIT CIT Ready to Start (TMAG Milestone)"),
            D(2023, 10, 23),
            D(2023, 11, 6),
            10,
        ),
        ("T3-TE-0060", D(2023, 10, 30), D(2023, 11, 13), 10),
    ]
    # The SI's readiness report (Fri 6 Oct) is due on or before two weeks before Ready to
    # Start: already far enough before, it stays; T2-TE-0250, M9's predecessor, stays too;
    # CIT Intervals 2-6 have rules of their own interval only.
    assert proposal.moves[2].rule == (
        "'SIT CIT Ready to Start (TMAG Milestone)' = 'SIT CIT Start' -1 week"
    )
    assert [(g.gate, g.changed) for g in proposal.gates] == [
        ("To approve T1-TE-1000", False),
        ("To approve T3-TE-0060", False),
    ]
    assert not any(f.rule == "schedule-relation" for f in proposal.raised)


def test_applying_writes_every_move_in_history_with_the_what_if_as_reason(mhhs: Programme) -> None:
    version = schedule_version(mhhs)
    proposal = propose(build(mhhs), M9, TWO_WEEKS_LATER)
    with acting("tests", "what-if"):
        assert apply(mhhs, proposal, "SIT start agreed later", version) == 4
    m9 = Milestone.objects.get(programme=mhhs, code=M9)
    assert m9.forecast_date == TWO_WEEKS_LATER
    newest = m9.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert newest.history_change_reason == (
        "what-if: T1-TE-1000 to Mon 13 Nov 2023 — SIT start agreed later"
    )
    ready = TimetableCell.objects.get(activity__key="sit-cit-ready-to-start", interval__order=1)
    assert (ready.date, ready.stated) == (D(2023, 11, 6), "6 Nov 23")
    reason = ready.history.order_by("-history_id").first().history_change_reason  # type: ignore[attr-defined]
    assert reason.startswith("what-if: T1-TE-1000 to Mon 13 Nov 2023 — SIT start agreed later")
    assert reason.endswith(
        "(moved by the rule 'SIT CIT Ready to Start (TMAG Milestone)' = 'SIT CIT Start' -1 week)"
    )
    assert schedule_version(mhhs) != version


def test_a_stale_proposal_is_refused_and_writes_nothing(mhhs: Programme) -> None:
    version = schedule_version(mhhs)
    proposal = propose(build(mhhs), M9, TWO_WEEKS_LATER)
    other = Milestone.objects.get(programme=mhhs, code="T2-TE-0250")
    with acting("tests", "someone else's edit"):
        other.commentary = "Edited meanwhile"
        other.save()
    before = history_rows()
    with pytest.raises(StaleProposal), acting("tests", "what-if"):
        apply(mhhs, proposal, "too late", version)
    assert history_rows() == before
    assert Milestone.objects.get(programme=mhhs, code=M9).forecast_date == D(2023, 10, 30)


def test_the_command_prints_the_proposal_and_writes_nothing_without_apply() -> None:
    before, out = history_rows(), io.StringIO()
    call_command("what_if", "--milestone", M9, "--date", "2023-11-13", stdout=out)
    assert "Mon 06 Nov 2023" in out.getvalue() and "T3-TE-0060" in out.getvalue()
    assert history_rows() == before
    with pytest.raises(CommandError, match="needs --reason"):
        call_command("what_if", "--milestone", M9, "--date", "2023-11-13", "--apply")


def test_the_command_applies_with_a_reason(mhhs: Programme) -> None:
    call_command(
        "what_if",
        "--milestone",
        M9,
        "--date",
        "2023-11-13",
        "--apply",
        "--reason",
        "agreed",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    m9 = Milestone.objects.get(programme=mhhs, code=M9)
    newest = m9.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert newest.history_change_reason.endswith("— agreed")
    assert newest.history_actor.endswith("via steerco what-if")


def test_the_pmo_proposes_on_the_milestone_page_then_applies_it(mhhs: Programme) -> None:
    client = make_cast().client("pmo")
    m9 = Milestone.objects.get(programme=mhhs, code=M9)
    item = client.get(f"/p/mhhs/registers/milestones/{m9.pk}/")
    assert b"/p/mhhs/milestones/T1-TE-1000/what-if/" in item.content
    before = history_rows()
    shown = client.get("/p/mhhs/milestones/T1-TE-1000/what-if/", {"date": "2023-11-13"})
    assert shown.status_code == 200
    assert "Mon 6 Nov 2023" in shown.content.decode()
    assert history_rows() == before  # proposing (and discarding: leaving) writes nothing
    version = shown.context["apply"].initial["version"]
    done = client.post(
        "/p/mhhs/milestones/T1-TE-1000/what-if/",
        {"date": "2023-11-13", "version": version, "reason": "SIT start agreed later"},
    )
    assert done.status_code == 302 and done["Location"].endswith("#history")
    m9.refresh_from_db()
    assert m9.forecast_date == TWO_WEEKS_LATER
    newest = m9.history.order_by("-history_id").first()  # type: ignore[attr-defined]
    assert newest.history_user.username == make_cast().users["pmo"].username


def test_the_page_refuses_a_stale_apply_with_the_fresh_proposal(mhhs: Programme) -> None:
    client = make_cast().client("pmo")
    shown = client.get("/p/mhhs/milestones/T1-TE-1000/what-if/", {"date": "2023-11-13"})
    version = shown.context["apply"].initial["version"]
    with acting("tests", "someone else's edit"):
        cell = TimetableCell.objects.get(activity__key="dip-onboarding-complete", interval__order=1)
        cell.date = D(2023, 10, 12)
        cell.save()
    before = history_rows()
    refused = client.post(
        "/p/mhhs/milestones/T1-TE-1000/what-if/",
        {"date": "2023-11-13", "version": version, "reason": "late"},
    )
    assert refused.status_code == 409
    assert "nothing was written" in refused.content.decode()
    assert history_rows() == before
    assert refused.context["apply"].initial["version"] == schedule_version(mhhs)


def test_a_non_working_day_is_refused_on_the_page() -> None:
    client = make_cast().client("pmo")
    shown = client.get("/p/mhhs/milestones/T1-TE-1000/what-if/", {"date": "2023-12-25"})
    assert shown.status_code == 400
    assert "not a working day (Christmas Day)" in shown.content.decode()
