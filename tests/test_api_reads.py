"""Reading registers through the JSON API: every register with the rows the caller may see,
now or as of a meeting's cut-off, and whole registers as `steerco export` gives them."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from steerco.accounts.access import principal_of, visible
from steerco.raid.models import RaidItem
from steerco.registers import PAGES as REGISTERS
from tests.api_support import Callers, make_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers() -> Callers:
    return make_callers()


def every_row(client: Any, url: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:300])
        page = response.json()
        rows.extend(page["results"])
        url = page["next"]
    return rows


def exported(register: str, *options: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("export", register, "--format", "json", *options, stdout=out)
    found: dict[str, Any] = json.loads(out.getvalue())
    return found


@pytest.mark.parametrize("persona", ["pmo", "recco"])
def test_every_register_lists_exactly_the_records_its_web_page_may_show(
    callers: Callers, persona: str
) -> None:
    client = callers.client(persona)
    who = principal_of(callers.cast.users[persona])
    for register in REGISTERS:
        records = register.model._default_manager.filter(programme=callers.cast.programme)
        expected = set(visible(records, who).values_list("id", flat=True))
        url = reverse("api:register-list", args=["mhhs", register.slug]) + "?page_size=40"
        rows = every_row(client, url)
        assert [row["id"] for row in rows if row["id"] not in expected] == [], register.slug
        assert {row["id"] for row in rows} == expected, register.slug
        assert len(rows) == len(expected), f"{register.slug}: a record listed twice"


def test_a_record_reads_with_its_fields_version_and_children(callers: Callers) -> None:
    risk = RaidItem.objects.get(ref="R040")
    url = reverse("api:register-item", args=["mhhs", "raid", risk.pk])
    body = callers.client("steering").get(url).json()
    assert body["ref"] == "R040" and body["current_score"] == 8
    assert body["version"] == risk.history.order_by("-history_id").first().history_id
    steps = list(risk.mitigations.order_by("order").values_list("text", flat=True))
    assert [step["text"] for step in body["mitigations"]] == steps


def test_as_of_psg23_gives_the_milestone_rags_steerco_export_gives(callers: Callers) -> None:
    url = reverse("api:register-list", args=["mhhs", "milestones"]) + "?as_of=PSG-23"
    api = {row["code"]: row["rag"] for row in every_row(callers.client("pmo"), url)}
    then = exported("milestones", "--as-of", "PSG-23")["sections"]["milestones"]
    cli = {row["code"]: row["rag"] for row in then}
    assert api == cli
    now = {row["code"]: row["rag"] for row in exported("milestones")["sections"]["milestones"]}
    assert api != now, "PSG-23 and now should differ somewhere"


def test_an_as_of_read_of_one_record_gives_its_state_at_the_cutoff(callers: Callers) -> None:
    risk = RaidItem.objects.get(ref="R040")  # the pack: "-1 (9 to 8)"
    url = reverse("api:register-item", args=["mhhs", "raid", risk.pk])
    client = callers.client("dcc")
    assert client.get(url + "?as_of=PSG-23").json()["current_score"] == 9
    assert client.get(url + "?as_of=PSG-24").json()["current_score"] == 8
    assert client.get(url).json()["current_score"] == 8


def test_an_unknown_meeting_is_refused_naming_the_meetings(callers: Callers) -> None:
    url = reverse("api:register-list", args=["mhhs", "raid"]) + "?as_of=PSG-99"
    response = callers.client("pmo").get(url)
    assert response.status_code == 400
    assert "PSG-23" in response.json()["as_of"][0]


def test_pages_link_to_each_other_and_cover_the_register_once(callers: Callers) -> None:
    client = callers.client("pmo")
    url = reverse("api:register-list", args=["mhhs", "milestones"])
    first = client.get(url + "?page_size=10").json()
    assert first["count"] == 27 and first["pages"] == 3 and first["previous"] is None
    rows = every_row(client, url + "?page_size=10")
    assert len({row["id"] for row in rows}) == 27
    assert client.get(url + "?page=4&page_size=10").status_code == 404
    assert client.get(url + "?page=0").status_code == 400


def test_the_export_endpoint_gives_what_steerco_export_gives(callers: Callers) -> None:
    for register, options in (("raid", ["--as-of", "PSG-23"]), ("meetings", [])):
        url = reverse("api:export", args=["mhhs", register])
        query = f"?as_of={options[1]}" if options else ""
        assert callers.client("pmo").get(url + query).json() == exported(register, *options)


def test_a_register_page_exports_its_own_section(callers: Callers) -> None:
    body = callers.client("steering").get(reverse("api:export", args=["mhhs", "raid-themes"]))
    assert list(body.json()["sections"]) == ["themes"]


def test_the_index_lists_the_programmes_the_caller_may_see(callers: Callers) -> None:
    assert [p["code"] for p in callers.client("dcc").get("/api/").json()["programmes"]] == ["mhhs"]
    # The public persona's account names its programme (its registers stay closed to it).
    public = callers.client("public").get("/api/").json()["programmes"]
    assert [p["code"] for p in public] == ["mhhs"]
    assert callers.client("public").get(public[0]["url"]).status_code == 403
    body = callers.client("pmo").get(reverse("api:programme", args=["mhhs"])).json()
    assert "PSG-23" in body["meetings"]
    assert {r["slug"] for r in body["registers"]} == {r.slug for r in REGISTERS}
