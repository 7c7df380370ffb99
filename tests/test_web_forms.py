"""Forms a PMO and a participant use all day: dates picked or typed as dd/mm/yyyy, scores
with their scale, short text on one line, and every error beside its field and listed at
the top with a link to it; the portal's report view rendered as the pack renders it."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from steerco.milestones.models import Milestone
from steerco.raid.models import RaidItem
from steerco.reports.models import DeliveryReport
from tests.form_support import form_values
from tests.portal_support import portal_cast, url
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def opened(client: Client, address: str) -> dict[str, str]:
    response = client.get(address)
    assert response.status_code == 200
    return form_values(response.content.decode(), action=address)


def field_block(html: str, field_id: str) -> str:
    """The ``div.field`` holding the input ``field_id``: its label, error, input and hint."""
    at = html.index(f'id="{field_id}"')
    start = html.rindex('<div class="field', 0, at)
    return html[start : html.index("</div>", at)]


def summary_links(html: str) -> dict[str, str]:
    """The error summary's links: the id each points at → its text."""
    summary = html[html.index('class="error-summary"') :]
    summary = summary[: summary.index("</div>")]
    return dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary))


def milestone_edit(cast: Cast) -> tuple[Client, str, Milestone]:
    milestone = Milestone.objects.filter(baseline_date__isnull=False).order_by("pk").first()
    assert milestone is not None
    address = reverse("web:register-edit", args=["mhhs", "milestones", milestone.pk])
    return cast.client("pmo"), address, milestone


def test_a_date_has_a_picker_and_a_typed_dd_mm_yyyy_or_iso_date_is_accepted(cast: Cast) -> None:
    client, address, milestone = milestone_edit(cast)
    html = client.get(address).content.decode()
    block = field_block(html, "id_baseline_date")
    # The browser's date input, holding ISO, the format hint beside it and tied to it.
    assert re.search(r'<input type="date" name="baseline_date" value="\d{4}-\d\d-\d\d"', block)
    assert 'aria-describedby="id_baseline_date_helptext"' in block
    assert '<small id="id_baseline_date_helptext">dd/mm/yyyy</small>' in block
    for typed, stored in (("25/10/2023", "2023-10-25"), ("2023-11-03", "2023-11-03")):
        data = opened(client, address) | {"baseline_date": typed, "reason": f"typed {typed}"}
        response = client.post(address, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        milestone.refresh_from_db()
        assert str(milestone.baseline_date) == stored


def test_a_bad_date_is_refused_beside_its_field_and_listed_at_the_top(cast: Cast) -> None:
    client, address, milestone = milestone_edit(cast)
    before = milestone.baseline_date
    data = opened(client, address) | {"baseline_date": "31/02/2024", "reason": "bad date"}
    response = client.post(address, data)
    assert response.status_code == 400
    html = response.content.decode()
    block = field_block(html, "id_baseline_date")
    message = "“31/02/2024” is not a date: write it as dd/mm/yyyy"
    assert message in block and 'aria-invalid="true"' in block
    assert 'id="id_baseline_date_error"' in block
    assert re.search(r'aria-describedby="[^"]*id_baseline_date_error', block)
    links = summary_links(html)
    assert message in links["id_baseline_date"] and links["id_baseline_date"].startswith("Baseline")
    milestone.refresh_from_db()
    assert milestone.baseline_date == before


def test_a_score_shows_its_scale_and_one_outside_it_is_refused_in_its_words(cast: Cast) -> None:
    risk = RaidItem.objects.get(ref="R272")
    address = reverse("web:register-edit", args=["mhhs", "raid", risk.pk])
    client = cast.client("pmo")
    block = field_block(client.get(address).content.decode(), "id_current_score")
    assert 'type="number"' in block and 'min="1"' in block and 'max="30"' in block
    assert "Scale 1–30." in block
    for score in ("31", "0"):
        data = opened(client, address) | {"current_score": score, "reason": "out of scale"}
        response = client.post(address, data)
        assert response.status_code == 400
        html = response.content.decode()
        refusal = "Give a whole number from 1 to 30."
        assert refusal in field_block(html, "id_current_score")
        assert summary_links(html)["id_current_score"] == f"Current score: {refusal}"


def test_every_error_is_linked_from_the_summary_to_a_field_on_the_page(cast: Cast) -> None:
    risk = RaidItem.objects.get(ref="R272")
    address = reverse("web:register-edit", args=["mhhs", "raid", risk.pk])
    client = cast.client("pmo")
    data = opened(client, address) | {"current_score": "99", "reason": "", "description": ""}
    html = client.post(address, data).content.decode()
    links = summary_links(html)
    assert set(links) == {"id_current_score", "id_reason", "id_description"}
    for field_id in links:
        assert f'id="{field_id}"' in html


def test_short_text_is_one_line_and_long_text_a_box_sized_to_it(cast: Cast) -> None:
    client, address, _ = milestone_edit(cast)
    html = client.get(address).content.decode()
    assert re.search(
        r'<input type="text" name="title"[^>]*size="60"', field_block(html, "id_title")
    )
    commentary = field_block(html, "id_commentary")
    assert re.search(r'<textarea name="commentary" cols="60" rows="3"', commentary)


@pytest.fixture
def portal() -> Cast:
    return portal_cast()


def started(cast: Cast) -> DeliveryReport:
    response = cast.client("dcc").post(url("report-new"), {"start": "blank"})
    assert response.status_code == 302
    return DeliveryReport.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-2]))


def test_submitting_a_report_without_its_rags_puts_each_problem_beside_its_field(
    portal: Cast,
) -> None:
    report = started(portal)
    dcc = portal.client("dcc")
    response = dcc.post(url("report-submit", report.pk), follow=True)
    assert response.redirect_chain[-1][0].endswith("/edit/?submit=1")
    html = response.content.decode()
    assert "Not submitted" in html
    links = summary_links(html)
    for dimension in ("approach", "plan", "resources", "budget", "risk"):
        problem = f"Give the {dimension} RAG before submitting."
        block = field_block(html, f"id_{dimension}_rag")
        assert problem in block and 'aria-invalid="true"' in block, dimension
        assert links[f"id_{dimension}_rag"] == f"{dimension.capitalize()} RAG: {problem}"
    assert "Say what is expected next month before submitting." in field_block(
        html, "id_progress_next_month"
    )
    # The same from the edit form's own Submit: nothing saved, each problem by its field.
    data = form_values(html, action=url("report-edit", report.pk)) | {
        "report_date": "01/10/2023",
        "overall_rag": "amber",
        "progress_next_month": "Typed, but the RAGs are still blank",
        "submit": "1",
    }
    response = dcc.post(url("report-edit", report.pk), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Give the plan RAG before submitting." in field_block(html, "id_plan_rag")
    assert "id_progress_next_month" not in summary_links(html)
    report.refresh_from_db()
    assert report.status == "draft" and report.progress_next_month == ""


def test_the_portal_report_view_renders_markdown_tables_with_headers_and_one_date_format(
    portal: Cast,
) -> None:
    report = DeliveryReport.objects.get(title="Monthly Delivery Report – DCC")
    html = portal.client("dcc").get(url("report", report.pk)).content.decode()
    body = html[: html.index('id="history"')]
    assert "**" not in body and "| ---" not in body and "|---" not in body
    assert "<strong>Top Risks and or Issues" in body
    assert "<th>Change requests supporting MHHS</th>" in body  # the notes' pipe table
    for heading in ("Milestone or deliverable", "Baseline", "Forecast"):
        assert f'<th scope="col">{heading}</th>' in body
    for heading in ("Risk, issue, assumption or dependency", "Action", "Owner", "By"):
        assert f'<th scope="col">{heading}</th>' in body
    # A RAID description in full, not cut at 60 characters.
    longest = max(report.raid.values_list("description", flat=True), key=len)
    assert len(longest) > 60 and longest.splitlines()[0] in body
    # Dates as the rest of the site prints them ("6 Sep 2023"), never as dd-mm-yy.
    milestones = body[body.index('id="milestones"') : body.index('id="raid"')]
    assert "20 Oct 2023" in milestones
    assert not re.search(r"\b\d\d-\d\d-\d\d\b", milestones)
