"""The API refuses what the web refuses: the web's role × organisation matrix, its personas
and its expectations, run against the API's pages with bearer tokens, now and as of PSG-23,
and for edits as the web edit page is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steerco.reports.models import DeliveryReport
from tests import test_web_access as web
from tests.access_support import samples
from tests.api_support import Callers, make_callers, patch
from tests.web_support import PERSONA_KEYS

pytestmark = pytest.mark.django_db

EDITORS = web.EXPECTED["web:register-edit"][1]


@pytest.fixture
def callers() -> Callers:
    return make_callers()


def api_pages(callers: Callers) -> list[web.Page]:
    pages = [page for page in samples(callers.cast, web.EXPECTED) if page.name.startswith("api:")]
    assert {page.name for page in pages} == {n for n in web.EXPECTED if n.startswith("api:")}
    return pages


@pytest.mark.parametrize("persona", PERSONA_KEYS)
def test_every_api_read_allows_or_refuses_each_role_as_the_matrix_says(
    callers: Callers, persona: str
) -> None:
    client = callers.client(persona)
    wrong = []
    for page in api_pages(callers):
        _, allowed = web.EXPECTED[page.name]
        readers = web.DRAFT_READERS if page.draft else allowed
        expected = "allowed" if persona in readers and persona in allowed else "refused"
        # Every record of the example stood at PSG-24's cut-off; lists are read at PSG-23 too.
        when = "PSG-24" if "pk" in page.kwargs else "PSG-23"
        as_of = page.name in ("api:register-list", "api:register-item")
        for query in ("", f"?as_of={when}") if as_of else ("",):
            response = client.get(page.url + query)
            got = web.outcome(response.status_code, "")
            if page.draft and query and got == "refused":
                continue  # the draft did not exist at the cut-off: refused (404) for everyone
            if got != expected:
                wrong.append(f"GET {page.url}{query}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONA_KEYS)
def test_an_api_edit_is_refused_to_whoever_the_web_edit_page_refuses(
    callers: Callers, persona: str
) -> None:
    client = callers.client(persona)
    wrong = []
    for page in api_pages(callers):
        if page.name != "api:register-item":
            continue
        readers = web.DRAFT_READERS if page.draft else web.READERS
        expected = "allowed" if persona in EDITORS and persona in readers else "refused"
        got = web.outcome(patch(client, page.url, {}).status_code, "")  # 400 when allowed
        if got != expected:
            wrong.append(f"PATCH {page.url}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONA_KEYS)
def test_an_api_delete_is_refused_to_whoever_the_web_delete_page_refuses(
    callers: Callers, persona: str
) -> None:
    client = callers.client(persona)
    removers = web.EXPECTED["web:register-remove"][1]
    wrong = []
    for page in api_pages(callers):
        if page.name != "api:register-item":
            continue
        readers = web.DRAFT_READERS if page.draft else web.READERS
        expected = "allowed" if persona in removers and persona in readers else "refused"
        got = web.outcome(client.delete(page.url).status_code, "")  # no version: 400
        if got != expected:
            wrong.append(f"DELETE {page.url}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_the_api_and_the_web_agree_on_every_record_for_every_role(callers: Callers) -> None:
    pages = [p for p in samples(callers.cast, web.EXPECTED) if p.name == "web:register-item"]
    for persona in PERSONA_KEYS:
        browser, api = callers.cast.client(persona), callers.client(persona)
        for page in pages:
            twin = reverse("api:register-item", kwargs=page.kwargs)
            seen_web = web.outcome(*_status(browser.get(page.url)))
            seen_api = web.outcome(*_status(api.get(twin)))
            assert seen_web == seen_api, (persona, page.url, seen_web, seen_api)


def _status(response: object) -> tuple[int, str]:
    status: int = response.status_code  # type: ignore[attr-defined]
    return status, response.headers.get("Location", "")  # type: ignore[attr-defined]


def test_a_participant_never_sees_another_organisations_draft_through_the_api(
    callers: Callers,
) -> None:
    draft = callers.cast.draft
    reports = reverse("api:register-list", args=["mhhs", "reports"]) + "?page_size=500"
    item = reverse("api:register-item", args=["mhhs", "reports", draft.pk])
    export = reverse("api:export", args=["mhhs", "reports"])
    for persona in ("recco", "steering"):
        client = callers.client(persona)
        assert draft.pk not in [r["id"] for r in client.get(reports).json()["results"]]
        assert client.get(item).status_code == 404
        assert draft.title.encode() not in client.get(export).content
    for persona in ("dcc", "pmo"):
        client = callers.client(persona)
        assert draft.pk in [r["id"] for r in client.get(reports).json()["results"]]
        assert draft.title.encode() in client.get(export).content


def test_a_participant_reads_its_own_confidential_report_and_no_one_else_does(
    callers: Callers,
) -> None:
    report = DeliveryReport.objects.get(programme=callers.cast.programme, title__contains="RECCo")
    report.classification = "confidential"
    report.save()
    url = reverse("api:register-item", args=["mhhs", "reports", report.pk])
    export = reverse("api:export", args=["mhhs", "reports"])
    assert callers.client("recco").get(url).status_code == 200
    assert report.title.encode() in callers.client("recco").get(export).content
    for persona in ("dcc", "steering"):
        assert callers.client(persona).get(url).status_code == 404
        assert report.title.encode() not in callers.client(persona).get(export).content
