"""Editing a register record: every save is in history with who and why, and of two
concurrent edits the second is shown the conflict instead of overwriting the first."""

from __future__ import annotations

import json
import re

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse

from steerco import registers
from steerco.raid.models import RaidItem
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

FIELDS = registers.BY_SLUG["raid"].editable


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def form_of(client: Client, url: str, ref: str = "R272") -> dict[str, str]:
    """The edit form's fields as the browser would send them back."""
    html = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', html)
    assert version, html[:2000]
    risk = RaidItem.objects.get(ref=ref)
    data = {name: _as_posted(value) for name, value in model_to_dict(risk, FIELDS).items()}
    return {**data, "version": version.group(1)}


def _as_posted(value: object) -> str:
    if value is None:
        return ""
    return json.dumps(value) if isinstance(value, list | dict) else str(value)


def test_an_edit_is_saved_with_the_user_and_the_reason(cast: Cast) -> None:
    risk = RaidItem.objects.get(ref="R272")
    url = reverse("web:register-edit", args=["mhhs", "raid", risk.pk])
    client = cast.client("pmo")
    data = form_of(client, url) | {"current_score": "12", "reason": "Reviewed at RAID board"}
    response = client.post(url, data)
    assert response.status_code == 302
    newest = risk.history.first()
    assert newest.current_score == 12
    assert newest.history_actor == "mhhs-pmo"
    assert newest.history_change_reason == "Reviewed at RAID board"


def test_a_form_without_a_reason_is_refused_with_a_clear_error(cast: Cast) -> None:
    risk = RaidItem.objects.get(ref="R272")
    url = reverse("web:register-edit", args=["mhhs", "raid", risk.pk])
    client = cast.client("pmo")
    before = risk.history.count()
    response = client.post(url, form_of(client, url) | {"current_score": "99"})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert b"Give a whole number from 1 to 30." in response.content
    assert risk.history.count() == before


def test_the_second_of_two_concurrent_edits_gets_a_conflict_and_both_stay_in_history(
    cast: Cast,
) -> None:
    risk = RaidItem.objects.get(ref="R272")
    url = reverse("web:register-edit", args=["mhhs", "raid", risk.pk])
    pmo, admin = cast.client("pmo"), cast.client("admin")
    first, second = form_of(pmo, url), form_of(admin, url)
    original_rows = risk.history.count()

    saved = pmo.post(url, first | {"owner": "Test lead", "reason": "new owner"})
    assert saved.status_code == 302
    conflict = admin.post(url, second | {"owner": "SI lead", "reason": "owner from SI"})

    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "not saved" in page and "Test lead" in page and "SI lead" in page
    assert RaidItem.objects.get(pk=risk.pk).owner == "Test lead"
    assert risk.history.count() == original_rows + 1

    # The conflict page's form carries the newer version: saving it is a deliberate choice.
    newer = re.search(r'name="version" value="(\d+)"', page)
    assert newer and newer.group(1) != second["version"]
    resolved = admin.post(
        url, second | {"owner": "SI lead", "reason": "owner from SI", "version": newer.group(1)}
    )
    assert resolved.status_code == 302
    owners = list(risk.history.order_by("history_id").values_list("owner", "history_actor"))
    assert owners[-2:] == [("Test lead", "mhhs-pmo"), ("SI lead", "mhhs-admin")]


def test_the_item_page_shows_who_changed_what_and_why(cast: Cast) -> None:
    risk = RaidItem.objects.get(ref="R040")
    client = cast.client("steering")
    page = client.get(reverse("web:register-item", args=["mhhs", "raid", risk.pk])).content
    text = page.decode()
    # The loader stated 9 at PSG-23 and 8 at PSG-24: the history shows the movement.
    assert "Current score" in text and "<del>9</del> → <ins>8</ins>" in text
    assert "load mhhs" in text


def test_what_changed_shows_an_edit_since_the_last_meeting(cast: Cast) -> None:
    risk = RaidItem.objects.get(ref="R040")
    url = reverse("web:register-edit", args=["mhhs", "raid", risk.pk])
    pmo = cast.client("pmo")
    pmo.post(url, form_of(pmo, url, "R040") | {"owner": "Data lead", "reason": "handover"})
    page = cast.client("dcc").get(reverse("web:changes", args=["mhhs"])).content.decode()
    assert "R040" in page and "Data lead" in page and "handover" in page
    between = (
        cast.client("dcc")
        .get(reverse("web:changes", args=["mhhs"]) + "?since=PSG-23&until=PSG-24&register=RAID+log")
        .content.decode()
    )
    assert "Data lead" not in between and "<del>9</del> → <ins>8</ins>" in between
