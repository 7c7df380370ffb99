"""RAID triage outcomes the raiser sees, readiness rounds with non-responders and deep
dives, and late returns with reminders by e-mail (Django's locmem backend in tests)."""

from __future__ import annotations

import pytest
from django.core import mail

from steerco.organisations.models import Organisation
from steerco.portal.models import AssessmentResponse, RaidSubmission, Reminder
from steerco.raid.models import RaidItem
from tests.portal_support import answer_round, portal_cast, raise_submission, url
from tests.web_support import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast() -> Cast:
    return portal_cast()


def test_accepting_a_submission_creates_a_raid_item_with_the_next_free_ref(cast: Cast) -> None:
    raised = raise_submission(cast, "recco", "Switching data gaps")
    refs = RaidItem.objects.filter(programme=cast.programme).values_list("ref", flat=True)
    top = max(int(r[1:]) for r in refs if r.startswith("R") and r[1:].isdigit())
    expected, following = f"R{top + 1:03d}", f"R{top + 2:03d}"
    response = cast.client("pmo").post(
        url("raid-decide", raised.pk), {"outcome": "accept", "owner": "RECCo"}
    )
    assert response.status_code == 302
    raised.refresh_from_db()
    assert raised.status == "accepted" and raised.item is not None
    assert raised.item.ref == expected and raised.item.owner == "RECCo"
    assert RaidItem.objects.get(ref=expected).history.first().history_actor == "mhhs-pmo"
    page = cast.client("recco").get(url("raid-mine")).content.decode()
    assert "Accepted into the RAID log" in page and expected in page
    # Triaged once only.
    again = cast.client("pmo").post(url("raid-decide", raised.pk), {"outcome": "accept"})
    assert again.status_code == 302 and not RaidItem.objects.filter(ref=following)


def test_merging_points_at_the_existing_item_and_declining_shows_the_reason(cast: Cast) -> None:
    pmo = cast.client("pmo")
    one = raise_submission(cast, "dcc", "Data shared with the wrong participant")
    two = raise_submission(cast, "dcc", "Not a programme risk")
    assert pmo.post(url("raid-decide", one.pk), {"outcome": "merge"}).status_code == 400
    pmo.post(url("raid-decide", one.pk), {"outcome": "merge", "merge_into": "R040"})
    refused = pmo.post(url("raid-decide", two.pk), {"outcome": "decline", "reason": ""})
    assert refused.status_code == 400 and b"Give the reason the raiser will see." in refused.content
    pmo.post(url("raid-decide", two.pk), {"outcome": "decline", "reason": "A DCC-internal risk"})
    one.refresh_from_db()
    assert one.status == "merged" and one.item.ref == "R040"  # type: ignore[union-attr]
    page = cast.client("dcc").get(url("raid-mine")).content.decode()
    assert "A DCC-internal risk" in page and "R040" in page
    assert RaidSubmission.objects.get(pk=two.pk).history.count() == 2  # type: ignore[attr-defined]


def test_a_pmo_opens_a_round_and_sees_responses_non_responders_and_deep_dives(
    cast: Cast,
) -> None:
    from django.utils import timezone

    pmo, today = cast.client("pmo"), timezone.localdate()
    bad = pmo.post(
        url("round-new"),
        {"code": "RA4", "title": "x", "opens": "2024-02-01", "closes": "2024-01-01"},
    )
    assert bad.status_code == 400 and b"closes before it opens" in bad.content
    created = pmo.post(
        url("round-new"),
        {
            "code": "RA4",
            "title": "Readiness 4",
            "opens": today.isoformat(),
            "closes": today.isoformat(),
            "questions": "Is your SIT environment ready?\nWho leads testing? [text]",
        },
    )
    assert created.status_code == 302
    pk = int(created["Location"].rstrip("/").split("/")[-1])
    from steerco.trackers.models import ReadinessRound

    round_ = ReadinessRound.objects.get(pk=pk)
    missing = cast.client("dcc").post(url("round-answer", pk), {})
    assert missing.status_code == 400 and b"This field is required." in missing.content
    response = answer_round(round_, "DCC", "Ready in October")
    page = pmo.get(url("round", pk)).content.decode()
    non = page[page.index('id="non-responders"') :]
    assert "RECCo" in non and "DCC" not in non
    pmo.post(url("round-response", pk, response.pk), {"deep_dive": "on", "reason": "Late SIT"})
    assert AssessmentResponse.objects.get(pk=response.pk).deep_dive
    # Outside its window a round takes no answers.
    round_.closes = round_.opens = today.replace(year=today.year - 1)
    round_.save()
    assert cast.client("recco").get(url("round-answer", pk)).status_code == 409


def test_late_returns_list_who_has_not_submitted_and_reminders_go_by_email(cast: Cast) -> None:
    users = cast.users
    users["dcc"].email, users["recco"].email = "dcc@example.org", "recco@example.org"
    users["dcc"].save()
    users["recco"].save()
    pmo = cast.client("pmo")
    page = pmo.get(url("returns")).content.decode()
    assert "PSG-25" in page and "DCC" in page and "RECCo" in page and "IDNOs" in page
    recco = Organisation.objects.get(programme=cast.programme, name="RECCo")
    idnos = Organisation.objects.get(programme=cast.programme, name="IDNOs")
    pmo.post(url("remind"), {"organisation": [recco.pk, idnos.pk]})
    assert [m.to for m in mail.outbox] == [["recco@example.org"]]
    assert "PSG-25" in mail.outbox[0].subject
    reminder = Reminder.objects.get()
    assert reminder.organisation == recco and reminder.sent_by == "mhhs-pmo"
    assert cast.client("recco").post(url("remind"), {"organisation": [recco.pk]}).status_code == 403
