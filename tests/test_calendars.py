"""Calendar feeds (steerco.calendars): a person's and a programme's, at secret, revocable
addresses; read back with icalendar and, independently, with vobject."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from typing import Any

import icalendar
import pytest
import vobject
from django.test import Client
from django.urls import reverse

from steerco.accounts.models import Membership
from steerco.calendars import addresses
from steerco.calendars.feeds import uid
from steerco.calendars.models import CalendarFeed, FeedScope
from steerco.core.history import acting
from steerco.core.models import Body, BodyMember, Meeting
from steerco.milestones.models import Milestone
from steerco.ops.logs import JsonFormatter
from steerco.raid.models import Action
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def fetch(secret: str) -> Any:
    """The feed as a stranger's calendar program fetches it: no session, only the address."""
    return Client(HTTP_HOST="localhost").get(reverse("calendars:feed", args=[secret]))


def events_of(body: bytes) -> dict[str, Any]:
    """UID → VEVENT, read with icalendar, checked against a second parser (vobject)."""
    calendar = icalendar.Calendar.from_ical(body)
    found = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    other = vobject.readOne(io.StringIO(body.decode()))
    other_uids = {event.uid.value for event in other.vevent_list} if found else set()
    assert other_uids == set(found)
    for event in other.vevent_list if found else []:
        assert str(found[event.uid.value]["SUMMARY"]) == event.summary.value
        start = found[event.uid.value].decoded("DTSTART")
        assert event.dtstart.value == start
    return found


def test_the_programme_feed_holds_every_meeting_and_its_tier_1_and_2_milestones(
    cast: Cast,
) -> None:
    response = fetch(addresses.issue(cast.users["pmo"], cast.programme, FeedScope.PROGRAMME))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    found = events_of(response.content)
    meetings = Meeting.objects.filter(programme=cast.programme)
    wanted = {uid(cast.programme, Meeting, m.pk) for m in meetings}
    milestones = Milestone.objects.filter(programme=cast.programme, tier__in=["T1", "T2"])
    dated = [m for m in milestones if m.actual_date or m.forecast_date or m.baseline_date]
    assert dated, "the example has tier 1 and 2 milestones with dates"
    wanted |= {uid(cast.programme, Milestone, m.pk) for m in dated}
    assert set(found) == wanted
    # A milestone sits on its achieved date, else its forecast, as a whole day.
    for milestone in dated:
        event = found[uid(cast.programme, Milestone, milestone.pk)]
        day = milestone.actual_date or milestone.forecast_date or milestone.baseline_date
        assert event.decoded("DTSTART") == day
        assert event.decoded("DTEND") == day + dt.timedelta(days=1)
        assert milestone.code in str(event["SUMMARY"])
    # PSG-24 at its time in London: 06/09/2023 from 10:00 (its body's usual start).
    psg24 = meetings.get(code="PSG-24")
    start = found[uid(cast.programme, Meeting, psg24.pk)].decoded("DTSTART")
    assert start.isoformat() == "2023-09-06T09:00:00+00:00"  # 10:00 in London (BST)
    assert b"DTSTART:20230906T090000Z" in response.content


def test_a_moved_meeting_keeps_its_uid_and_its_sequence_grows(cast: Cast) -> None:
    secret = addresses.issue(cast.users["pmo"], cast.programme, FeedScope.PROGRAMME)
    meeting = Meeting.objects.get(programme=cast.programme, code="PSG-24")
    key = uid(cast.programme, Meeting, meeting.pk)
    before = events_of(fetch(secret).content)[key]
    assert fetch(secret).content == fetch(secret).content  # the same state, the same bytes
    with acting("tests", "moved a week"):
        meeting.date = dt.date(2023, 9, 13)
        meeting.save()
    after_body = fetch(secret).content
    after = events_of(after_body)
    assert len(after) == len(events_of(fetch(secret).content))
    moved = after[key]
    assert moved.decoded("DTSTART").date() == dt.date(2023, 9, 13)
    assert int(moved["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    assert moved.decoded("DTSTAMP") > before.decoded("DTSTAMP")
    assert after_body.count(key.encode()) == 1  # moved, not duplicated


def test_a_persons_feed_holds_their_bodies_meetings_and_their_open_actions(cast: Cast) -> None:
    user = cast.users["pmo"]
    user.first_name, user.last_name = "Lewis", "Hall"
    user.save()
    psg = Body.objects.get(programme=cast.programme, code="PSG")
    with acting("tests", "a member of PSG"):
        BodyMember.objects.create(body=psg, name="Lewis Hall", role="PMO lead")
        Meeting.objects.create(
            programme=cast.programme, code="TMAG-9", body="TMAG", date=dt.date(2023, 9, 20)
        )
        action = Action.objects.create(
            programme=cast.programme,
            ref="PSG24-90",
            text="Circulate the revised plan",
            owners="Programme (Lewis Hall & Fraser Mathieson)",
            due_date=dt.date(2023, 10, 1),
            status="open",
        )
        Action.objects.create(
            programme=cast.programme,
            ref="PSG24-91",
            text="A closed one",
            owners="Programme (Lewis Hall)",
            due_date=dt.date(2023, 10, 1),
            status="closed",
        )
        Action.objects.create(
            programme=cast.programme,
            ref="PSG24-92",
            text="Somebody else's",
            owners="Programme (Lewis Hallam)",
            due_date=dt.date(2023, 10, 1),
            status="open",
        )
    found = events_of(fetch(addresses.issue(user, cast.programme, FeedScope.PERSON)).content)
    psg_meetings = Meeting.objects.filter(programme=cast.programme, body="PSG")
    others = Meeting.objects.filter(programme=cast.programme).exclude(body="PSG")
    assert psg_meetings.exists() and others.exists()
    assert {uid(cast.programme, Meeting, m.pk) for m in psg_meetings} <= set(found)
    assert not {uid(cast.programme, Meeting, m.pk) for m in others} & set(found)
    actions = {k for k in found if k.startswith("action-")}
    assert uid(cast.programme, Action, action.pk) in actions
    assert all("Lewis Hall" in str(found[k]["DESCRIPTION"]) for k in actions)
    assert not any(
        "PSG24-91" in str(e["SUMMARY"]) or "PSG24-92" in str(e["SUMMARY"]) for e in found.values()
    )
    assert found[uid(cast.programme, Action, action.pk)].decoded("DTSTART") == dt.date(2023, 10, 1)


def test_a_participants_feed_holds_actions_naming_its_organisation(cast: Cast) -> None:
    with acting("tests", "an action for DCC"):
        mine = Action.objects.create(
            programme=cast.programme,
            ref="PSG24-93",
            text="DCC to confirm",
            owners="DCC",
            due_date=dt.date(2023, 10, 2),
            status="open",
        )
        theirs = Action.objects.create(
            programme=cast.programme,
            ref="PSG24-94",
            text="RECCo to confirm",
            owners="RECCo",
            due_date=dt.date(2023, 10, 2),
            status="open",
        )
    found = events_of(
        fetch(addresses.issue(cast.users["dcc"], cast.programme, FeedScope.PERSON)).content
    )
    assert uid(cast.programme, Action, mine.pk) in found
    assert uid(cast.programme, Action, theirs.pk) not in found


def test_a_feed_shows_only_what_its_owner_may_read_now(cast: Cast) -> None:
    with acting("tests", "a programme-only and a confidential tier 1 milestone"):
        programme_only = Milestone.objects.create(
            programme=cast.programme,
            code="T1-XX-0001",
            tier="T1",
            title="Programme only",
            forecast_date=dt.date(2024, 1, 5),
            classification="programme",
        )
        confidential = Milestone.objects.create(
            programme=cast.programme,
            code="T1-XX-0002",
            tier="T1",
            title="Confidential",
            forecast_date=dt.date(2024, 1, 6),
            classification="confidential",
        )
    seen = {}
    for persona in ("pmo", "steering", "dcc", "public"):
        secret = addresses.issue(cast.users[persona], cast.programme, FeedScope.PROGRAMME)
        seen[persona] = set(events_of(fetch(secret).content))
    one, two = (uid(cast.programme, Milestone, m.pk) for m in (programme_only, confidential))
    assert {one, two} <= seen["pmo"]
    assert one in seen["steering"] and two not in seen["steering"]
    assert one in seen["dcc"] and two not in seen["dcc"]
    assert not {one, two} & seen["public"]
    # A role taken away takes the feed's contents with it, at the next fetch.
    secret = addresses.issue(cast.users["steering"], cast.programme, FeedScope.PROGRAMME)
    Membership.objects.filter(user=cast.users["steering"]).update(role="public")
    assert one not in events_of(fetch(secret).content)
    cast.users["steering"].is_active = False
    cast.users["steering"].save()
    assert fetch(secret).status_code == 404


def test_an_address_is_revoked_or_replaced_and_only_its_digest_is_kept(cast: Cast) -> None:
    client = cast.client("dcc")
    page = reverse("calendars:settings", args=[cast.programme.code])
    response = client.post(page, {"scope": "person", "do": "issue"})
    assert response.status_code == 200
    address = response.context["scopes"][0][2]
    secret = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert fetch(secret).status_code == 200
    stored = CalendarFeed.objects.get(user=cast.users["dcc"])
    assert secret not in json.dumps(list(CalendarFeed.objects.values()), default=str)
    assert stored.prefix == secret[:12]
    assert client.get(page).content.count(secret.encode()) == 0  # shown once, when issued
    newer = client.post(page, {"scope": "person", "do": "issue"}).context["scopes"][0][2]
    assert fetch(secret).status_code == 404
    newer_secret = newer.rsplit("/", 1)[1].removesuffix(".ics")
    assert fetch(newer_secret).status_code == 200
    assert client.post(page, {"scope": "person", "do": "revoke"}).status_code == 302
    assert fetch(newer_secret).status_code == 404
    assert fetch("scal_not-a-secret").status_code == 404
    assert client.post(page, {"scope": "nonsense"}).status_code == 302
    assert Client().get(page).status_code == 302  # signed out: sent to sign in


def test_a_feed_address_never_reaches_the_logs(cast: Cast) -> None:
    secret = addresses.issue(cast.users["pmo"], cast.programme, FeedScope.PROGRAMME)
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        (f"/calendar/{secret}.ics",),
        None,
    )
    record.path = f"/calendar/{secret}.ics"
    line = JsonFormatter().format(record)
    assert secret[5:] not in line and "/calendar/scal_…" in line
