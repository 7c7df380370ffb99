"""The forecast history and derived confidence where people look, on the MHHS example: a
milestone's page (its slip chart and history), the milestones dashboard (the least credible),
each read as its audience may see it at each meeting's cut-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from steerco.accounts.access import principal_of
from steerco.core.history import acting
from steerco.core.models import Meeting
from steerco.dashboards import confidence
from steerco.milestones.models import Milestone
from steerco.organisations.models import Organisation
from steerco.reports.models import DeliveryReport, ReportMilestone
from steerco.rules.frame import build, live
from tests.api_support import make_callers
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

BEFORE_PSG24 = dt.datetime(2023, 9, 1, 12, tzinfo=dt.UTC)  # PSG-24's cut-off: 6 Sep 2023


@pytest.fixture
def cast() -> Cast:
    confidence.forget()
    return make_cast()


def backdate(*records: Any) -> None:
    """As if written before PSG-24's cut-off: the history reads each meeting at its own."""
    for record in records:
        type(record).history.filter(id=record.pk).update(history_date=BEFORE_PSG24)  # type: ignore[attr-defined]


def drafted(cast: Cast, organisation: str, name: str) -> DeliveryReport:
    programme = cast.programme
    with acting("tests", "a draft with a milestone"):
        report = DeliveryReport.objects.create(
            programme=programme,
            meeting=Meeting.objects.get(programme=programme, code="PSG-24"),
            organisation=Organisation.objects.get(programme=programme, name=organisation),
            title=f"{organisation} draft",
            status="draft",
            order=98,
        )
        line = ReportMilestone.objects.create(
            report=report, order=1, name=name, forecast_date=dt.date(2024, 6, 3), confidence="low"
        )
    backdate(report, line)
    return report


def test_the_milestone_page_shows_its_slip_chart_history_and_float(cast: Cast) -> None:
    record = Milestone.objects.get(programme=cast.programme, code="T2-TE-0250")
    url = reverse("web:register-item", args=["mhhs", "milestones", record.pk])
    page = cast.client("pmo").get(url).content.decode()
    assert "Forecast over the meetings" in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert "T2-TE-0250: forecast date at each meeting" in page
    assert "Forecast = meeting date (due)" in page  # the diagonal, in the legend
    assert "<td>PSG-23</td>" in page and "<td>PSG-24</td>" in page
    # T3-TE-0060 names it as a predecessor: forecast 23 Oct 2023 → 30 Oct 2023.
    assert "Float to T3-TE-0060, the next milestone or gate that depends on it: 5 working" in page


def test_the_dnos_stated_confidence_stands_beside_the_derived_one(cast: Cast) -> None:
    found = confidence.confidences(
        build(cast.programme, cast.programme.meetings.get(code="PSG-24"))
    )
    dnos = [m for m in found.items if m.party == "DNOs" and m.judgement.stated]
    # The DNOs' report: "25-08-23 1 High confidence", "27-Feb-24 1 Medium confidence"…
    stated = {m.title: m.judgement.stated for m in dnos}
    assert stated["M9 - SIT CIT start"] == "high"
    assert stated["SIT (Functional) start"] == "medium"
    judged = next(m for m in dnos if m.title == "SIT (Functional) start")
    assert judged.judgement.estimate is not None
    assert "Stated Medium" in judged.judgement.reason  # with the reason, in words


def test_the_dashboard_lists_the_least_credible_milestones(cast: Cast) -> None:
    url = reverse("web:dashboard", args=["mhhs", "milestones"])
    page = cast.client("pmo").get(url).content.decode()
    assert "Least likely to hold their forecast" in page
    least = confidence.lowest(live(cast.programme, principal_of(cast.users["pmo"])))
    assert least and all(m.probability is not None for m in least)
    assert [m.probability for m in least] == sorted(m.probability or 0 for m in least)
    assert least[0].key in page


def test_a_draft_reports_milestones_are_seen_by_its_own_organisation_only(cast: Cast) -> None:
    drafted(cast, "Avanade (DIP)", "Avanade draft-only milestone")
    backdate(cast.draft)
    with acting("tests", "DCC's own draft milestone"):
        own = ReportMilestone.objects.create(
            report=cast.draft,
            order=1,
            name="DCC own draft milestone",
            forecast_date=dt.date(2024, 6, 3),
        )
    backdate(own)

    def keys(persona: str) -> set[str]:
        who = principal_of(cast.users[persona])
        return {m.key for m in confidence.confidences(live(cast.programme, who)).items}

    assert {"Avanade (DIP): Avanade draft-only milestone", "DCC: DCC own draft milestone"} <= keys(
        "pmo"
    )
    dcc = keys("dcc")
    assert "DCC: DCC own draft milestone" in dcc
    assert "Avanade (DIP): Avanade draft-only milestone" not in dcc
    assert not any("draft" in key for key in keys("public"))


def test_a_computation_kept_is_not_served_to_another_audience_or_after_a_change(
    cast: Cast,
) -> None:
    pmo, dcc = (principal_of(cast.users[p]) for p in ("pmo", "dcc"))
    drafted(cast, "Avanade (DIP)", "Avanade draft-only milestone")
    seen = {m.key for m in confidence.confidences(live(cast.programme, pmo)).items}
    assert "Avanade (DIP): Avanade draft-only milestone" in seen
    hidden = {m.key for m in confidence.confidences(live(cast.programme, dcc)).items}
    assert "Avanade (DIP): Avanade draft-only milestone" not in hidden
    record = Milestone.objects.get(programme=cast.programme, code="T2-TE-0250")
    with acting("tests", "moved"):
        record.title = "Renamed after the computation was kept"
        record.save()
    backdate(record)  # a change at the meeting's cut-off: a new history row all the same
    found = confidence.confidences(live(cast.programme, pmo)).of("T2-TE-0250")
    assert found is not None and found.title == "Renamed after the computation was kept"


def test_the_api_gives_each_milestones_history_and_confidence_now_and_as_of() -> None:
    confidence.forget()
    callers = make_callers()
    client = callers.client("pmo")
    url = reverse("api:milestone-confidence", args=["mhhs"])
    now = client.get(url).json()
    assert now["judged_at"] == "PSG-24" and now["as_of"] is None
    assert now["method"]["tolerance_days"] == 5
    one = next(m for m in now["milestones"] if m["key"] == "T2-TE-0250")
    assert [s["meeting"] for s in one["history"]] == ["PSG-23", "PSG-24"]
    assert (one["float_days"], one["next_dependent"]) == (5, "T3-TE-0060")
    assert one["derived"]["confidence"] in ("high", "medium", "low")
    earlier = client.get(url + "?as_of=PSG-23").json()
    assert earlier["judged_at"] == "PSG-23"
    assert all(len(m["history"]) == 1 for m in earlier["milestones"])
    assert client.get(url + "?as_of=PSG-99").status_code == 400


def test_a_meeting_held_after_the_computation_was_kept_is_read(cast: Cast) -> None:
    pmo = principal_of(cast.users["pmo"])
    assert confidence.confidences(live(cast.programme, pmo)).meeting == "PSG-24"
    next_meeting = Meeting.objects.get(programme=cast.programme, code="PSG-25")
    with acting("tests", "PSG-25 frozen at its cut-off"):
        next_meeting.cutoff = dt.datetime(2023, 10, 4, 9, tzinfo=dt.UTC)
        next_meeting.save()
    found = confidence.confidences(live(cast.programme, pmo))
    assert found.meeting == "PSG-25"
    one = found.of("T2-TE-0250")
    assert one is not None and [s.meeting for s in one.history.steps][-1] == "PSG-25"
