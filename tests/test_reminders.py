"""`steerco remind`: one digest per person per run of what is due to them, never the same
reminder twice, only what its reader may see (Django's locmem mail backend in tests).

The MHHS example as loaded already has due work: its open actions are long overdue (owned
by the programme's own people, so the PMO's), PSG-25 and the extraordinary meeting are open
with their dates past, and PSG-25's delivery reports are late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.utils import timezone

from steerco.core.history import acting
from steerco.core.models import Meeting
from steerco.meetings import life
from steerco.organisations.models import Organisation
from steerco.raid.models import Action
from steerco.reminders import rules, services
from steerco.reminders.models import Reminder
from steerco.reports.models import DeliveryReport
from tests.web_support import Cast, make_cast

TODAY = dt.date(2026, 3, 10)
ADDRESSES = {"pmo": "pmo@example.org", "dcc": "dcc@example.org", "recco": "recco@example.org"}


# -- the rules, without a database -----------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "status", "kind"),
    [
        (TODAY - dt.timedelta(days=1), "open", rules.Kind.OVERDUE),
        (TODAY, "ongoing", rules.Kind.DUE),
        (TODAY + dt.timedelta(days=7), "", rules.Kind.DUE),
        (TODAY + dt.timedelta(days=8), "open", None),
        (TODAY - dt.timedelta(days=30), "closed", None),
        (TODAY - dt.timedelta(days=30), "recommend_closed", None),
        (None, "open", None),
    ],
)
def test_an_action_is_due_within_the_window_and_overdue_once_past(
    due: dt.date | None, status: str, kind: rules.Kind | None
) -> None:
    assert rules.action_kind(due, status, TODAY, 7) == kind


NAMES = {
    1: ["DCC", "Data Communications Company (DCC)"],
    2: ["E.ON Next Energy Limited", "E.ON Next"],
    3: ["E (Gas and Electricity) Ltd", "E"],
    4: ["Elexon"],
    5: ["Elexon (Helix)", "Elexon Central Systems (Helix)"],
    6: ["MHHS Programme"],
}


@pytest.mark.parametrize(
    ("owners", "organisations"),
    [
        ("DCC", {1}),
        ("dcc (Jane Doe)", {1}),
        ("Data Communications Company (DCC) and elexon", {1, 4}),
        ("E.ON Next", {2}),  # not also the organisation aliased "E"
        ("E and E.ON Next", {2, 3}),
        ("Elexon (Helix)", {5}),
        ("DCCs and Elexonic", set()),  # whole words only
        ("Programme (Fraser Mathieson)", set()),
        ("", set()),
    ],
)
def test_an_owner_names_organisations_by_name_or_alias_as_whole_words(
    owners: str, organisations: set[int]
) -> None:
    assert rules.owner_organisations(owners, NAMES) == organisations


@pytest.mark.parametrize(
    ("named", "contacts", "readers", "kind", "note"),
    [
        (False, False, False, rules.Kind.DUE, "owner not matched to a contact"),
        (True, False, False, rules.Kind.DUE, "its owner's organisation has no participant contact"),
        (True, True, False, rules.Kind.DUE, "its owner's contacts may not read it"),
        (True, True, True, rules.Kind.OVERDUE, "overdue"),
        (True, True, True, rules.Kind.DUE, None),
    ],
)
def test_the_pmo_is_told_of_an_action_nobody_else_may_be_told_of_or_overdue(
    named: bool, contacts: bool, readers: bool, kind: rules.Kind, note: str | None
) -> None:
    assert rules.pmo_note(named, contacts, readers, kind) == note


def test_a_reminder_key_changes_with_the_facts_it_reports() -> None:
    first = rules.action_key(7, rules.Kind.DUE, TODAY)
    assert first == "action:7:due:2026-03-10"
    assert rules.action_key(7, rules.Kind.DUE, TODAY + dt.timedelta(days=1)) != first
    assert rules.action_key(7, rules.Kind.OVERDUE, TODAY) != first
    assert rules.freeze_key(3, TODAY) != rules.freeze_key(3, TODAY + dt.timedelta(days=1))


# -- the command over the MHHS example ---------------------------------------------------------


@pytest.fixture
def cast(db: Any) -> Cast:
    made = make_cast()
    for key, address in ADDRESSES.items():
        made.users[key].email = address
        made.users[key].save()
    return made


def remind(*args: str) -> str:
    out = StringIO()
    call_command("remind", "--programme", "mhhs", *args, stdout=out)
    return out.getvalue()


def today() -> dt.date:
    return timezone.localdate()


def add_action(cast: Cast, ref: str, owners: str, due_in: int, **values: Any) -> Action:
    with acting("tests", "reminder sample"):
        return Action.objects.create(
            programme=cast.programme,
            ref=ref,
            text=values.pop("text", f"{ref} sample action"),
            owners=owners,
            due_date=today() + dt.timedelta(days=due_in),
            status=values.pop("status", "open"),
            **values,
        )


def mails_to(key: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [ADDRESSES[key]]]


def text_to(key: str) -> str:
    """Everything ``key`` was sent: the plain text and the HTML of every message."""
    parts = []
    for message in mails_to(key):
        parts.append(message.body)
        parts.extend(str(body) for body, _ in getattr(message, "alternatives", []))
    return "\n".join(parts)


def everything_sent() -> str:
    return "\n".join(text_to(key) for key in ADDRESSES)


@pytest.mark.django_db
def test_an_action_due_soon_reaches_its_organisations_contacts_and_no_one_else(
    cast: Cast,
) -> None:
    action = add_action(cast, "PSG99-01", "DCC (Jane Doe)", 3)
    remind()
    assert "PSG99-01" in text_to("dcc")
    assert f"/p/mhhs/registers/actions/{action.pk}/" in text_to("dcc")
    assert "PSG99-01" not in text_to("recco")
    assert "PSG99-01" not in text_to("pmo")  # matched and not overdue: not the PMO's


@pytest.mark.django_db
def test_an_owner_matched_to_no_contact_goes_to_the_pmo_saying_so(cast: Cast) -> None:
    add_action(cast, "PSG99-02", "Someone Unknown", 2)
    remind()
    assert "PSG99-02" in text_to("pmo")
    assert "owner not matched to a contact" in text_to("pmo")
    assert "PSG99-02" not in text_to("dcc") + text_to("recco")


@pytest.mark.django_db
def test_an_overdue_action_reaches_its_owners_and_the_pmo(cast: Cast) -> None:
    add_action(cast, "PSG99-03", "recco", -2)
    remind()
    assert "PSG99-03" in text_to("recco")
    assert "PSG99-03" in text_to("pmo")
    assert "Overdue actions" in text_to("recco")


@pytest.mark.django_db
def test_a_closed_or_distant_action_is_not_reminded(cast: Cast) -> None:
    add_action(cast, "PSG99-04", "DCC", -2, status="closed")
    add_action(cast, "PSG99-05", "DCC", 30)
    remind()
    assert "PSG99-04" not in everything_sent()
    assert "PSG99-05" not in everything_sent()


@pytest.mark.django_db
def test_late_delivery_reports_go_to_their_organisations_contacts(cast: Cast) -> None:
    psg25 = Meeting.objects.get(programme=cast.programme, code="PSG-25")
    recco = Organisation.objects.get(programme=cast.programme, name="RECCo")
    with acting("tests", "RECCo has submitted"):
        DeliveryReport.objects.create(
            programme=cast.programme,
            meeting=psg25,
            organisation=recco,
            title="RECCo report",
            status="submitted",
        )
    remind()
    assert "DCC's delivery report for PSG-25" in text_to("dcc")
    assert "/portal/p/mhhs/" in text_to("dcc")
    assert "delivery report" not in text_to("recco")  # submitted: not late
    assert "delivery report for PSG-25" not in text_to("pmo")


@pytest.mark.django_db
def test_a_report_for_a_meeting_weeks_ahead_is_not_yet_reminded(cast: Cast) -> None:
    psg25 = Meeting.objects.get(programme=cast.programme, code="PSG-25")
    psg25.date = today() + dt.timedelta(days=30)
    with acting("tests", "PSG-25 is weeks away"):
        psg25.save()
    remind()
    assert mails_to("dcc") == []
    assert "/meetings/PSG-25/" not in text_to("pmo")  # nor is it yet to be frozen


@pytest.mark.django_db
def test_an_open_meeting_near_its_date_goes_to_the_pmo_to_freeze(cast: Cast) -> None:
    psg25 = Meeting.objects.get(programme=cast.programme, code="PSG-25")
    remind()
    assert "Meetings to freeze" in text_to("pmo")
    assert "/p/mhhs/meetings/PSG-25/" in text_to("pmo")
    assert "Meetings to freeze" not in text_to("dcc")
    assert Reminder.objects.filter(key=rules.freeze_key(psg25.pk, psg25.date)).count() == 1


@pytest.mark.django_db
def test_a_frozen_meeting_is_not_to_be_frozen(cast: Cast) -> None:
    psg25 = Meeting.objects.get(programme=cast.programme, code="PSG-25")
    life.freeze(psg25, "tests")
    remind()
    assert "/meetings/PSG-25/" not in text_to("pmo")
    assert "/meetings/PSG-2023-10-30-EX/" in text_to("pmo")


@pytest.mark.django_db
def test_each_person_gets_one_digest_combining_every_kind(cast: Cast) -> None:
    add_action(cast, "PSG99-06", "DCC", 1)
    add_action(cast, "PSG99-07", "Nobody Known", 1)
    remind()
    assert len(mails_to("dcc")) == 1
    assert len(mails_to("pmo")) == 1
    dcc, pmo = text_to("dcc"), text_to("pmo")
    assert "PSG99-06" in dcc and "DCC's delivery report for PSG-25" in dcc
    assert "PSG99-07" in pmo and "Meetings to freeze" in pmo and "Overdue actions" in pmo
    assert len(mail.outbox) == 3  # the PMO, DCC and RECCo: no one else, nobody twice


@pytest.mark.django_db
def test_a_second_run_sends_nothing(cast: Cast) -> None:
    add_action(cast, "PSG99-08", "DCC", 1)
    first = remind()
    assert len(mail.outbox) == 3 and "E-mailed 3 people" in first
    logged = Reminder.objects.count()
    mail.outbox.clear()
    second = remind()
    assert mail.outbox == []
    assert "E-mailed 0 people about 0 items" in second
    assert Reminder.objects.count() == logged


@pytest.mark.django_db
def test_a_changed_due_date_is_reminded_again_and_nothing_else_is(cast: Cast) -> None:
    action = add_action(cast, "PSG99-09", "DCC", 1)
    remind()
    mail.outbox.clear()
    action.due_date = today() + dt.timedelta(days=5)
    with acting("tests", "moved"):
        action.save()
    remind()
    assert len(mails_to("dcc")) == 1
    assert "PSG99-09" in text_to("dcc")
    assert f"{action.due_date:%d %b %Y}" in text_to("dcc")
    assert "delivery report" not in text_to("dcc")  # already told
    assert mails_to("pmo") == [] and mails_to("recco") == []


@pytest.mark.django_db
def test_a_due_action_that_becomes_overdue_is_reminded_once_more(cast: Cast) -> None:
    action = add_action(cast, "PSG99-10", "DCC", 0)
    services.run([cast.programme], today(), 7)
    mail.outbox.clear()
    services.run([cast.programme], today() + dt.timedelta(days=1), 7)
    assert "PSG99-10" in text_to("dcc") and "Overdue actions" in text_to("dcc")
    keys = set(Reminder.objects.filter(user=cast.users["dcc"]).values_list("key", flat=True))
    assert {
        rules.action_key(action.pk, rules.Kind.DUE, action.due_date),
        rules.action_key(action.pk, rules.Kind.OVERDUE, action.due_date),
    } <= keys


@pytest.mark.django_db
def test_a_confidential_action_never_reaches_a_participant_contact(cast: Cast) -> None:
    canary = "CANARY-7f3a confidential to the PMO"
    add_action(cast, "PSG99-11", "DCC and RECCo", 1, text=canary, classification="confidential")
    add_action(cast, "PSG99-12", "DCC and RECCo", 1)  # the same route, not confidential
    remind()
    assert "PSG99-12" in text_to("dcc") and "PSG99-12" in text_to("recco")
    assert "CANARY-7f3a" not in text_to("dcc")
    assert "CANARY-7f3a" not in text_to("recco")
    assert "PSG99-11" not in text_to("dcc") + text_to("recco")
    # It is not lost: the PMO is told, and why.
    assert "CANARY-7f3a" in text_to("pmo")
    assert "its owner's contacts may not read it" in text_to("pmo")


@pytest.mark.django_db
def test_a_digest_holds_nothing_its_reader_may_not_see(cast: Cast) -> None:
    # A meeting made confidential takes its report reminders from the participants.
    psg25 = Meeting.objects.get(programme=cast.programme, code="PSG-25")
    psg25.classification = "confidential"
    with acting("tests", "PSG-25 made confidential"):
        psg25.save()
    remind()
    assert "PSG-25" not in text_to("dcc") + text_to("recco")
    assert "/meetings/PSG-25/" in text_to("pmo")


@pytest.mark.django_db
def test_a_dry_run_sends_and_logs_nothing(cast: Cast) -> None:
    add_action(cast, "PSG99-13", "DCC", 1)
    out = remind("--dry-run")
    assert mail.outbox == []
    assert Reminder.objects.count() == 0
    assert "Would e-mail mhhs-dcc <dcc@example.org>" in out and "PSG99-13" in out
    assert "Dry run: would e-mail 3 people" in out
    remind()
    assert "PSG99-13" in text_to("dcc")  # the dry run used nothing up


@pytest.mark.django_db
def test_a_person_without_an_address_is_skipped_and_reported_until_they_have_one(
    cast: Cast,
) -> None:
    recco = cast.users["recco"]
    recco.email = ""
    recco.save()
    out = remind()
    assert "Skipped mhhs-recco: no e-mail address" in out
    assert "skipped 1 without an e-mail address" in out
    assert not Reminder.objects.filter(user=recco).exists()
    recco.email = ADDRESSES["recco"]
    recco.save()
    mail.outbox.clear()
    remind()
    assert "RECCo's delivery report for PSG-25" in text_to("recco")


@pytest.mark.django_db
@override_settings(BASE_URL="https://steerco.example.org")
def test_links_point_at_the_configured_base_url(cast: Cast) -> None:
    remind()
    message = mails_to("pmo")[0]
    assert "https://steerco.example.org/p/mhhs/meetings/PSG-25/" in message.body
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert 'href="https://steerco.example.org/p/mhhs/meetings/PSG-25/"' in html


# -- concurrent runs -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_log_refuses_the_same_reminder_twice_for_one_person(cast: Cast) -> None:
    Reminder.objects.create(user=cast.users["dcc"], programme=cast.programme, key="freeze:1:x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(user=cast.users["dcc"], programme=cast.programme, key="freeze:1:x")
    Reminder.objects.create(user=cast.users["recco"], programme=cast.programme, key="freeze:1:x")


@pytest.fixture
def rival_claimed_first(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The log as a concurrent run left it: its rows are there, but this run read the log
    before they were (the first read of each person's log sees nothing)."""
    calls: list[int] = []
    real = services.claimed

    def stale_then_real(user: Any, items: Any) -> set[str]:
        calls.append(user.pk)
        return set() if calls.count(user.pk) == 1 else real(user, items)

    monkeypatch.setattr(services, "claimed", stale_then_real)
    yield calls


@pytest.mark.django_db
def test_a_concurrent_run_that_logged_an_item_first_keeps_it_out_of_this_digest(
    cast: Cast, rival_claimed_first: list[int]
) -> None:
    action = add_action(cast, "PSG99-14", "DCC", 1)
    dcc = cast.users["dcc"]
    key = rules.action_key(action.pk, rules.Kind.DUE, action.due_date)  # type: ignore[arg-type]
    Reminder.objects.create(user=dcc, programme=cast.programme, key=key)
    remind()
    assert rival_claimed_first.count(dcc.pk) == 2  # refused by the log once, then rebuilt
    assert len(mails_to("dcc")) == 1
    assert "PSG99-14" not in text_to("dcc")
    assert "DCC's delivery report for PSG-25" in text_to("dcc")
    assert Reminder.objects.filter(user=dcc, key=key).count() == 1


@pytest.mark.django_db
def test_a_digest_the_log_keeps_refusing_is_not_sent(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "claimed", lambda user, items: set())
    dcc = cast.users["dcc"]
    psg25 = Meeting.objects.get(programme=cast.programme, code="PSG-25")
    dcc_org = Organisation.objects.get(programme=cast.programme, name="DCC")
    key = rules.report_key(dcc_org.pk, psg25.pk)
    Reminder.objects.create(user=dcc, programme=cast.programme, key=key)
    with pytest.raises(IntegrityError):
        services.run([cast.programme], today(), 7)
    assert mails_to("dcc") == []


@pytest.mark.django_db
def test_an_unknown_programme_or_negative_window_is_refused(cast: Cast) -> None:
    with pytest.raises(CommandError, match="no programme 'nope'"):
        call_command("remind", "--programme", "nope", stdout=StringIO())
    with pytest.raises(CommandError, match="negative"):
        remind("--days", "-1")


def test_a_base_url_that_is_not_http_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from steerco.env import SettingError
    from steerco.settings import _base_url

    monkeypatch.setenv("STEERCO_BASE_URL", "https://steerco.example.org/")
    assert _base_url() == "https://steerco.example.org"
    monkeypatch.setenv("STEERCO_BASE_URL", "steerco.example.org")
    with pytest.raises(SettingError, match="STEERCO_BASE_URL"):
        _base_url()
