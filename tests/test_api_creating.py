"""Creating a record through the JSON API: POST on the register's collection, the web
creation form's fields, checks and words, 201 with the record and history naming the caller."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from steerco.changes.models import ChangeRequest
from steerco.raid.models import RaidItem, RaidTheme
from tests.api_support import Callers, make_callers

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers() -> Callers:
    return make_callers()


def post(client: object, slug: str, body: dict[str, object]) -> object:
    url = reverse("api:register-list", args=["mhhs", slug])
    return client.post(url, json.dumps(body), content_type="application/json")  # type: ignore[attr-defined]


def test_the_pmo_creates_a_risk_and_reads_it_back(callers: Callers) -> None:
    theme = RaidTheme.objects.order_by("number").first()
    assert theme is not None
    body = {
        "ref": "R9001",
        "type": "risk",
        "theme": theme.pk,
        "description": "DCC test environment capacity",
        "current_score": 15,
        "reason": "raised by DCC at TMAG",
    }
    response = post(callers.client("pmo"), "raid", body)
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    shown = response.json()  # type: ignore[attr-defined]
    created = RaidItem.objects.get(ref="R9001")
    assert shown["id"] == created.pk and shown["current_score"] == 15
    assert shown["version"] == created.history.get().history_id
    first = created.history.get()
    assert first.history_actor == "mhhs-pmo via API token tests"
    assert first.history_change_reason == "raised by DCC at TMAG"
    assert created.theme == theme


def test_a_taken_ref_gets_the_web_form_s_words_and_nothing_is_written(callers: Callers) -> None:
    taken = ChangeRequest.objects.order_by("pk").first()
    assert taken is not None
    before = ChangeRequest.objects.count()
    response = post(
        callers.client("pmo"), "changes", {"ref": taken.ref, "title": "x", "reason": "y"}
    )
    assert response.status_code == 400
    assert f"{taken.ref} already exists in mhhs" in json.dumps(response.json())  # type: ignore[attr-defined]
    assert ChangeRequest.objects.count() == before


def test_a_theme_of_another_programme_or_none_is_refused(callers: Callers) -> None:
    response = post(
        callers.client("pmo"),
        "raid",
        {"ref": "R9002", "description": "x", "theme": 999999, "reason": "y"},
    )
    assert response.status_code == 400
    assert "theme" in response.json()  # type: ignore[attr-defined]
    assert not RaidItem.objects.filter(ref="R9002").exists()


@pytest.mark.parametrize("persona", ["steering", "dcc"])
def test_only_the_pmo_and_admins_may_create(callers: Callers, persona: str) -> None:
    response = post(
        callers.client(persona), "raid", {"ref": "R9003", "description": "x", "reason": "y"}
    )
    assert response.status_code == 403
    assert not RaidItem.objects.filter(ref="R9003").exists()
