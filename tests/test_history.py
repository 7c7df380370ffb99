"""Every change is in history with actor, time, before/after and reason, whatever the path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.forms.models import model_to_dict
from django.test import Client

from steerco.changes.models import ChangeRequest
from steerco.core.history import acting
from steerco.core.models import Meeting
from steerco.milestones.models import Milestone
from steerco.raid.models import RaidItem

pytestmark = pytest.mark.django_db


def test_the_loader_writes_history_with_its_actor_and_reason() -> None:
    record = Milestone.history.filter(code="T1-TE-1000").earliest("history_date")
    assert record.history_actor == "tests"
    assert record.history_change_reason == "load mhhs"


def test_stated_earlier_values_are_dated_at_the_earlier_meetings_cutoff() -> None:
    psg23 = Meeting.objects.get(code="PSG-23")
    psg24 = Meeting.objects.get(code="PSG-24")
    dates = sorted(
        Milestone.history.filter(code="T3-DB-0035").values_list("history_date", flat=True)
    )
    assert dates == [psg23.cutoff, psg24.cutoff]


def test_a_change_made_in_code_records_before_and_after() -> None:
    item = RaidItem.objects.get(ref="R040")
    with acting("pmo@example", "score reviewed at RAID meeting"):
        item.current_score = 6
        item.save()
    newest, previous = item.history.all()[:2]
    delta = newest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("current_score", 8, 6)]
    assert newest.history_actor == "pmo@example"
    assert newest.history_change_reason == "score reviewed at RAID meeting"
    assert newest.history_date > dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def test_a_change_made_in_the_admin_records_the_user_and_the_request() -> None:
    user = get_user_model().objects.create_superuser("pmo", password="a-long-password-1")
    client = Client()
    client.force_login(user)
    change = ChangeRequest.objects.get(ref="CR031")
    form = {k: ("" if v is None else v) for k, v in model_to_dict(change).items()}
    form["stage"] = "Approved by DAG"
    response = client.post(f"/admin/changes/changerequest/{change.pk}/change/", form)
    assert response.status_code == 302, response.content[:2000]
    newest = change.history.first()
    assert newest is not None and newest.stage == "Approved by DAG"
    assert newest.history_actor == "pmo"
    assert newest.history_change_reason.startswith("web: POST /admin/changes/changerequest/")


def test_a_deletion_is_kept_in_history() -> None:
    change = ChangeRequest.objects.get(ref="CR030")
    pk = change.pk
    with acting("pmo@example", "withdrawn by raiser"):
        change.delete()
    newest = ChangeRequest.history.filter(id=pk).first()
    assert newest is not None and newest.history_type == "-"
    assert newest.history_change_reason == "withdrawn by raiser"


def test_the_admin_shows_a_records_history() -> None:
    user = get_user_model().objects.create_superuser("reader", password="a-long-password-1")
    client = Client()
    client.force_login(user)
    milestone = Milestone.objects.get(code="T2-TE-0200")
    response = client.get(f"/admin/milestones/milestone/{milestone.pk}/history/")
    assert response.status_code == 200
    assert b"load mhhs" in response.content
