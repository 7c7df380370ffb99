"""Participants of two organisations never reach each other's drafts, comments, answers or
triage items: not by URL, not by a form field naming the other organisation, not by API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steerco.portal.models import AssessmentResponse, RaidSubmission
from tests.portal_support import answer_round, open_round, portal_cast, raise_submission, url
from tests.web_support import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return portal_cast()


def test_recco_reaches_none_of_dccs_draft_pages(cast: Cast) -> None:
    recco, pk = cast.client("recco"), cast.draft.pk
    assert recco.get(url("report", pk)).status_code == 404
    assert recco.get(url("report-edit", pk)).status_code == 404
    assert recco.post(url("report-edit", pk), {"overall_rag": "green"}).status_code == 404
    assert recco.post(url("report-submit", pk)).status_code == 404
    assert cast.draft.title.encode() not in recco.get(url("home")).content
    cast.draft.refresh_from_db()
    assert (cast.draft.status, cast.draft.overall_rag) == ("draft", "red")


def test_an_organisation_named_in_a_form_field_is_ignored(cast: Cast) -> None:
    dcc_id = cast.draft.organisation_id
    recco = cast.client("recco")
    response = recco.post(url("report-new"), {"start": "blank", "organisation": dcc_id})
    assert response.status_code == 302
    created = RaidSubmission.objects.none()
    recco.post(
        url("raid-new"),
        {"type": "risk", "title": "Posted as DCC", "description": "x", "organisation": dcc_id},
    )
    created = RaidSubmission.objects.filter(title="Posted as DCC")
    assert created.get().organisation.name == "RECCo"  # type: ignore[union-attr]
    from steerco.reports.models import DeliveryReport

    started = DeliveryReport.objects.filter(meeting__code="PSG-25")
    assert [r.organisation.name for r in started] == ["RECCo"]


def test_the_api_does_not_give_dccs_draft_to_recco(cast: Cast) -> None:
    recco = cast.client("recco")
    item = reverse("api:register-item", args=["mhhs", "reports", cast.draft.pk])
    assert recco.get(item).status_code == 404
    listing = recco.get(reverse("api:register-list", args=["mhhs", "reports"]))
    assert listing.status_code == 200 and cast.draft.title.encode() not in listing.content
    assert cast.client("dcc").get(item).status_code == 200


def test_triage_items_are_the_raisers_and_the_pmos_only(cast: Cast) -> None:
    mine = raise_submission(cast, "dcc", "DCC private worry")
    recco, steering = cast.client("recco"), cast.client("steering")
    assert recco.get(url("raid-submission", mine.pk)).status_code == 404
    assert steering.get(url("raid-submission", mine.pk)).status_code == 404
    assert b"DCC private worry" not in recco.get(url("raid-mine")).content
    assert recco.get(url("triage")).status_code == 403
    assert recco.post(url("raid-decide", mine.pk), {"outcome": "accept"}).status_code == 403
    assert b"DCC private worry" in cast.client("dcc").get(url("raid-mine")).content
    assert b"DCC private worry" in cast.client("pmo").get(url("triage")).content


def test_assessment_answers_are_the_answering_organisations_and_the_pmos_only(
    cast: Cast,
) -> None:
    round_ = open_round(cast.programme)
    response = answer_round(round_, "DCC", "DCC's secret readiness")
    recco = cast.client("recco")
    page = recco.get(url("round-answer", round_.pk))
    assert page.status_code == 200 and b"secret readiness" not in page.content
    assert recco.get(url("round-response", round_.pk, response.pk)).status_code == 403
    assert recco.get(url("round", round_.pk)).status_code == 403
    assert b"secret readiness" in cast.client("dcc").get(url("round-answer", round_.pk)).content
    # RECCo answering writes its own response, never DCC's.
    questions = list(round_.questions.all())  # type: ignore[attr-defined]
    data = {f"text_{q.pk}": "RECCo answer" for q in questions}
    data |= {f"rag_{q.pk}": "green" for q in questions if q.asks_rag}
    assert recco.post(url("round-answer", round_.pk), data).status_code == 302
    texts = {
        r.organisation.name: {a.text for a in r.answers.all()}  # type: ignore[attr-defined]
        for r in AssessmentResponse.objects.filter(round=round_)
    }
    assert texts == {"DCC": {"DCC's secret readiness"}, "RECCo": {"RECCo answer"}}
