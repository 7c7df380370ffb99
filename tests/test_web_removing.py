"""Closing or deleting a record on the web: a page asking for a reason, a POST of the
editor's choice; a record something refers to is not deleted, and a deletion stays in
history and in what changed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from steerco.changes.models import ChangeRequest
from steerco.milestones.models import Milestone
from steerco.raid.models import MitigationStep, RaidItem
from tests.form_support import form_values
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def remove_url(slug: str, pk: int) -> str:
    return reverse("web:register-remove", args=["mhhs", slug, pk])


def opened(client: Client, url: str) -> dict[str, str]:
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response.content.decode(), action=url)


def new_milestone(client: Client, code: str) -> Milestone:
    url = reverse("web:register-new", args=["mhhs", "milestones"])
    data = opened(client, url) | {"code": code, "title": "Spare milestone", "reason": "planning"}
    data |= {"predecessors-0-predecessor_code": "T2-TE-0250", "predecessors-0-note": "after"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:4000]
    return Milestone.objects.get(programme__code="mhhs", code=code)


def test_a_milestone_another_names_as_its_predecessor_is_not_deleted(cast: Cast) -> None:
    pmo = cast.client("pmo")
    milestone = Milestone.objects.get(programme=cast.programme, code="T2-TE-0250")
    url = remove_url("milestones", milestone.pk)
    page = pmo.get(url).content.decode()
    assert "a predecessor of milestone T3-TE-0060" in page
    assert 'value="delete"' not in page  # no Delete button to press
    data = opened(pmo, url) | {"reason": "not needed", "action": "delete"}
    refused = pmo.post(url, data)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "cannot be deleted while" in text and "a predecessor of milestone T1-TE-1000" in text
    assert Milestone.objects.filter(pk=milestone.pk).exists()


def test_a_gate_s_milestone_is_not_deleted(cast: Cast) -> None:
    milestone = Milestone.objects.get(programme=cast.programme, code="T1-TE-1000")
    page = cast.client("pmo").get(remove_url("milestones", milestone.pk)).content.decode()
    assert "it is the milestone of gate" in page


def test_a_milestone_nothing_refers_to_is_deleted_with_its_children_and_kept_in_history(
    cast: Cast,
) -> None:
    pmo = cast.client("pmo")
    milestone = new_milestone(pmo, "T3-ZZ-9001")
    link = milestone.predecessors.get()
    url = remove_url("milestones", milestone.pk)
    data = opened(pmo, url) | {"reason": "raised in error", "action": "delete"}
    response = pmo.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("web:register-list", args=["mhhs", "milestones"])
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    gone = Milestone.history.filter(id=milestone.pk).order_by("-history_id").first()
    assert gone.history_type == "-"
    assert gone.history_change_reason == "raised in error" and gone.history_actor == "mhhs-pmo"
    child = link.history.order_by("-history_id").first()
    assert child.history_type == "-" and child.history_change_reason == "raised in error"

    changes = pmo.get(reverse("web:changes", args=["mhhs"])).content.decode()
    row = changes[changes.index("T3-ZZ-9001") :][:600]
    assert "deleted" in row and "raised in error" in row


def test_a_risk_is_closed_rather_than_deleted(cast: Cast) -> None:
    pmo = cast.client("pmo")
    risk = RaidItem.objects.filter(programme=cast.programme, status="open").first()
    assert risk is not None
    url = remove_url("raid", risk.pk)
    page = pmo.get(url).content.decode()
    assert "Close RAID item" in page
    response = pmo.post(url, opened(pmo, url) | {"reason": "mitigated", "action": "close"})
    assert response.status_code == 302
    closed = RaidItem.objects.get(pk=risk.pk)
    assert closed.status == "closed"
    newest = closed.history.order_by("-history_id").first()
    assert newest.history_change_reason == "mitigated" and newest.history_type == "~"


def test_a_change_request_is_withdrawn(cast: Cast) -> None:
    pmo = cast.client("pmo")
    change = ChangeRequest.objects.filter(programme=cast.programme).first()
    assert change is not None
    url = remove_url("changes", change.pk)
    response = pmo.post(url, opened(pmo, url) | {"reason": "raiser withdrew", "action": "close"})
    assert response.status_code == 302
    assert ChangeRequest.objects.get(pk=change.pk).approval_status == "Withdrawn"


def test_a_deletion_needs_a_reason(cast: Cast) -> None:
    pmo = cast.client("pmo")
    risk = RaidItem.objects.filter(programme=cast.programme).first()
    assert risk is not None
    url = remove_url("raid", risk.pk)
    response = pmo.post(url, opened(pmo, url) | {"action": "delete"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert RaidItem.objects.filter(pk=risk.pk).exists()


def test_a_record_changed_since_the_page_was_opened_is_not_deleted(cast: Cast) -> None:
    pmo = cast.client("pmo")
    risk = RaidItem.objects.filter(programme=cast.programme).first()
    assert risk is not None
    url = remove_url("raid", risk.pk)
    data = opened(pmo, url) | {"reason": "duplicate", "action": "delete"}
    MitigationStep.objects.create(item=risk, order=50, text="Added meanwhile")
    response = pmo.post(url, data)
    assert response.status_code == 409
    assert "Someone changed this record" in response.content.decode()
    assert RaidItem.objects.filter(pk=risk.pk).exists()


@pytest.mark.parametrize("persona", ["steering", "dcc"])
def test_only_editors_close_or_delete(cast: Cast, persona: str) -> None:
    risk = RaidItem.objects.filter(programme=cast.programme).first()
    assert risk is not None
    client = cast.client(persona)
    url = remove_url("raid", risk.pk)
    assert client.get(url).status_code in (403, 404)
    version = str(risk.history.order_by("-history_id").first().history_id)
    response = client.post(url, {"version": version, "reason": "x", "action": "delete"})
    assert response.status_code in (403, 404)
    assert RaidItem.objects.filter(pk=risk.pk).exists()
