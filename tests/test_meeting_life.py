"""A meeting's life on the web: the next meeting set up from its body's cadence with its
agenda drafted, frozen (the cut-off is that moment, the editions built in the background,
the findings shown), frozen again, published (everyone told by e-mail; drafts and frozen
packs are the PMO's alone until then), held, closed (the next meeting current, open actions
carried)."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from steerco.core.models import AgendaItem, Body, Meeting, Programme
from steerco.jobs.models import Job
from steerco.meetings import life
from steerco.raid.models import Action
from tests.web_support import Cast, make_cast

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_keep_test_connection")]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def cast(settings: Any, tmp_path: Path) -> Cast:
    settings.VAR_DIR = tmp_path
    settings.TASKS = IMMEDIATE
    return make_cast()


def _meeting(code: str) -> Meeting:
    return Meeting.objects.get(programme__code="mhhs", code=code)


@pytest.fixture
def commits(django_capture_on_commit_callbacks: Any) -> Any:
    """Runs what a step queues once its transaction commits (the pack build), as a real
    request's commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _step(cast: Cast, code: str, action: str, reason: str = "", commits: Any = None) -> Any:
    url = reverse(f"web:meeting-{action}", args=["mhhs", code])
    if commits is None:
        return cast.client("pmo").post(url, {"reason": reason}, follow=True)
    with commits():
        return cast.client("pmo").post(url, {"reason": reason}, follow=True)


def test_the_example_s_meetings_stand_where_the_pack_left_them() -> None:
    states = dict(Meeting.objects.filter(programme__code="mhhs").values_list("code", "state"))
    assert states == {
        "PSG-23": "closed",
        "PSG-24": "published",
        "PSG-25": "open",
        "PSG-2023-10-30-EX": "open",
    }
    assert _meeting("PSG-25").cutoff is None
    cadences = dict(Body.objects.filter(programme__code="mhhs").values_list("code", "cadence"))
    assert cadences == {
        "PSG": "FREQ=MONTHLY;BYDAY=+1WE",
        "TMAG": "",
        "DAG": "FREQ=MONTHLY;BYDAY=+2WE",
        "CCAG": "FREQ=MONTHLY;BYDAY=+4WE",
    }


def test_the_next_psg_meeting_is_proposed_from_the_cadence_with_psg_25_s_standing_items(
    cast: Cast,
) -> None:
    client = cast.client("pmo")
    url = reverse("web:next-meeting", args=["mhhs", "PSG"])
    page = client.get(url).content.decode()
    # PSG-25 (Wednesday 4 October 2023) is the last regular PSG meeting; the first Wednesday
    # after it is 1 November 2023.
    assert "PSG-26" in page and "Wednesday 1 November 2023" in page
    standing = list(
        AgendaItem.objects.filter(meeting=_meeting("PSG-25"), standing=True)
        .order_by("number")
        .values_list("title", flat=True)
    )
    assert standing == [
        "Minutes and action review",
        "Sponsor update",
        "Delivery dashboards",
        "Summary and next steps",
    ]
    response = client.post(url, {"reason": "next month's PSG", "code": "PSG-26"}, follow=True)
    assert response.status_code == 200
    made = _meeting("PSG-26")
    assert (made.date, made.number, made.state, made.cutoff) == (
        dt.date(2023, 11, 1),
        26,
        "open",
        None,
    )
    drafted = list(made.agenda_items.order_by("number").values_list("number", "title", "standing"))
    assert drafted == [(n, title, True) for n, title in enumerate(standing, 1)]
    assert made.history.first().history_change_reason == "next month's PSG"
    # Submitted twice: the second finds PSG-26 set up and proposes PSG-27 instead of making it.
    again = client.post(url, {"reason": "twice", "code": "PSG-26"}, follow=True).content.decode()
    assert "PSG-26 is already set up; the next PSG meeting is now PSG-27" in again
    assert "Wednesday 6 December 2023" in again
    assert (
        Meeting.objects.filter(programme__code="mhhs", body="PSG", date__gt=made.date).count() == 0
    )


def test_a_body_without_a_cadence_is_told_so(cast: Cast) -> None:
    response = cast.client("pmo").get(reverse("web:next-meeting", args=["mhhs", "TMAG"]))
    assert response.status_code == 409
    assert "TMAG has no cadence" in response.content.decode()


def test_an_open_meeting_s_draft_is_the_pmo_s_alone_and_shows_an_edit_at_once(cast: Cast) -> None:
    programme = Programme.objects.get(code="mhhs")
    action = Action.objects.filter(programme=programme).order_by("pk").first()
    assert action is not None
    url = reverse("web:meeting-pack-html", args=["mhhs", "PSG-25"])
    before = cast.client("pmo").get(url + "?edition=members")
    assert before.status_code == 200 and b"DRAFT" in before.content
    assert b"PSG-25-members-DRAFT.html" in before["Content-Disposition"].encode()
    for persona in ("steering", "dcc", "recco", "public", "anonymous"):
        refused = cast.client(persona).get(url)
        assert refused.status_code in (302, 404), persona


def test_the_month_of_a_meeting_freeze_refreeze_publish_hold_close(
    cast: Cast, commits: Any
) -> None:
    meeting = _meeting("PSG-25")
    # Open: it cannot be published, held or closed.
    refused = _step(cast, "PSG-25", "publish").content.decode()
    assert "PSG-25 is open: only a meeting that is frozen can be published." in refused
    # Frozen: the cut-off is now; the editions were built (immediate backend) with findings.
    before = timezone.now()
    _step(cast, "PSG-25", "freeze", "pack due", commits)
    page = cast.client("pmo").get(reverse("web:meeting", args=["mhhs", "PSG-25"])).content.decode()
    meeting.refresh_from_db()
    first_cutoff = meeting.cutoff
    assert meeting.state == "frozen" and first_cutoff is not None and first_cutoff >= before
    job = Job.objects.filter(kind="pack", params__meeting="PSG-25").latest("created")
    assert job.state == "done" and job.result["cutoff"] == first_cutoff.isoformat()
    assert job.result["findings"]  # the example has findings: the checker's job is to find them
    assert f"{len(job.result['findings'])} findings in the frozen registers" in page
    assert html.escape(job.result["findings"][0]["message"]) in page
    # Before publication nobody but the PMO may download the frozen pack.
    pdf = reverse("web:meeting-pack", args=["mhhs", "PSG-25"])
    assert cast.client("steering").get(pdf).status_code == 404
    assert cast.client("pmo").get(pdf + "?edition=members").status_code == 200
    # Frozen again: a new cut-off, recorded with its reason.
    _step(cast, "PSG-25", "freeze", "late correction", commits)
    meeting.refresh_from_db()
    assert meeting.cutoff is not None and meeting.cutoff > first_cutoff
    reasons = [h.history_change_reason for h in meeting.history.all()]
    assert "re-frozen: late correction" in reasons and "frozen: pack due" in reasons
    # Published: everyone with a reading role is told, each of the edition it may read.
    mail.outbox.clear()
    _step(cast, "PSG-25", "publish")
    meeting.refresh_from_db()
    assert meeting.state == "published" and meeting.published_at is not None
    assert Programme.objects.get(code="mhhs").current_meeting_code == "PSG-25"
    sent = {m.to[0]: m.body for m in mail.outbox}
    steering = cast.users["steering"].email
    dcc = cast.users["dcc"].email
    assert "?edition=members" in sent[steering] and "?edition=participants" in sent[dcc]
    assert cast.users["public"].email not in sent
    assert len(sent) == len(mail.outbox)  # one each
    assert cast.client("steering").get(pdf).status_code == 200
    # A published edition is not rebuilt, and cannot be frozen again.
    written = (Path(cast_dir(meeting)) / "PSG-25-members.pdf").read_bytes()
    assert "only a meeting that is open or frozen can be frozen" in (
        _step(cast, "PSG-25", "freeze").content.decode()
    )
    cast.client("pmo").post("/jobs/build-pack/mhhs/PSG-25/")
    assert (Path(cast_dir(meeting)) / "PSG-25-members.pdf").read_bytes() == written
    # Held, then closed: PSG-26 set up from the cadence and current; open actions carried.
    _step(cast, "PSG-25", "hold")
    page = _step(cast, "PSG-25", "close").content.decode()
    meeting.refresh_from_db()
    assert meeting.state == "closed"
    programme = Programme.objects.get(code="mhhs")
    assert programme.current_meeting_code == "PSG-26"
    psg26 = _meeting("PSG-26")
    assert psg26.date == dt.date(2023, 11, 1) and psg26.state == "open"
    carried = life.actions_to_review(psg26)
    open_before = [
        a.ref
        for a in Action.objects.filter(programme=programme).exclude(status="closed")
        if a.raised_at is not None and a.raised_at.date < psg26.date
    ]
    assert sorted(a.ref for a in carried) == sorted(open_before) and carried
    assert f"{len(carried)} open actions carry" in page


def cast_dir(meeting: Meeting) -> str:
    from steerco.pack.editions import default_dir

    return str(default_dir(meeting.programme.code))


def test_only_editors_may_take_a_step(cast: Cast) -> None:
    for persona in ("steering", "dcc", "public"):
        response = cast.client(persona).post(reverse("web:meeting-freeze", args=["mhhs", "PSG-25"]))
        assert response.status_code in (403, 404), persona
    assert _meeting("PSG-25").state == "open"


def test_a_body_s_pack_holds_the_sections_it_lists_and_the_pmo_s_findings(cast: Cast) -> None:
    from steerco.core.history import acting
    from steerco.pack import service
    from steerco.pack.editions import Edition

    programme = Programme.objects.get(code="mhhs")
    with acting("tests", "TMAG's own pack"):
        tmag = Body.objects.get(programme=programme, code="TMAG")
        tmag.sections = ["agenda", "sit-update"]
        tmag.save()
        meeting = Meeting.objects.create(
            programme=programme, code="TMAG-1", body="TMAG", number=1, date=dt.date(2023, 9, 20)
        )
        AgendaItem.objects.create(meeting=meeting, number=1, title="CIT readiness")
    members = service.render(programme, meeting, Edition.MEMBERS).document
    assert [s.anchor for s in members.sections] == ["agenda", "sit-update"]
    pmo = service.render(programme, meeting, Edition.PMO).document
    assert [s.anchor for s in pmo.sections] == ["agenda", "sit-update", "appendix-findings"]
    psg = service.render(programme, _meeting("PSG-25"), Edition.MEMBERS).document
    assert len(psg.sections) > 5  # PSG lists none: every section


def test_what_changed_offers_only_meetings_with_a_cut_off(cast: Cast) -> None:
    page = cast.client("pmo").get(reverse("web:changes", args=["mhhs"])).content.decode()
    assert 'value="PSG-24"' in page and 'value="PSG-23"' in page
    assert 'value="PSG-25"' not in page  # open: nothing to compare at yet
