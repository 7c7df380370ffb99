"""The migration plan on the web and in the pack: a stored run's figures, starting a run as
a background job, bad cases refused with nothing stored, who may see it, and the pack's
"Migration plan" frozen at the cut-off."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from html import escape
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steerco.core.models import Meeting
from steerco.jobs.models import Job
from steerco.pack.builder import build_document
from steerco.pack.document import Chart, Document, Facts, Section, Stack, Table, Text
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.html import render_html
from steerco.pack.migration_plan import NOT_IN_EDITION
from steerco.pack.parts import render_pdf
from steerco.planning import runs
from steerco.planning.models import PlanRun
from steerco.rules.frame import build
from tests.planning_support import TINY, finished_run, result_of
from tests.web_support import ANONYMOUS, Cast, make_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_keep_test_connection")]

SVG = "{http://www.w3.org/2000/svg}"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def home(cast: Cast) -> str:
    return reverse("planning:home", args=[cast.programme.code])


def start(cast: Cast) -> str:
    return reverse("planning:start", args=[cast.programme.code])


def chart_of(page: str) -> ET.Element:
    found = re.search(r"<svg.*?</svg>", page, re.S)
    assert found, "no chart on the page"
    return ET.fromstring(found.group(0))


def texts(svg: ET.Element) -> list[str]:
    return [el.text or "" for el in svg.iter(f"{SVG}text")]


def summary_row(page: str, plan: str) -> list[str]:
    row = page.split(f'<th scope="row">{plan}</th>', 1)[1].split("</tr>", 1)[0]
    return re.findall(r"<td[^>]*>(.*?)</td>", row)


# -- the page -------------------------------------------------------------------------------


def test_the_page_shows_the_latest_finished_runs_figures_from_its_result(cast: Cast) -> None:
    finished_run(cast.programme, "tiny.yaml", finished=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    run = finished_run(cast.programme, "gb-synthetic/sample.yaml")
    PlanRun.objects.create(  # started since, not finished: not the one shown
        programme=cast.programme, case_name="Still running", source="x.yaml", case_text="x"
    )
    result = result_of("gb-synthetic/sample.yaml")
    lp, greedy = result["lp"], result["greedy"]
    assert greedy["stranded"] > lp["stranded"] == 0  # greedy strands what the LP migrates

    page = cast.client("pmo").get(home(cast)).content.decode()

    assert result["case"] in page and ">SYNTHETIC</span>" in page
    assert f"{result['meter_points']:,} of 12 suppliers on 4 LDSOs" in page
    assert f"<dd>{result['working_days']}, from" in page
    deadline = dt.date.fromisoformat(result["deadline"])
    assert f"<dd>{deadline.day} {deadline:%b %Y}</dd>" in page
    last_lp_day = max(o["completion"] for o in lp["ldsos"] if o["completion"])
    done = dt.date.fromisoformat(last_lp_day)
    assert summary_row(page, "Optimal plan (LP)")[:3] == [
        f"{lp['migrated']:,}",
        "0",
        f"{done.day} {done:%b %Y}",
    ]
    assert summary_row(page, "Greedy (first come, first served)")[:3] == [
        f"{greedy['migrated']:,}",
        f"{greedy['stranded']:,}",
        "not by the deadline",
    ]
    svg = chart_of(page)
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 2 and [bool(line.get("stroke-dasharray")) for line in lines] == [
        False,
        True,
    ]
    labels = texts(svg)
    assert f"Optimal (LP) {result['cumulative']['lp'][-1]:,}" in labels
    assert f"Greedy {result['cumulative']['greedy'][-1]:,}" in labels
    assert f"Deadline {deadline.day} {deadline:%b %Y}" in labels
    assert f"All {result['meter_points']:,} meter points" in labels
    assert "Meter points migrated (cumulative)" in labels
    # Every supplier and LDSO of the result; no RAID entry, as the LP strands nothing.
    for supplier in lp["suppliers"]:
        assert f'<th scope="row">{supplier["name"]}</th>' in page
    for ldso in lp["ldsos"]:
        assert f'<th scope="row">{ldso["name"]}</th>' in page
    assert "There is a risk that" not in page and "None: under the optimal plan" in page
    assert reverse("planning:run", args=["mhhs", run.pk]) in page
    assert "Still running" in page


def test_an_earlier_run_has_a_page_of_its_own(cast: Cast) -> None:
    earlier = finished_run(cast.programme, "tiny.yaml", case_name="The tiny case, first go")
    finished_run(cast.programme, "gb-synthetic/sample.yaml")
    url = reverse("planning:run", args=["mhhs", earlier.pk])
    page = cast.client("steering").get(url).content.decode()
    assert "The tiny case, first go" in page
    assert summary_row(page, "Greedy (first come, first served)")[:2] == ["360", "50"]
    # The LP strands 10 of Gamma Supply's 60: one suggested risk for it, one for LDSO EAST.
    assert page.count("There is a risk that") == 2
    assert "There is a risk that Gamma Supply cannot migrate 10 of its 60 meter points" in page
    assert "Start the run" not in page  # the steering group reads plans, it does not run them


def test_the_supplier_table_is_paged_when_there_are_many_suppliers(cast: Cast) -> None:
    run = finished_run(cast.programme, "gb-synthetic/sample.yaml")
    many = dict(run.plan)
    for plan in ("lp", "greedy"):
        one = many[plan]["suppliers"][0]
        suppliers = [dict(one, name=f"Supplier {n:03d}") for n in range(60)]
        many[plan] = dict(many[plan], suppliers=suppliers)
    run.result = many
    run.save()
    client = cast.client("pmo")
    first = client.get(home(cast)).content.decode()
    assert "Supplier 000" in first and "Supplier 025" not in first
    assert "Page 1 of 3 (60 in all)" in first
    third = client.get(home(cast) + "?page=3").content.decode()
    assert "Supplier 059" in third and "Supplier 000" not in third


def test_the_page_answers_in_the_same_number_of_queries_however_many_runs_there_are(
    cast: Cast,
) -> None:
    client = cast.client("pmo")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(home(cast)).status_code == 200
        return len(captured)

    finished_run(cast.programme, "gb-synthetic/sample.yaml")
    few = queries()
    for _ in range(12):
        finished_run(cast.programme, requested_by=cast.users["admin"])
    assert queries() == few <= 15


def test_the_page_says_so_when_no_plan_has_been_run(cast: Cast) -> None:
    page = cast.client("pmo").get(home(cast)).content.decode()
    assert "No plan has been run" in page and "Start the run" in page


def refused(response: Any) -> bool:
    """403 or 404, or for a signed-out visitor the sign-in page."""
    signing_in = response.status_code == 302 and "/accounts/login/" in response["Location"]
    return response.status_code in (403, 404) or signing_in


@pytest.mark.parametrize("persona", ["dcc", "recco", "public", ANONYMOUS.key])
def test_participants_and_the_public_are_refused_the_page_the_runs_and_starting_one(
    cast: Cast, persona: str, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    run = finished_run(cast.programme)
    client = cast.client(persona)
    for url in (home(cast), reverse("planning:run", args=["mhhs", run.pk])):
        assert refused(client.get(url)), url
    assert refused(client.post(start(cast), {"example": "tiny.yaml"}))
    assert PlanRun.objects.count() == 1 and not Job.objects.exists()
    # Nor is the page in their navigation.
    programme = client.get(reverse("web:programme", args=["mhhs"])).content.decode()
    assert "Migration plan" not in programme


def test_the_navigation_offers_the_page_to_those_who_may_read_plans(cast: Cast) -> None:
    page = cast.client("steering").get(reverse("web:programme", args=["mhhs"])).content
    assert f'href="{home(cast)}">Migration plan<'.encode() in page


# -- starting a run ---------------------------------------------------------------------------


def test_the_pmo_runs_a_bundled_example_as_a_job_and_the_page_then_shows_it(
    cast: Cast, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    client = cast.client("pmo")
    response = client.post(start(cast), {"example": "tiny.yaml"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    run = PlanRun.objects.get()
    assert (job.kind, job.state, job.done, job.total) == ("plan", "done", 7, 7)
    assert job.result == {"run": run.pk} and run.job == job
    assert run.finished is not None and run.requested_by == cast.users["pmo"]
    assert run.case_text == TINY.read_text(encoding="utf-8") and run.source == "tiny.yaml"
    assert (run.plan["lp"]["stranded"], run.plan["greedy"]["stranded"]) == (10, 50)
    job_page = client.get(response["Location"]).content.decode()
    assert reverse("planning:run", args=["mhhs", run.pk]) in job_page and "See the plan" in job_page
    page = client.get(home(cast)).content.decode()
    assert "Tiny hand-checkable case" in page
    assert summary_row(page, "Optimal plan (LP)")[:2] == ["400", "10"]


def test_an_uploaded_case_is_queued_and_run_by_the_worker(cast: Cast) -> None:
    upload = SimpleUploadedFile("my-case.yaml", TINY.read_bytes(), "application/yaml")
    response = cast.client("admin").post(start(cast), {"file": upload})
    assert response.status_code == 302
    job, run = Job.objects.get(), PlanRun.objects.get()
    assert job.state == "queued" and job.task_id and run.finished is None
    page = cast.client("pmo").get(reverse("planning:run", args=["mhhs", run.pk])).content
    assert b"has no plan" in page and b"queued" in page
    call_command(
        "db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO(), stderr=io.StringIO()
    )
    job.refresh_from_db()
    run.refresh_from_db()
    assert job.state == "done" and run.source == "my-case.yaml"
    assert run.plan["meter_points"] == 410


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            TINY.read_text().replace("portfolio: {WEST: 150}", "portfolio: {NORTH: 150}"),
            "bad.yaml, line 23: supplier &#x27;Beta Power&#x27;: portfolio on unknown LDSO "
            "&#x27;NORTH&#x27; (capacity.ldsos has EAST, WEST)",
        ),
        ("case: [unclosed\n", "bad.yaml, line 2: not valid YAML"),
        ("just text", "bad.yaml: the case must be a mapping"),
        (b"\xff\xfe not utf-8", "bad.yaml: not UTF-8 text"),
        (TINY.read_text().replace("national: 100 ", "national: 0 "), "national cap must be"),
        (
            TINY.read_text().replace("deadline: 2026-04-08", "deadline: 2036-05-08"),
            "bad.yaml: start 2026-04-01 to deadline 2036-05-08 is more than 10 years",
        ),
    ],
)
def test_a_bad_uploaded_case_is_refused_clearly_and_nothing_is_stored(
    cast: Cast, settings: Any, content: str | bytes, message: str
) -> None:
    settings.TASKS = IMMEDIATE
    raw = content.encode() if isinstance(content, str) else content
    upload = SimpleUploadedFile("bad.yaml", raw, "application/yaml")
    response = cast.client("pmo").post(start(cast), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PlanRun.objects.exists() and not Job.objects.exists()


def test_a_case_too_large_or_no_case_or_two_are_refused(cast: Cast, settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    client = cast.client("pmo")
    big = SimpleUploadedFile("big.yaml", b"#" * 1_000_001)
    assert b"over the 1,000,000-byte limit" in client.post(start(cast), {"file": big}).content
    assert b"Upload a case file or pick" in client.post(start(cast), {}).content
    both = {"file": SimpleUploadedFile("t.yaml", TINY.read_bytes()), "example": "tiny.yaml"}
    assert b"Upload a case file or pick" in client.post(start(cast), both).content
    # A bundled example is picked by name from a fixed list, never opened by a typed path.
    response = client.post(start(cast), {"example": "../../pyproject.toml"})
    assert response.status_code == 400 and b"Select a valid choice" in response.content
    assert not PlanRun.objects.exists() and not Job.objects.exists()


def test_the_bundled_examples_are_the_yaml_files_under_examples_migration() -> None:
    found = runs.bundled()
    assert {"tiny.yaml", "gb-synthetic/sample.yaml"} <= set(found)
    assert all(b.path.is_relative_to(runs.EXAMPLES) for b in found.values())


def test_a_case_that_fails_in_the_job_fails_the_job_and_leaves_the_run_without_a_plan(
    cast: Cast, settings: Any
) -> None:
    settings.TASKS = IMMEDIATE
    case = runs.check(TINY.read_bytes(), "tiny.yaml")
    job = runs.queue(cast.programme, case, "case: [unclosed\n", "broken.yaml", None)
    run = PlanRun.objects.get()
    assert (
        job.state == "failed"
        and job.error
        == "broken.yaml, line 2: not valid YAML: " + (job.error.split("not valid YAML: ", 1)[1])
    )
    assert "Traceback" not in job.error
    assert run.result is None and run.finished is None
    assert PlanRun.objects.filter(programme=cast.programme).finished().first() is None
    page = cast.client("pmo").get(reverse("planning:run", args=["mhhs", run.pk])).content
    assert b"has no plan" in page and b"broken.yaml, line 2: not valid YAML" in page


# -- the pack ---------------------------------------------------------------------------------


def plan_section(document: Document) -> Section:
    qualification = next(s for s in document.sections if s.anchor == "qualification-testing")
    return next(c for c in qualification.children if c.anchor == "migration-plan")


def psg24_document(edition: Edition = Edition.MEMBERS) -> Document:
    programme = make_cast().programme
    meeting = Meeting.objects.get(programme=programme, code="PSG-24")
    audience = AUDIENCES[edition]
    return build_document(build(programme, meeting, who=audience.audience), [], audience)


def test_only_the_editions_of_those_who_read_plans_hold_the_migration_plan(cast: Cast) -> None:
    cutoff = Meeting.objects.get(programme=cast.programme, code="PSG-24").cutoff
    run = finished_run(cast.programme, "tiny.yaml", finished=cutoff - dt.timedelta(days=2))
    members = render_html(psg24_document(Edition.MEMBERS))
    participants = render_html(psg24_document(Edition.PARTICIPANTS))
    assert run.case_name in members and escape(NOT_IN_EDITION) not in members
    assert run.case_name not in participants and escape(NOT_IN_EDITION) in participants


def test_the_pack_shows_the_latest_run_finished_by_the_cutoff_and_ignores_a_later_one(
    cast: Cast,
) -> None:
    cutoff = Meeting.objects.get(programme=cast.programme, code="PSG-24").cutoff
    finished_run(cast.programme, "tiny.yaml", finished=cutoff - dt.timedelta(days=2))
    chosen = finished_run(cast.programme, "gb-synthetic/sample.yaml", finished=cutoff)
    html_before = render_html(psg24_document())
    later = finished_run(
        cast.programme,
        "tiny.yaml",
        finished=cutoff + dt.timedelta(seconds=1),
        case_name="Finished after the cut-off",
    )

    document = psg24_document()
    section = plan_section(document)
    facts = next(b for b in section.blocks if isinstance(b, Facts))
    case = dict(facts.items)["Case"]
    assert isinstance(case, Stack) and case.items[0] == chosen.case_name
    assert "SYNTHETIC" in case.items[1].label  # type: ignore[union-attr]
    assert f"run {chosen.pk} of sample.yaml" in str(dict(facts.items)["Plan run"])
    table = next(b for b in section.blocks if isinstance(b, Table))
    lp, greedy = chosen.plan["lp"], chosen.plan["greedy"]
    assert [row[1:3] for row in table.rows] == [
        (f"{lp['migrated']:,}", f"{lp['stranded']:,}"),
        (f"{greedy['migrated']:,}", f"{greedy['stranded']:,}"),
    ]
    chart = next(b for b in section.blocks if isinstance(b, Chart))
    assert "stroke-dasharray" in chart.svg and "Deadline" in chart.svg
    html = render_html(document)
    assert html == html_before and "Finished after the cut-off" not in html
    assert f"run {later.pk} of" not in str(dict(facts.items)["Plan run"])
    # Only totals: no supplier's portfolio goes into a pack that participants read.
    assert all(s["name"] not in html for s in lp["suppliers"])


def test_the_pack_says_so_when_no_plan_had_been_run_by_the_cutoff(cast: Cast) -> None:
    cutoff = Meeting.objects.get(programme=cast.programme, code="PSG-24").cutoff
    finished_run(cast.programme, finished=cutoff + dt.timedelta(days=1))
    section = plan_section(psg24_document())
    assert [type(b) for b in section.blocks] == [Text]
    assert "No migration plan had been run by PSG-24's cut-off" in section.blocks[0].text  # type: ignore[union-attr]


def test_the_pack_section_renders_to_pdf_with_its_chart(cast: Cast) -> None:
    cutoff = Meeting.objects.get(programme=cast.programme, code="PSG-24").cutoff
    finished_run(cast.programme, "gb-synthetic/sample.yaml", finished=cutoff)
    document = psg24_document()
    document.sections = [plan_section(document)]
    assert render_pdf(document).startswith(b"%PDF-")
