"""Editing through the JSON API: the web form's fields and checks, the web's optimistic
concurrency, and history naming the API caller and the reason given."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from steerco.core.history import acting
from steerco.core.models import Programme
from steerco.organisations.models import Organisation
from steerco.qualification.models import Application, Tranche
from steerco.raid.models import MitigationStep, RaidItem
from tests.api_support import Callers, make_callers, patch

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers() -> Callers:
    return make_callers()


def risk_url(ref: str = "R040") -> str:
    return reverse("api:register-item", args=["mhhs", "raid", RaidItem.objects.get(ref=ref).pk])


def test_an_edit_is_saved_through_the_model_with_the_caller_and_reason_in_history(
    callers: Callers,
) -> None:
    client = callers.client("pmo")
    read = client.get(risk_url()).json()
    response = patch(
        client, risk_url(), {"version": read["version"], "reason": "RAID board", "owner": "PMO"}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["owner"] == "PMO" and response.json()["version"] > read["version"]
    newest = RaidItem.objects.get(ref="R040").history.first()
    assert newest.owner == "PMO" and newest.current_score == read["current_score"]
    assert newest.history_actor == "mhhs-pmo via API token tests"
    assert newest.history_change_reason == "RAID board"
    # The version covers the risk's mitigation steps too: each table's newest row, summed.
    steps = MitigationStep.history.filter(item_id=newest.id).order_by("-history_id").first()
    assert newest.history_id + (steps.history_id if steps else 0) == response.json()["version"]


def test_a_browser_session_edits_too_with_its_csrf_token_checked(callers: Callers) -> None:
    session = callers.cast.client("pmo")
    read = session.get(risk_url()).json()
    body = {"version": read["version"], "reason": "in the browser", "owner": "Web"}
    assert patch(session, risk_url(), body).status_code == 200
    assert RaidItem.objects.get(ref="R040").history.first().history_actor == "mhhs-pmo"
    strict = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    strict.force_login(callers.cast.users["pmo"])
    body["version"] = strict.get(risk_url()).json()["version"]
    refused = patch(strict, risk_url(), body)
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]


def test_a_stale_version_is_refused_with_the_differences_and_nothing_is_written(
    callers: Callers,
) -> None:
    client = callers.client("pmo")
    read = client.get(risk_url()).json()
    first = {"version": read["version"], "reason": "first", "owner": "Alice"}
    assert patch(client, risk_url(), first).status_code == 200
    rows = RaidItem.objects.get(ref="R040").history.count()
    second = {"version": read["version"], "reason": "second", "owner": "Bob", "status": "closed"}
    response = patch(callers.client("admin"), risk_url(), second)
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["owner"] == "Alice"
    assert {"field": "Owner", "theirs": "Alice", "yours": "Bob"} in body["differences"]
    assert RaidItem.objects.get(ref="R040").history.count() == rows
    retry = {**second, "version": body["version"]}
    assert patch(callers.client("admin"), risk_url(), retry).status_code == 200
    assert RaidItem.objects.get(ref="R040").owner == "Bob"


def test_invalid_values_are_refused_field_by_field_and_nothing_is_written(
    callers: Callers,
) -> None:
    client = callers.client("pmo")
    version = client.get(risk_url()).json()["version"]
    cases = [
        ({"current_score": 31}, "current_score"),
        ({"current_score": "high"}, "current_score"),
        ({"status": "nope"}, "status"),
        ({"classification": None}, "classification"),
        ({"ref": "R999"}, None),  # not a field the web form edits: ignored, as the form would
    ]
    for values, field in cases:
        response = patch(client, risk_url(), {"version": version, "reason": "x", **values})
        if field is None:
            assert response.status_code == 200
            assert RaidItem.objects.filter(ref="R040").exists()
            version = response.json()["version"]
            continue
        assert response.status_code == 400 and field in response.json(), values
    assert patch(client, risk_url(), {"owner": "no version"}).status_code == 400
    assert patch(client, risk_url(), ["not", "a", "record"]).status_code == 400
    assert RaidItem.objects.get(ref="R040").current_score == 8


@pytest.mark.parametrize("persona", ["dcc", "steering"])
def test_a_role_that_may_not_edit_is_refused_and_nothing_is_written(
    callers: Callers, persona: str
) -> None:
    client = callers.client(persona)
    version = client.get(risk_url()).json()["version"]
    response = patch(client, risk_url(), {"version": version, "reason": "x", "owner": "Me"})
    assert response.status_code == 403
    assert RaidItem.objects.get(ref="R040").owner != "Me"


def test_a_reference_must_name_a_record_of_the_same_programme(callers: Callers) -> None:
    programme = callers.cast.programme
    with acting("tests", "qualification data"):
        other = Programme.objects.create(code="other", name="Other")
        theirs = Tranche.objects.create(programme=other, number=1, name="Theirs")
        ours = Tranche.objects.create(programme=programme, number=1, name="Ours")
        application = Application.objects.create(
            programme=programme,
            organisation=Organisation.objects.get(programme=programme, name="DCC"),
            intention_date=dt.date(2024, 1, 15),
        )
    url = reverse("api:register-item", args=["mhhs", "qualification", application.pk])
    client = callers.client("pmo")
    version = client.get(url).json()["version"]
    body = {"version": version, "reason": "allocate", "state": "allocated"}
    refused = patch(client, url, {**body, "allocated_tranche": theirs.pk})
    assert refused.status_code == 400 and "allocated_tranche" in refused.json()
    allowed = patch(client, url, {**body, "allocated_tranche": ours.pk})
    assert allowed.status_code == 200 and allowed.json()["allocated_tranche"] == ours.pk
