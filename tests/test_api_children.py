"""A record's children through the JSON API: POST and PATCH take them as nested rows,
checked by the web form's rows, all or nothing, errors naming the row and field; a child
changed since the version read is a conflict; DELETE removes a record nothing refers to."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steerco.milestones.models import Milestone
from steerco.raid.models import MitigationStep, RaidItem
from tests.api_support import Callers, make_callers, patch

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers() -> Callers:
    return make_callers()


def post(client: Client, slug: str, body: dict[str, Any]) -> Any:
    url = reverse("api:register-list", args=["mhhs", slug])
    return client.post(url, json.dumps(body), content_type="application/json")


def item(slug: str, pk: int) -> str:
    return reverse("api:register-item", args=["mhhs", slug, pk])


def new_risk(client: Client, ref: str, steps: list[str]) -> dict[str, Any]:
    body = {
        "ref": ref,
        "description": "Supplier environments late",
        "mitigations": [{"text": text} for text in steps],
        "reason": "raised at TMAG",
    }
    response = post(client, "raid", body)
    assert response.status_code == 201, response.content
    shown: dict[str, Any] = response.json()
    return shown


def test_a_risk_is_created_with_its_mitigations_and_read_back_with_them(
    callers: Callers,
) -> None:
    shown = new_risk(callers.client("pmo"), "R9201", ["Check weekly", "Escalate"])
    assert [(m["order"], m["text"]) for m in shown["mitigations"]] == [
        (1, "Check weekly"),
        (2, "Escalate"),
    ]
    risk = RaidItem.objects.get(ref="R9201")
    step = risk.mitigations.get(order=1).history.get()
    assert step.history_actor == "mhhs-pmo via API token tests"
    assert step.history_change_reason == "raised at TMAG"
    newest = MitigationStep.history.filter(item_id=risk.pk).order_by("-history_id").first()
    assert shown["version"] == risk.history.get().history_id + newest.history_id
    again = callers.client("pmo").get(item("raid", risk.pk)).json()
    assert again["version"] == shown["version"] and again["mitigations"] == shown["mitigations"]


def test_a_patch_changes_reorders_adds_and_deletes_rows(callers: Callers) -> None:
    pmo = callers.client("pmo")
    shown = new_risk(pmo, "R9202", ["One", "Two", "Three"])
    one, two, three = shown["mitigations"]
    body = {
        "version": shown["version"],
        "reason": "RAID board",
        "mitigations": [
            {"id": three["id"], "order": 1},
            {"id": one["id"], "order": 2, "text": "One, sharpened"},
            {"text": "Four"},
        ],
    }
    response = patch(pmo, item("raid", shown["id"]), body)
    assert response.status_code == 200, response.content
    rows = [(m["order"], m["text"]) for m in response.json()["mitigations"]]
    assert rows == [(1, "Three"), (2, "One, sharpened"), (3, "Four")]
    gone = MitigationStep.history.filter(id=two["id"]).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_change_reason == "RAID board"


def test_a_patch_without_the_rows_leaves_them_as_they_are(callers: Callers) -> None:
    pmo = callers.client("pmo")
    shown = new_risk(pmo, "R9203", ["Stay"])
    body = {"version": shown["version"], "reason": "owner", "owner": "Test lead"}
    response = patch(pmo, item("raid", shown["id"]), body)
    assert response.status_code == 200, response.content
    assert [m["text"] for m in response.json()["mitigations"]] == ["Stay"]
    assert response.json()["owner"] == "Test lead"


def test_an_invalid_row_names_the_row_and_field_and_nothing_is_written(callers: Callers) -> None:
    pmo = callers.client("pmo")
    shown = new_risk(pmo, "R9204", ["Keep"])
    body = {
        "version": shown["version"],
        "reason": "tidy",
        "owner": "Nobody",
        "mitigations": [{"id": shown["mitigations"][0]["id"], "text": "Changed"}, {"order": 3}],
    }
    response = patch(pmo, item("raid", shown["id"]), body)
    assert response.status_code == 400
    assert response.json() == {"mitigations[1].text": ["This field is required."]}
    risk = RaidItem.objects.get(pk=shown["id"])
    assert risk.owner == "" and [m.text for m in risk.mitigations.all()] == ["Keep"]

    created = post(
        pmo,
        "raid",
        {"ref": "R9205", "description": "x", "reason": "y"}
        | {"mitigations": [{"text": "fine"}, {"text": "bad", "order": -1}]},
    )
    assert created.status_code == 400
    assert "mitigations[1].order" in created.json()
    assert not RaidItem.objects.filter(ref="R9205").exists()


def test_a_row_of_another_record_is_refused(callers: Callers) -> None:
    pmo = callers.client("pmo")
    first, second = new_risk(pmo, "R9206", ["A"]), new_risk(pmo, "R9207", ["B"])
    foreign = {"id": first["mitigations"][0]["id"], "text": "stolen"}
    body = {"version": second["version"], "reason": "x", "mitigations": [foreign]}
    response = patch(pmo, item("raid", second["id"]), body)
    assert response.status_code == 400
    assert "mitigations[0].id" in response.json()
    assert MitigationStep.objects.get(pk=foreign["id"]).text == "A"


def test_a_milestone_cannot_be_its_own_predecessor_through_the_api(callers: Callers) -> None:
    pmo = callers.client("pmo")
    milestone = Milestone.objects.get(programme__code="mhhs", code="T3-TE-0060")
    read = pmo.get(item("milestones", milestone.pk)).json()
    rows = [{"id": p["id"]} for p in read["predecessors"]]
    body = {
        "version": read["version"],
        "reason": "linking",
        "predecessors": [*rows, {"predecessor_code": "T3-TE-0060"}],
    }
    response = patch(pmo, item("milestones", milestone.pk), body)
    assert response.status_code == 400
    errors = response.json()[f"predecessors[{len(rows)}].predecessor_code"]
    assert "this is milestone T3-TE-0060 itself" in errors[0]
    body["predecessors"] = [*rows, {"predecessor_code": "T1-TE-1000", "note": "review"}]
    assert patch(pmo, item("milestones", milestone.pk), body).status_code == 200
    assert milestone.predecessors.filter(predecessor_code="T1-TE-1000", note="review").exists()


def test_a_child_changed_since_the_version_read_is_a_conflict(callers: Callers) -> None:
    pmo = callers.client("pmo")
    shown = new_risk(pmo, "R9208", ["Original"])
    step = MitigationStep.objects.get(pk=shown["mitigations"][0]["id"])
    step.text = "Changed in the portal meanwhile"
    step.save()
    body = {"version": shown["version"], "reason": "owner", "owner": "Late"}
    response = patch(pmo, item("raid", shown["id"]), body)
    assert response.status_code == 409
    assert response.json()["version"] > shown["version"]
    assert RaidItem.objects.get(pk=shown["id"]).owner == ""


def test_delete_removes_a_record_nothing_refers_to_and_history_keeps_it(
    callers: Callers,
) -> None:
    pmo = callers.client("pmo")
    shown = new_risk(pmo, "R9209", ["Step"])
    url = item("raid", shown["id"])
    stale = pmo.delete(f"{url}?version={shown['version'] - 1}&reason=duplicate")
    assert stale.status_code == 409
    assert RaidItem.objects.filter(pk=shown["id"]).exists()
    response = pmo.delete(f"{url}?version={shown['version']}&reason=duplicate")
    assert response.status_code == 204
    assert not RaidItem.objects.filter(pk=shown["id"]).exists()
    gone = RaidItem.history.filter(id=shown["id"]).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_change_reason == "duplicate"
    assert gone.history_actor == "mhhs-pmo via API token tests"
    assert pmo.get(url).status_code == 404


def test_delete_is_refused_while_another_record_refers_to_it(callers: Callers) -> None:
    pmo = callers.client("pmo")
    milestone = Milestone.objects.get(programme__code="mhhs", code="T2-TE-0250")
    read = pmo.get(item("milestones", milestone.pk)).json()
    response = pmo.delete(f"{item('milestones', milestone.pk)}?version={read['version']}&reason=x")
    assert response.status_code == 400
    assert "it is a predecessor of milestone T3-TE-0060" in response.json()["references"]
    assert Milestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.parametrize("persona", ["steering", "dcc"])
def test_only_editors_delete(callers: Callers, persona: str) -> None:
    risk = RaidItem.objects.filter(programme__code="mhhs").first()
    assert risk is not None
    version = callers.client("pmo").get(item("raid", risk.pk)).json()["version"]
    response = callers.client(persona).delete(f"{item('raid', risk.pk)}?version={version}&reason=x")
    assert response.status_code in (403, 404)
    assert RaidItem.objects.filter(pk=risk.pk).exists()
