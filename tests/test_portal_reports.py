"""Delivery reports in the portal: started from last month's, edited, checked, moved
through review, and shown once published (a Django test client; the browser test drives
the same cycle in Chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from steerco.portal.services import CHILDREN, REPORT_FIELDS
from steerco.reports.models import DeliveryReport
from steerco.rules.frame import build
from tests.portal_support import form_data, portal_cast, url
from tests.web_support import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return portal_cast()


def start(cast: Cast, key: str = "dcc", how: str = "last") -> DeliveryReport:
    response = cast.client(key).post(url("report-new"), {"start": how})
    assert response.status_code == 302, response.content
    pk = int(response["Location"].rstrip("/").split("/")[-2])
    return DeliveryReport.objects.get(pk=pk)


def children(report: DeliveryReport) -> dict[str, list[tuple[Any, ...]]]:
    skip = {"id", "report"}
    out = {}
    for accessor, model in CHILDREN:
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
        out[accessor] = list(getattr(report, accessor).order_by("order").values_list(*fields))
    return out


def test_a_report_started_from_last_months_carries_over_everything_unchanged(
    cast: Cast,
) -> None:
    last = DeliveryReport.objects.get(title="Monthly Delivery Report – DCC")
    report = start(cast)
    assert (report.meeting.code, report.status, report.organisation_id) == (
        "PSG-25",
        "draft",
        last.organisation_id,
    )
    for name in REPORT_FIELDS:
        assert getattr(report, name) == getattr(last, name), name
    assert children(report) == children(last)
    assert len(children(report)["milestones"]) == 6 and len(children(report)["raid"]) == 7
    # Starting again finds the same report rather than a second one.
    assert start(cast).pk == report.pk


def test_its_history_shows_who_changed_what_and_leaves_unchanged_rows_alone(cast: Cast) -> None:
    report = start(cast)
    milestone = report.milestones.get(name="MP162 SIT complete")
    rows_before = {m: m.history.count() for _, m in CHILDREN}  # type: ignore[attr-defined]
    data = form_data(
        report,
        overall_rag="amber",
        **{f"milestones-{milestone.order - 1}-forecast_date": "2023-11-17"},
    )
    response = cast.client("dcc").post(url("report-edit", report.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    milestone.refresh_from_db()
    assert str(milestone.forecast_date) == "2023-11-17" and milestone.forecast_stated == ""
    assert milestone.baseline_stated == "20-10-23"  # untouched: as the pack printed it
    for _, model in CHILDREN:
        added = model.history.count() - rows_before[model]  # type: ignore[attr-defined]
        assert added == (1 if model.__name__ == "ReportMilestone" else 0), model
    page = cast.client("dcc").get(url("report", report.pk)).content.decode()
    history = page[page.index('id="history"') :]
    assert "mhhs-dcc" in history and "Forecast date" in history and "Overall RAG" in history
    assert "started from Monthly Delivery Report – DCC (PSG-24)" in history


def bad(report: DeliveryReport, **changes: str) -> dict[str, str]:
    return form_data(report, **changes)


def test_bad_input_gives_clear_errors_and_saves_nothing(cast: Cast) -> None:
    report = start(cast)
    before = (DeliveryReport.objects.filter(pk=report.pk).values().get(), children(report))
    cases = {
        "report_date": ({"report_date": ""}, "This field is required."),
        "overall rag": ({"overall_rag": "purple"}, "Select a valid choice."),
        "dimension rag": ({"plan_rag": "pink"}, "Select a valid choice."),
        "forecast": ({"milestones-0-forecast_date": "31/02/2024"}, "“31/02/2024” is not a date"),
        "decision date": (
            {
                "report_date": "2023-10-01",
                "decisions-0-description": "Agree the UIT-B extension",
                "decisions-0-by_when": "2023-09-15",
            },
            "is before the report date",
        ),
        "escalation date": (
            {"escalations-0-text": "Environments", "escalations-0-by_when": "soon"},
            "is not a date",
        ),
        "raid row": ({"raid-0-description": ""}, "This field is required."),
        "report after meeting": ({"report_date": "2099-01-01"}, "after the meeting"),
    }
    client = cast.client("dcc")
    for case, (changes, message) in cases.items():
        # Every case also changes a valid field, which must not be saved either.
        data = bad(report, progress_next_month="changed but must not be saved", **changes)
        response = client.post(url("report-edit", report.pk), data)
        assert response.status_code == 400, case
        page = response.content.decode()
        assert message in page and "Nothing was saved" in page, case
    after = (DeliveryReport.objects.filter(pk=report.pk).values().get(), children(report))
    assert after == before


def test_a_carried_over_date_as_the_pack_printed_it_is_kept_until_changed(cast: Cast) -> None:
    report = start(cast)
    data = form_data(report, overall_rag="amber")
    response = cast.client("dcc").post(url("report-edit", report.pk), data)
    assert response.status_code == 302
    assert report.raid.order_by("order").first().due_stated == "End Sept'23"  # type: ignore[union-attr]


def publishable(report: DeliveryReport) -> dict[str, str]:
    rags = {f"{d}_rag": "green" for d in ("approach", "plan", "resources", "budget")}
    rags |= {f"{d}_rag": "amber" for d in ("risk", "stakeholders", "suppliers")}
    return form_data(report, overall_rag="amber", **rags)


def test_the_pmo_returns_with_a_comment_then_publishes_and_the_next_pack_has_it(
    cast: Cast,
) -> None:
    report = start(cast)
    dcc, pmo, recco = cast.client("dcc"), cast.client("pmo"), cast.client("recco")
    # Not yet complete: the submission is refused with the reason.
    response = dcc.post(url("report-submit", report.pk), follow=True)
    assert "Give the approach RAG before submitting." in response.content.decode()
    assert DeliveryReport.objects.get(pk=report.pk).status == "draft"
    data = publishable(report) | {"submit": "1"}
    assert dcc.post(url("report-edit", report.pk), data).status_code == 302
    assert DeliveryReport.objects.get(pk=report.pk).status == "submitted"
    # The PMO may not publish a draft or return without saying why.
    pmo.post(url("report-review", report.pk), {"action": "return", "comment": ""})
    assert DeliveryReport.objects.get(pk=report.pk).status == "submitted"
    pmo.post(url("report-review", report.pk), {"action": "return", "comment": "Budget RAG?"})
    report.refresh_from_db()
    assert report.status == "returned"
    assert "Budget RAG?" in dcc.get(url("report", report.pk)).content.decode()
    fixed = publishable(report) | {"budget_rag": "amber", "submit": "1"}
    assert dcc.post(url("report-edit", report.pk), fixed).status_code == 302
    pmo.post(url("report-review", report.pk), {"action": "publish", "comment": ""})
    report.refresh_from_db()
    assert (report.status, report.budget_rag) == ("published", "amber")
    # No edits after publishing.
    assert dcc.get(url("report-edit", report.pk)).status_code == 409
    assert dcc.post(url("report-edit", report.pk), fixed).status_code == 409
    # The frame the next meeting's pack is built from has it; once the programme moves on
    # to that meeting, its dashboard shows it to other organisations too.
    frame = build(cast.programme, report.meeting)
    assert report.title in [r["title"] for r in frame.rows("reports")]
    cast.programme.current_meeting_code = "PSG-25"
    cast.programme.save()
    board = recco.get(reverse("web:dashboard", args=["mhhs", "core-providers"]))
    assert report.title in board.content.decode()
    # RECCo never sees the PMO's comments to DCC.
    assert recco.get(url("report", report.pk)).status_code == 404


def test_a_participant_starts_blank_when_it_has_no_earlier_report(cast: Cast) -> None:
    report = start(cast, "recco", how="blank")
    assert report.milestones.count() == 0 and report.status == "draft"
    assert report.organisation.name == "RECCo"
