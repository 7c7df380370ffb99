"""A record's children edited with it on the web: rows added, changed, reordered and deleted
on the record's own form, checked with it, saved with it and its reason or not at all, and
a change to them by someone else since the form was opened is a conflict."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from steerco.milestones.models import Decision, Gate, Milestone, MilestoneDependency
from steerco.raid.models import Action, ActionUpdate, MitigationStep, RaidItem, RaidTheme
from tests.form_support import form_labels, form_values
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def edit_url(slug: str, pk: int) -> str:
    return reverse("web:register-edit", args=["mhhs", slug, pk])


def opened(client: Client, url: str) -> dict[str, str]:
    """The form on the page, as the browser would send it back unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return form_values(response.content.decode(), action=url)


def new_risk(client: Client, ref: str, mitigations: list[str]) -> RaidItem:
    url = reverse("web:register-new", args=["mhhs", "raid"])
    data = opened(client, url)
    theme = RaidTheme.objects.order_by("number").first()
    assert theme is not None
    data |= {
        "ref": ref,
        "theme": str(theme.pk),
        "description": "Supplier environments late",
        "linked_milestones": "[]",
        "reason": "raised at the RAID board",
    }
    for index, text in enumerate(mitigations):
        data[f"mitigations-{index}-text"] = text
    # More rows than the page offers, as a script adding rows would send.
    total = max(int(data["mitigations-TOTAL_FORMS"]), len(mitigations))
    data["mitigations-TOTAL_FORMS"] = str(total)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:4000]
    return RaidItem.objects.get(ref=ref)


def test_a_risk_is_created_with_two_mitigations_each_in_history_with_the_reason(
    cast: Cast,
) -> None:
    risk = new_risk(cast.client("pmo"), "R9101", ["Weekly check-ins", "Escalate to SRO"])
    steps = list(risk.mitigations.order_by("order").values_list("order", "text"))
    assert steps == [(1, "Weekly check-ins"), (2, "Escalate to SRO")]
    for step in risk.mitigations.all():
        first = step.history.get()
        assert first.history_change_reason == "raised at the RAID board"
        assert first.history_actor == "mhhs-pmo"


def test_mitigations_are_edited_reordered_and_deleted_with_their_risk(cast: Cast) -> None:
    pmo = cast.client("pmo")
    risk = new_risk(pmo, "R9102", ["First", "Second", "Third"])
    first, second, third = risk.mitigations.order_by("order")
    url = edit_url("raid", risk.pk)
    data = opened(pmo, url)
    assert data["mitigations-TOTAL_FORMS"] == "5"  # three rows and two blank ones
    rows = {data[f"mitigations-{i}-id"]: i for i in range(3)}
    data |= {
        f"mitigations-{rows[str(first.pk)]}-text": "First, sharpened",
        f"mitigations-{rows[str(first.pk)]}-order": "3",
        f"mitigations-{rows[str(third.pk)]}-order": "1",
        f"mitigations-{rows[str(second.pk)]}-DELETE": "on",
        "reason": "RAID board review",
    }
    response = pmo.post(url, data)
    assert response.status_code == 302, response.content.decode()[:4000]
    kept = list(risk.mitigations.order_by("order").values_list("text", flat=True))
    assert kept == ["Third", "First, sharpened"]
    gone = MitigationStep.history.filter(id=second.pk).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_change_reason == "RAID board review"
    changed = first.history.order_by("-history_id").first()
    assert changed.history_change_reason == "RAID board review" and changed.order == 3

    page = pmo.get(reverse("web:register-item", args=["mhhs", "raid", risk.pk])).content.decode()
    assert "Mitigation step" in page and "deleted" in page
    assert "<del>First</del> → <ins>First, sharpened</ins>" in page


def test_each_row_input_is_labelled_with_its_row_and_field(cast: Cast) -> None:
    pmo = cast.client("pmo")
    risk = new_risk(pmo, "R9103", ["Only one"])
    url = edit_url("raid", risk.pk)
    labels = form_labels(pmo.get(url).content.decode(), action=url)
    assert labels["mitigations-0-text"] == "Mitigation step 1: Text"
    assert labels["mitigations-0-DELETE"] == "Mitigation step 1: Delete"
    assert labels["mitigations-1-order"] == "New mitigation step 1: Order"


def test_an_invalid_row_is_shown_beside_it_and_nothing_is_saved(cast: Cast) -> None:
    pmo = cast.client("pmo")
    risk = new_risk(pmo, "R9104", ["Keep me"])
    url = edit_url("raid", risk.pk)
    rows_before = RaidItem.history.filter(id=risk.pk).count()
    data = opened(pmo, url) | {
        "owner": "Someone new",
        "mitigations-0-text": "Changed",
        "mitigations-1-order": "-4",  # a new row with an order that cannot be
        "mitigations-1-text": "A new step",
        "reason": "tidy",
    }
    response = pmo.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "greater than or equal to 0" in page
    assert page.index("New mitigation step 1: Order") < page.index("greater than or equal to 0")
    assert RaidItem.objects.get(pk=risk.pk).owner != "Someone new"
    assert list(risk.mitigations.values_list("text", flat=True)) == ["Keep me"]
    assert RaidItem.history.filter(id=risk.pk).count() == rows_before
    assert MitigationStep.history.filter(item_id=risk.pk).count() == 1


def test_a_new_record_with_an_invalid_row_is_not_created(cast: Cast) -> None:
    pmo = cast.client("pmo")
    url = reverse("web:register-new", args=["mhhs", "actions"])
    data = opened(pmo, url) | {
        "ref": "PSG99-01",
        "text": "Chase the test plan",
        "reason": "raised at PSG",
        "updates-0-date": "not a date",
        "updates-0-text": "Chased",
    }
    response = pmo.post(url, data)
    assert response.status_code == 400
    assert "is not a date: write it as dd/mm/yyyy" in response.content.decode()
    assert not Action.objects.filter(ref="PSG99-01").exists()


def test_an_action_gets_a_dated_update(cast: Cast) -> None:
    pmo = cast.client("pmo")
    action = Action.objects.filter(programme=cast.programme).order_by("pk").first()
    assert action is not None
    count = action.updates.count()
    url = edit_url("actions", action.pk)
    data = opened(pmo, url) | {
        f"updates-{count}-date": "2023-09-20",
        f"updates-{count}-text": "Plan agreed with DCC",
        "reason": "update at PSG",
    }
    response = pmo.post(url, data)
    assert response.status_code == 302, response.content.decode()[:4000]
    update = ActionUpdate.objects.get(action=action, text="Plan agreed with DCC")
    assert str(update.date) == "2023-09-20"
    assert update.order == max([0, *(u.order for u in action.updates.exclude(pk=update.pk))]) + 1
    assert update.history.get().history_change_reason == "update at PSG"


def test_a_milestone_takes_a_predecessor_from_the_programme_but_not_itself(cast: Cast) -> None:
    pmo = cast.client("pmo")
    milestone = Milestone.objects.get(programme=cast.programme, code="T2-TE-0250")
    url = edit_url("milestones", milestone.pk)
    page = pmo.get(url).content.decode()
    assert '<option value="T1-TE-1000">' in page  # chosen among the programme's milestones
    count = milestone.predecessors.count()
    own = opened(pmo, url) | {
        f"predecessors-{count}-predecessor_code": "T2-TE-0250",
        "reason": "linking",
    }
    refused = pmo.post(url, own)
    assert refused.status_code == 400
    assert "this is milestone T2-TE-0250 itself" in refused.content.decode()
    assert not MilestoneDependency.objects.filter(milestone=milestone).exclude(
        predecessor_code__in=[d.predecessor_code for d in milestone.predecessors.all()]
    )
    other = opened(pmo, url) | {
        f"predecessors-{count}-predecessor_code": "T3-TE-0060",
        f"predecessors-{count}-note": "needs the T3 decision",
        "reason": "linking",
    }
    assert pmo.post(url, other).status_code == 302
    link = MilestoneDependency.objects.get(milestone=milestone, predecessor_code="T3-TE-0060")
    assert link.note == "needs the T3 decision"


def test_a_child_changed_by_someone_else_since_the_form_was_opened_is_a_conflict(
    cast: Cast,
) -> None:
    pmo, admin = cast.client("pmo"), cast.client("admin")
    risk = new_risk(pmo, "R9105", ["Original step"])
    url = edit_url("raid", risk.pk)
    mine, theirs = opened(pmo, url), opened(admin, url)
    saved = admin.post(url, theirs | {"mitigations-0-text": "Admin's step", "reason": "admin"})
    assert saved.status_code == 302
    # The PMO changes only the risk's owner: its form's steps are older than the admin's.
    conflict = pmo.post(url, mine | {"owner": "PMO lead", "reason": "pmo"})
    assert conflict.status_code == 409
    page = conflict.content.decode()
    assert "not saved" in page and "Admin&#x27;s step" in page and "Original step" in page
    assert RaidItem.objects.get(pk=risk.pk).owner == ""
    assert list(risk.mitigations.values_list("text", flat=True)) == ["Admin's step"]


def test_an_unchanged_form_writes_nothing(cast: Cast) -> None:
    pmo = cast.client("pmo")
    risk = new_risk(pmo, "R9106", ["Step"])
    url = edit_url("raid", risk.pk)
    assert pmo.post(url, opened(pmo, url) | {"reason": "nothing"}).status_code == 302
    assert RaidItem.history.filter(id=risk.pk).count() == 1
    assert MitigationStep.history.filter(item_id=risk.pk).count() == 1


def test_a_gate_gets_a_criterion_and_a_decision_an_option(cast: Cast) -> None:
    pmo = cast.client("pmo")
    gate = Gate.objects.filter(programme=cast.programme).order_by("pk").first()
    decision = Decision.objects.filter(programme=cast.programme).order_by("pk").first()
    assert gate is not None and decision is not None
    url = edit_url("gates", gate.pk)
    count = gate.criteria.count()
    data = opened(pmo, url) | {
        f"criteria-{count}-text": "T1-TE-1000 approved",
        f"criteria-{count}-kind": "milestone",
        f"criteria-{count}-target_code": "T1-TE-1000",
        f"criteria-{count}-state": "met",
        "reason": "criterion agreed",
    }
    assert pmo.post(url, data).status_code == 302
    added = gate.criteria.get(text="T1-TE-1000 approved")
    assert (added.kind, added.state, added.order) == ("milestone", "met", count + 1)

    url = edit_url("decisions", decision.pk)
    count = decision.options.count()
    data = opened(pmo, url) | {
        f"options-{count}-name": "Option C",
        f"options-{count}-meaning": "Defer a tranche",
        "reason": "option tabled",
    }
    assert pmo.post(url, data).status_code == 302
    assert decision.options.get(name="Option C").meaning == "Defer a tranche"
