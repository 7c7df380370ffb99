"""The agenda edited on its page: PSG-25 (open in the example) gains, loses and reorders
items in one save with one reason, its slots derived on the server; a published meeting's
agenda is refused; an agenda changed meanwhile is not overwritten."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from steerco.core.history import acting
from steerco.core.models import AgendaItem, Meeting
from steerco.meetings import agenda
from steerco.web.meeting_forms import AgendaItemForm
from tests.conftest import ROOT
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

URL = reverse("web:meeting-agenda", args=["mhhs", "PSG-25"])
EXTRA = 2  # blank rows the page offers for new items


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def items(code: str = "PSG-25") -> list[AgendaItem]:
    return list(AgendaItem.objects.filter(meeting__code=code).order_by("number"))


def post_data(page: Any, rows: list[dict[str, Any]], reason: str) -> dict[str, Any]:
    """The page's form as an editor fills it in: ``rows`` the existing items (with their
    id) then new ones, each with the values to send."""
    formset = page.context["formset"]
    prefix = formset.prefix
    existing = sum(1 for row in rows if row.get("id"))
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(existing),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        "loaded": page.context["form"].initial["loaded"],
        "reason": reason,
    }
    for n, row in enumerate(rows):
        for name, value in row.items():
            if value is None or value is False:
                continue
            data[f"{prefix}-{n}-{name}"] = "on" if value is True else str(value)
    return data


def row_of(item: AgendaItem, **changes: Any) -> dict[str, Any]:
    values = {name: getattr(item, name) for name in AgendaItemForm.Meta.fields}
    return {"id": item.pk, "meeting": item.meeting_id, **values, **changes}


def test_the_pmo_adds_reorders_and_deletes_items_and_the_server_derives_each_slot(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    page = client.get(URL)
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == len(items()) + EXTRA
    m9, assurance, minutes, sponsor, dashboards, summary = items()
    rows = [
        row_of(m9, number=2, duration_minutes=15),
        row_of(assurance, number=3, duration_minutes=20),
        row_of(minutes, number=5, duration_minutes=None),
        row_of(sponsor, DELETE=True),
        row_of(dashboards, number=6, duration_minutes=5),
        row_of(summary, number=1, duration_minutes=10, lead="SRO"),
        {"number": 4, "title": "Readiness update", "type": "decision", "duration_minutes": 25},
    ]
    response = client.post(URL, post_data(page, rows, "PSG-25 agenda agreed with the chair"))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = items()
    assert [(i.number, i.title) for i in saved] == [
        (1, "Summary and next steps"),
        (2, "M9 Progress / FTIG Update"),
        (3, "Assurance Updates (Delivery, Design, Testing)"),
        (4, "Readiness update"),
        (5, "Minutes and action review"),
        (6, "Delivery dashboards"),
    ]
    assert not AgendaItem.objects.filter(pk=sponsor.pk).exists()
    assert saved[0].lead == "SRO" and saved[3].type == "decision"
    # Slots worked out by hand from 10:00: 10, 15, 20, 25, none, 5 minutes.
    by_hand = [
        "10:00–10:10",
        "10:10–10:25",
        "10:25–10:45",
        "10:45–11:10",
        "11:10–11:10",
        "11:10–11:15",
    ]
    shown = client.get(response["Location"])
    slots = [f"{s[0]:%H:%M}–{s[1]:%H:%M}" for _, s in shown.context["items"]]
    assert slots == by_hand
    html = shown.content.decode()
    assert "The agenda was saved." in html
    assert all(f'<td class="nowrap saved-slot">{slot}</td>' in html for slot in by_hand)
    for item in saved:  # every one moved, changed or was added: each in history
        newest = item.history.latest("history_id")
        assert newest.history_change_reason == "PSG-25 agenda agreed with the chair", item
    deleted = AgendaItem.history.get(id=sponsor.pk, history_type="-")
    assert deleted.history_change_reason == "PSG-25 agenda agreed with the chair"
    assert deleted.history_actor == cast.users["pmo"].get_username()


def test_the_slots_are_derive_agenda_slots_of_the_start_and_durations() -> None:
    assert agenda.slots(dt.time(10, 0), [15, None, 30]) == [
        (dt.time(10, 0), dt.time(10, 15)),
        (dt.time(10, 15), dt.time(10, 15)),
        (dt.time(10, 15), dt.time(10, 45)),
    ]
    assert agenda.slots(None, [15, 30]) == [None, None]


def test_the_page_derives_slots_as_you_type_with_a_self_hosted_script_and_no_inline_one(
    cast: Cast,
) -> None:
    html = cast.client("pmo").get(URL).content.decode()
    assert '<script src="/static/web/agenda.js" defer></script>' in html
    assert 'data-start="10:00"' in html
    assert "<script>" not in html
    script = (ROOT / "src/steerco/web/static/web/agenda.js").read_text()
    # It mirrors derive.agenda_slots: an empty duration takes no time, items back to back.
    assert "minutes || 0" in script and "at = end" in script


def test_a_published_meetings_agenda_is_refused_and_left_as_it_is(cast: Cast) -> None:
    client = cast.client("pmo")
    url = reverse("web:meeting-agenda", args=["mhhs", "PSG-24"])
    before = [(i.pk, i.number, i.title, i.duration_minutes) for i in items("PSG-24")]
    page = client.get(url)
    assert page.status_code == 200
    assert "PSG-24 is published" in page.content.decode()
    assert "formset" not in page.context or page.context.get("formset") is None
    first = items("PSG-24")[0]
    response = client.post(
        url,
        {
            "agenda_items-TOTAL_FORMS": "1",
            "agenda_items-INITIAL_FORMS": "1",
            "agenda_items-0-id": str(first.pk),
            "agenda_items-0-title": "Rewritten after publication",
            "reason": "too late",
            "loaded": agenda.fingerprint(items("PSG-24")),
        },
    )
    assert response.status_code == 409
    assert "can no longer change" in response.content.decode()
    assert [(i.pk, i.number, i.title, i.duration_minutes) for i in items("PSG-24")] == before


def test_an_agenda_changed_since_it_was_loaded_is_not_overwritten(cast: Cast) -> None:
    client = cast.client("pmo")
    page = client.get(URL)
    first = items()[0]
    with acting("someone else", "lead named"):
        first.lead = "Programme Director"
        first.save()
    rows = [row_of(i, duration_minutes=30) for i in items()]
    rows[0]["lead"] = ""  # what the editor's page still showed
    response = client.post(URL, post_data(page, rows, "durations"))
    assert response.status_code == 409
    assert "Someone changed PSG-25" in response.content.decode()
    assert [i.duration_minutes for i in items()] == [None] * len(rows)
    assert items()[0].lead == "Programme Director"
    # Shown the agenda as it now is, to edit again: its fingerprint is today's.
    assert response.context["form"].initial["loaded"] == agenda.fingerprint(items())


def test_the_fingerprint_changes_with_any_item_and_with_one_added() -> None:
    meeting = Meeting.objects.get(code="PSG-25")
    loaded = agenda.fingerprint(items())
    assert agenda.fingerprint(items()) == loaded
    changed = items()
    changed[2].duration_minutes = 5
    assert agenda.fingerprint(changed) != loaded
    added = [*items(), AgendaItem(meeting=meeting, number=7, title="AOB", pk=10**6)]
    assert agenda.fingerprint(added) != loaded


def test_a_save_with_no_reason_writes_nothing(cast: Cast) -> None:
    client = cast.client("pmo")
    page = client.get(URL)
    rows = [row_of(i, duration_minutes=10) for i in items()]
    response = client.post(URL, post_data(page, rows, ""))
    assert response.status_code == 400
    assert [i.duration_minutes for i in items()] == [None] * len(rows)


@pytest.mark.parametrize("persona", ["steering", "dcc"])
def test_only_editors_reach_the_agenda_page(cast: Cast, persona: str) -> None:
    client: Client = cast.client(persona)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {}).status_code == 403


def test_the_meeting_page_links_editors_to_the_editing_pages(cast: Cast, tmp_path: Path) -> None:
    meeting = reverse("web:meeting", args=["mhhs", "PSG-25"])
    pmo = cast.client("pmo").get(meeting).content.decode()
    steering = cast.client("steering").get(meeting).content.decode()
    for words in ("Edit the agenda", "Edit sections", "Attach a paper"):
        assert words in pmo and words not in steering
    assert "Papers attached" in steering
