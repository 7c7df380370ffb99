"""Recording what a meeting did (issue 14): attendance, minutes, decisions, actions raised
and updates to the actions it reviewed, saved together with one reason or not at all."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from steerco.core.history import acting
from steerco.core.models import AgendaItem, Attendee, Body, BodyMember, Meeting
from steerco.milestones.models import Decision
from steerco.raid.models import Action, ActionUpdate
from tests.form_support import form_values
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

REASON = "Minutes of PSG #24 as agreed by the chair"


@pytest.fixture
def cast() -> Cast:
    cast = make_cast()
    with acting("tests", "PSG's members and quorum"):
        body = Body.objects.get(programme=cast.programme, code="PSG")
        body.quorum = 2
        body.save()
        for order, (name, represents) in enumerate(
            [("Ada Chair", "Elexon"), ("Ben Member", "Ofgem"), ("Cy Member", "DCC")], 1
        ):
            BodyMember.objects.create(body=body, order=order, name=name, represents=represents)
    return cast


def url(meeting: str = "PSG-24") -> str:
    return reverse("web:meeting-record", args=["mhhs", meeting])


def page(meeting: str = "PSG-24") -> str:
    return reverse("web:meeting", args=["mhhs", meeting])


def form_of(client: Client, meeting: str = "PSG-24") -> dict[str, str]:
    response = client.get(url(meeting))
    assert response.status_code == 200
    return form_values(response.content.decode(), action=url(meeting))


def minutes_field(meeting: str, number: int) -> str:
    item = AgendaItem.objects.get(meeting__code=meeting, number=number)
    return f"minutes-item_{item.pk}"


def lsc_action() -> Action:
    """PSG23-04, raised at PSG-23 and ongoing: under review at PSG-24."""
    return Action.objects.get(ref="PSG23-04")


def full_record(data: dict[str, str]) -> dict[str, str]:
    """The PMO's record of PSG-24: attendance from the prefilled rows, a minute, a
    decision, two actions and an update to PSG23-04."""
    action = lsc_action()
    data = {k: v for k, v in data.items() if k != "attendees-3-member"}  # a guest: unticked
    return data | {
        "attendees-0-attendance": "present",
        "attendees-1-attendance": "present",
        "attendees-2-attendance": "apologies",
        "attendees-3-name": "Dee Guest",
        "attendees-3-represents": "IPA",
        "attendees-3-attendance": "present",
        minutes_field("PSG-24", 2): "Minutes of PSG #23 **approved**.",
        "decisions-0-title": "Approve the SIT exit criteria",
        "decisions-0-outcome": "Approved",
        "decisions-0-decided_by": "PSG",
        "actions-0-text": "Publish the revised SIT plan",
        "actions-0-owners": "Programme (SI)",
        "actions-0-due_date": "2023-10-04",
        "actions-1-text": "Confirm the DCC readiness date",
        "actions-1-owners": "DCC",
        f"review-status_{action.pk}": "in_progress",
        f"review-update_{action.pk}": "Plan agreed with the LSC; work under way.",
        "record-reason": REASON,
    }


def test_the_form_is_prefilled_with_the_bodys_members_and_proposes_the_next_decision_ref(
    cast: Cast,
) -> None:
    data = form_of(cast.client("pmo"))
    assert [data[f"attendees-{n}-name"] for n in range(3)] == [
        "Ada Chair",
        "Ben Member",
        "Cy Member",
    ]
    assert data["attendees-1-represents"] == "Ofgem"
    assert data["attendees-3-name"] == ""
    # The seed's only decision is CP2: the decisions register numbers on from it.
    assert list(Decision.objects.values_list("ref", flat=True)) == ["CP2"]
    assert (data["decisions-0-ref"], data["decisions-1-ref"]) == ("CP3", "CP4")
    html = cast.client("pmo").get(url()).content.decode()
    assert "Minutes of item 2: Minutes and Actions" in html
    assert 'aria-label="New status of PSG23-04"' in html


def test_a_published_meeting_is_recorded_in_one_save_and_becomes_held(cast: Cast) -> None:
    client = cast.client("pmo")
    meeting = Meeting.objects.get(programme=cast.programme, code="PSG-24")
    assert meeting.state == "published"
    # No action of the example was raised at PSG-24: its numbering starts at 01.
    assert not Action.objects.filter(ref__startswith="PSG24-").exists()
    action = lsc_action()
    updates_before = list(action.updates.values_list("order", flat=True))

    response = client.post(url(), full_record(form_of(client)))

    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == page()
    meeting.refresh_from_db()
    assert meeting.state == "held"
    attendees = list(meeting.attendees.values_list("name", "represents", "member", "attendance"))
    assert attendees == [
        ("Ada Chair", "Elexon", True, "present"),
        ("Ben Member", "Ofgem", True, "present"),
        ("Cy Member", "DCC", True, "apologies"),
        ("Dee Guest", "IPA", False, "present"),
    ]
    minute = AgendaItem.objects.get(meeting=meeting, number=2)
    assert minute.minutes == "Minutes of PSG #23 **approved**."
    decision = Decision.objects.get(programme=cast.programme, ref="CP3")
    assert (decision.meeting_id, decision.title, decision.outcome, decision.decided_by) == (
        meeting.pk,
        "Approve the SIT exit criteria",
        "Approved",
        "PSG",
    )
    assert not Decision.objects.filter(ref="CP4").exists()  # the empty row is left out
    raised = list(
        Action.objects.filter(raised_at=meeting)
        .order_by("ref")
        .values_list("ref", "text", "owners", "due_date", "status", "order")
    )
    top = max(Action.objects.exclude(raised_at=meeting).values_list("order", flat=True))
    assert raised == [
        (
            "PSG24-01",
            "Publish the revised SIT plan",
            "Programme (SI)",
            dt.date(2023, 10, 4),
            "open",
            top + 1,
        ),
        ("PSG24-02", "Confirm the DCC readiness date", "DCC", None, "open", top + 2),
    ]
    action.refresh_from_db()
    assert action.status == "in_progress"
    update = action.updates.order_by("-order").first()
    assert update is not None
    assert (update.text, update.date) == ("Plan agreed with the LSC; work under way.", meeting.date)
    assert update.order == max(updates_before, default=0) + 1


def test_every_record_the_save_writes_keeps_the_reason_and_the_user_in_history(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    client.post(url(), full_record(form_of(client)))
    meeting = Meeting.objects.get(programme=cast.programme, code="PSG-24")
    written = [
        meeting.history.first(),
        Attendee.history.filter(meeting_id=meeting.pk).first(),
        AgendaItem.history.filter(meeting_id=meeting.pk, number=2).first(),
        Decision.history.filter(ref="CP3").first(),
        Action.history.filter(ref="PSG24-02").first(),
        lsc_action().history.first(),
        ActionUpdate.history.filter(action_id=lsc_action().pk).first(),
    ]
    assert all(row is not None for row in written)
    assert [(r.history_change_reason, r.history_actor) for r in written] == [
        (REASON, "mhhs-pmo")
    ] * len(written)
    assert meeting.history.first().state == "held"


def test_a_held_meeting_may_be_recorded_again_and_action_numbering_continues(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    assert client.post(url(), full_record(form_of(client))).status_code == 302
    again = form_of(client)
    # The attendance saved is the form's now: no rows drafted from the members again.
    assert again["attendees-4-name"] == "" and again["attendees-TOTAL_FORMS"] == "6"
    assert again["decisions-0-ref"] == "CP3" and again["decisions-1-ref"] == "CP4"
    response = client.post(
        url(),
        again
        | {
            "actions-0-text": "Circulate the minutes",
            "decisions-0-outcome": "Approved with conditions",
            "record-reason": "Correction",
        },
    )
    assert response.status_code == 302
    assert Action.objects.get(ref="PSG24-03").text == "Circulate the minutes"
    assert Decision.objects.get(ref="CP3").outcome == "Approved with conditions"
    assert Attendee.objects.filter(meeting__code="PSG-24").count() == 4
    assert Meeting.objects.get(code="PSG-24").state == "held"


def test_an_invalid_row_saves_nothing_and_is_marked_where_it_is(cast: Cast) -> None:
    client = cast.client("pmo")
    data = full_record(form_of(client)) | {
        "decisions-0-ref": "CP2",  # taken
        "actions-1-due_date": "next week",
    }
    before = {
        "attendees": Attendee.objects.count(),
        "decisions": Decision.objects.count(),
        "actions": Action.objects.count(),
        "updates": ActionUpdate.objects.count(),
    }

    response = client.post(url(), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    ref_cell = html.split('name="decisions-0-ref"')[1].split("</td>")[0]
    assert "Decision CP2 already exists in mhhs" in ref_cell
    due_cell = html.split('name="actions-1-due_date"')[1].split("</td>")[0]
    assert "is not a date: write it as dd/mm/yyyy" in due_cell
    after = {
        "attendees": Attendee.objects.count(),
        "decisions": Decision.objects.count(),
        "actions": Action.objects.count(),
        "updates": ActionUpdate.objects.count(),
    }
    assert after == before
    assert AgendaItem.objects.get(meeting__code="PSG-24", number=2).minutes == ""
    assert lsc_action().status == "ongoing"
    assert Meeting.objects.get(code="PSG-24").state == "published"


def test_a_record_without_a_reason_is_refused(cast: Cast) -> None:
    client = cast.client("pmo")
    response = client.post(url(), full_record(form_of(client)) | {"record-reason": ""})
    assert response.status_code == 400
    assert b"This field is required" in response.content
    assert Meeting.objects.get(code="PSG-24").state == "published"


def test_two_new_decisions_with_the_same_ref_are_refused(cast: Cast) -> None:
    client = cast.client("pmo")
    data = full_record(form_of(client)) | {"decisions-1-ref": "CP3", "decisions-1-title": "Other"}
    response = client.post(url(), data)
    assert response.status_code == 400
    assert b"Decision CP3 is given twice" in response.content
    assert not Decision.objects.filter(ref="CP3").exists()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("PSG-25", "PSG-25 is open: only a meeting that is published or held can be recorded"),
        ("PSG-23", "PSG-23 is closed: only a meeting that is published or held can be recorded"),
    ],
)
def test_a_meeting_not_published_or_held_is_refused_with_the_reason(
    cast: Cast, code: str, words: str
) -> None:
    client = cast.client("pmo")
    shown = client.get(url(code))
    assert shown.status_code == 200
    assert words in shown.content.decode()
    assert b"record-reason" not in shown.content
    posted = client.post(url(code), {"record-reason": "try", "actions-TOTAL_FORMS": "1"})
    assert posted.status_code == 409
    assert words in posted.content.decode()
    assert Meeting.objects.get(code=code).state == ("open" if code == "PSG-25" else "closed")
    assert b"Record the meeting" not in client.get(page(code)).content


def test_the_meeting_page_shows_the_record_and_its_quorum(cast: Cast) -> None:
    client = cast.client("pmo")
    assert b"Record the meeting" in client.get(page()).content
    client.post(url(), full_record(form_of(client)))
    html = client.get(page()).content.decode()
    assert "3 present, 1 sent apologies" in html
    # Members present: Ada and Ben (Dee is no member, Cy sent apologies).
    assert "Quorate: 2 of 2 needed" in html
    assert "Minutes of PSG #23 <strong>approved</strong>." in html
    assert "Approve the SIT exit criteria" in html and "PSG24-02" in html
    assert "Correct the record of the meeting" in html


@pytest.mark.parametrize(
    ("quorum", "words"),
    [(3, "Not quorate: 2 of 3 needed"), (None, "Quorum unknown: PSG has no quorum set.")],
)
def test_the_quorum_is_counted_against_the_bodys_quorum(
    cast: Cast, quorum: int | None, words: str
) -> None:
    client = cast.client("pmo")
    client.post(url(), full_record(form_of(client)))
    Body.objects.filter(programme=cast.programme, code="PSG").update(quorum=quorum)
    assert words in client.get(page()).content.decode()


def test_readers_see_the_record_they_may_see_and_may_not_record(cast: Cast) -> None:
    pmo = cast.client("pmo")
    data = full_record(form_of(pmo))
    pmo.post(url(), data)
    with acting("tests", "a confidential attendee"):
        Attendee.objects.filter(name="Dee Guest").update(classification="confidential")
    steering = cast.client("steering")
    assert steering.get(url()).status_code == 403
    assert steering.post(url(), data).status_code == 403
    html = steering.get(page()).content.decode()
    assert "Minutes of PSG #23 <strong>approved</strong>." in html
    assert "Ada Chair" in html and "Dee Guest" not in html
    assert "Record the meeting" not in html and "Correct the record" not in html
    assert "Dee Guest" in pmo.get(page()).content.decode()


def test_a_failure_part_way_through_the_save_leaves_nothing_saved(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    from steerco.meetings import record

    def broken(self: record.ReviewForm, meeting: Meeting) -> None:
        raise RuntimeError("the database went away")

    client = cast.client("pmo")
    data = full_record(form_of(client))
    monkeypatch.setattr(record.ReviewForm, "save", broken)
    client.raise_request_exception = False
    assert client.post(url(), data).status_code == 500
    # Attendance, minutes, decisions and actions were written before the failure: undone.
    assert not Attendee.objects.filter(meeting__code="PSG-24").exists()
    assert AgendaItem.objects.get(meeting__code="PSG-24", number=2).minutes == ""
    assert not Decision.objects.filter(ref="CP3").exists()
    assert not Action.objects.filter(ref__startswith="PSG24-").exists()
    assert Meeting.objects.get(code="PSG-24").state == "published"
