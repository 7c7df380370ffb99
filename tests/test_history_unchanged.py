"""A save that changes nothing writes no history row, whichever path saved: the web edit
form, the API, or any other code saving through the model (portal, import, loader). A real
change still writes exactly one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from steerco.core.history import acting
from steerco.raid.models import RaidItem
from tests.api_support import Callers, make_callers, patch
from tests.test_web_editing import form_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers() -> Callers:
    return make_callers()


def rows(ref: str) -> int:
    return int(RaidItem.objects.get(ref=ref).history.count())


def api_url(ref: str) -> str:
    return reverse("api:register-item", args=["mhhs", "raid", RaidItem.objects.get(ref=ref).pk])


def edit_url(ref: str) -> str:
    return reverse("web:register-edit", args=["mhhs", "raid", RaidItem.objects.get(ref=ref).pk])


def test_a_patch_with_the_current_values_writes_no_history_row(callers: Callers) -> None:
    client = callers.client("pmo")
    read = client.get(api_url("R040")).json()
    before = rows("R040")
    body = {
        "version": read["version"],
        "reason": "nothing to say",
        "owner": read["owner"],
        "current_score": read["current_score"],
        "status": read["status"],
    }
    response = patch(client, api_url("R040"), body)
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == read["version"]
    assert rows("R040") == before
    changes = callers.cast.client("pmo").get(reverse("web:changes", args=["mhhs"]))
    assert "nothing to say" not in changes.content.decode()


def test_a_patch_that_changes_a_field_writes_exactly_one_row(callers: Callers) -> None:
    client = callers.client("pmo")
    read = client.get(api_url("R040")).json()
    before = rows("R040")
    body = {"version": read["version"], "reason": "new owner", "owner": "Someone new"}
    assert patch(client, api_url("R040"), body).status_code == 200
    assert rows("R040") == before + 1


def test_an_unchanged_web_form_posted_writes_no_history_row(callers: Callers) -> None:
    client = callers.cast.client("pmo")
    url = edit_url("R272")
    before = rows("R272")
    response = client.post(url, form_of(client, url) | {"reason": "looked, all fine"})
    assert response.status_code == 302
    assert rows("R272") == before
    changed = form_of(client, url) | {"owner": "Another owner", "reason": "handover"}
    assert client.post(url, changed).status_code == 302
    assert rows("R272") == before + 1


def test_a_model_save_that_changes_nothing_writes_no_row_and_a_change_writes_one() -> None:
    risk = RaidItem.objects.get(ref="R119")
    before = rows("R119")
    with acting("tests", "saved as it was"):
        risk.save()
        RaidItem.objects.get(pk=risk.pk).save()
    assert rows("R119") == before
    with acting("tests", "rescored"):
        risk.current_score = (risk.current_score or 0) + 1
        risk.save()
    assert rows("R119") == before + 1
    assert risk.history.first().history_change_reason == "rescored"


def test_a_save_after_a_write_that_bypassed_history_records_the_catch_up() -> None:
    # QuerySet.update() writes no history row: the next save records the difference.
    RaidItem.objects.filter(ref="R119").update(owner="Set by update()")
    before = rows("R119")
    with acting("tests", "catch up"):
        RaidItem.objects.get(ref="R119").save()
    assert rows("R119") == before + 1
    assert RaidItem.objects.get(ref="R119").history.first().owner == "Set by update()"
