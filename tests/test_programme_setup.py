"""A second programme set up on the web from nothing, as a programme admin: the programme
with its calendar and first body, a member, organisations, a constituency with a market role,
its first meeting from the cadence and a register imported from a spreadsheet; its set-up
checklist says what is done from the data; and it is a programme apart from the first."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steerco.accounts.choices import Role
from steerco.accounts.models import Membership
from steerco.core.models import Body, BodyMember, Meeting, Programme
from steerco.milestones.models import Milestone
from steerco.organisations.models import Constituency, MarketRole, Organisation
from steerco.transfers import uploads
from steerco.web.setup import BodyFacts, Facts, checklist
from tests.transfers_support import ticket_of
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

NEW = reverse("web:programme-new")
SETUP = reverse("web:programme-setup", args=["demo2"])
FORM = {
    "code": "demo2",
    "name": "Demo programme two",
    "description": "A second programme, set up on the web.",
    "calendar_country": "GB",
    "calendar_subdivision": "SCT",
    "body_code": "PSG",
    "body_name": "Programme Steering Group",
    "cadence": "FREQ=MONTHLY;BYDAY=+2TU",
    "reason": "a second programme for the demo",
}
MILESTONES = (
    b"code,title,tier,workstream,governing_body,baseline_date\n"
    b"T1-DM-0001,Design baselined,T1,DM,PSG,2030-03-12\n"
    b"T2-DM-0002,Build complete,T2,DM,PSG,2030-06-11\n"
)


@pytest.fixture
def cast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cast:
    monkeypatch.setattr(uploads, "ROOT", tmp_path / "uploads")
    return make_cast()


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def states(client: Client) -> dict[str, bool]:
    """The checklist as the set-up page shows it: each step's title and whether it is done."""
    page = client.get(SETUP)
    assert page.status_code == 200
    rows = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td><span class="tag step-(done|todo)">',
        page.content.decode(),
    )
    assert len(rows) == 7, page.content.decode()[:3000]
    return {html.unescape(title): state == "done" for title, state in rows}


def second_tuesday_after(day: dt.date) -> dt.date:
    """The first second Tuesday of a month strictly after ``day``, worked out by hand."""
    year, month = day.year, day.month
    while True:
        first = dt.date(year, month, 1)
        candidate = first + dt.timedelta(days=(1 - first.weekday()) % 7 + 7)
        if candidate > day:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def create(client: Client, register: str, data: dict[str, str]) -> Any:
    response = client.post(reverse("web:register-new", args=["demo2", register]), data)
    assert response.status_code == 302, text(response)[:3000]
    return response


def test_an_admin_sets_up_a_second_programme_on_the_web_from_nothing(cast: Cast) -> None:
    admin = cast.client("admin")
    assert 'name="calendar_country"' in text(admin.get(NEW))

    checked = admin.post(NEW, {**FORM, "check": "1"})
    assert checked.status_code == 200
    assert "second Tuesday of each month" in text(checked)
    first_date = second_tuesday_after(timezone.localdate())
    assert f"{first_date:%A} {first_date.day} {first_date:%B %Y}" in text(checked)
    assert not Programme.objects.filter(code="demo2").exists(), "checking saves nothing"

    created = admin.post(NEW, FORM)
    assert created.status_code == 302 and created["Location"] == SETUP
    programme = Programme.objects.get(code="demo2")
    assert (programme.calendar_country, programme.calendar_subdivision) == ("GB", "SCT")
    written = programme.history.get()
    assert written.history_change_reason == "a second programme for the demo"
    assert written.history_actor == "mhhs-admin"
    body = Body.objects.get(programme=programme, code="PSG")
    assert body.cadence == "FREQ=MONTHLY;BYDAY=+2TU"
    assert body.history.get().history_change_reason == "a second programme for the demo"
    assert ">Demo programme two<" in admin.get(reverse("web:home")).content.decode()
    assert SETUP in admin.get(reverse("web:programme", args=["demo2"])).content.decode()

    before = states(admin)
    assert before == {
        "Bank-holiday calendar": True,
        "Governance bodies and cadences": True,
        "Members of each body": False,
        "Organisations": False,
        "SIT constituencies and market roles": False,
        "First meeting": False,
        "Registers imported from spreadsheets": False,
    }
    assert "United Kingdom, Scotland (GB/SCT)" in text(admin.get(SETUP))

    # A second body through the bodies register's New page, then a member on each.
    create(
        admin,
        "bodies",
        {"code": "DAG", "name": "Design Advisory Group", "sections": "[]", "reason": "set-up"},
    )
    assert not states(admin)["Members of each body"]
    for code, name in (("PSG", "Chair of PSG"), ("DAG", "Chair of DAG")):
        url = reverse("web:body-member-new", args=["demo2", code])
        added = admin.post(url, {"name": name, "role": "Chair", "reason": "appointed", **CLASS})
        assert added.status_code == 302, text(added)[:3000]
    member = BodyMember.objects.get(body=body)
    assert (member.name, member.order) == ("Chair of PSG", 1)
    assert member.history.get().history_change_reason == "appointed"

    for name in ("Acme Energy", "Borealis Networks"):
        create(
            admin,
            "organisations",
            {"name": name, "kind": "participant", "aliases": "[]", "reason": "joins", **CLASS},
        )
    assert Organisation.objects.filter(programme=programme).count() == 2
    create(admin, "constituencies", {"name": "Suppliers", "reason": "SIT set-up", **CLASS})
    assert not states(admin)["SIT constituencies and market roles"], "no market role yet"
    constituency = Constituency.objects.get(programme=programme, name="Suppliers")
    create(
        admin,
        "market-roles",
        {
            "constituency": str(constituency.pk),
            "name": "Supplier",
            "mvc_required": "3",
            "reason": "SIT set-up",
            **CLASS,
        },
    )
    assert MarketRole.objects.get(programme=programme).constituency == constituency

    # The first meeting from the cadence: no earlier meeting, so the first date after today.
    next_url = reverse("web:next-meeting", args=["demo2", "PSG"])
    proposal = admin.get(next_url)
    assert proposal.status_code == 200 and "PSG-1" in text(proposal)
    set_up = admin.post(next_url, {"code": "PSG-1", "reason": "first meeting"})
    assert set_up.status_code == 302, text(set_up)[:3000]
    meeting = Meeting.objects.get(programme=programme)
    assert (meeting.code, meeting.number, meeting.date) == ("PSG-1", 1, first_date)
    assert meeting.state == "open"

    # Milestones imported from a spreadsheet: preview, then commit.
    upload = reverse("transfers:import", args=["demo2"])
    preview = admin.post(
        upload, {"register": "milestones", "file": SimpleUploadedFile("plan.csv", MILESTONES)}
    )
    assert preview.status_code == 200 and "2 to create" in text(preview), text(preview)[:3000]
    assert not Milestone.objects.filter(programme=programme).exists()
    commit = reverse("transfers:import-commit", args=["demo2"])
    done = admin.post(commit, {"ticket": ticket_of(preview)})
    assert done.status_code == 200 and "2 created" in text(done)
    assert Milestone.objects.filter(programme=programme).count() == 2

    after = states(admin)
    assert after == dict.fromkeys(before, True)
    page = text(admin.get(SETUP))
    assert "7 of 7 steps done" in page and "Imported into milestones." in page
    assert "2 members; every body has at least one." in page
    assert "1 meetings, the first PSG-1." in page


CLASS = {"classification": "programme"}


def test_a_programme_is_seen_only_by_those_it_is_open_to(cast: Cast) -> None:
    assert cast.client("admin").post(NEW, FORM).status_code == 302
    admin = cast.client("admin")
    create(
        admin,
        "organisations",
        {"name": "Acme Energy", "kind": "participant", "aliases": "[]", "reason": "x", **CLASS},
    )
    demo2 = Programme.objects.get(code="demo2")
    pages = [
        reverse("web:programme", args=["demo2"]),
        SETUP,
        reverse("web:register-list", args=["demo2", "organisations"]),
        reverse("web:meetings", args=["demo2"]),
        reverse("api:programme", args=["demo2"]),
        reverse("transfers:download", args=["demo2", "organisations"]) + "?format=csv",
    ]
    for persona in ("dcc", "pmo", "steering"):  # each bound to mhhs
        client = cast.client(persona)
        for url in pages:
            assert client.get(url).status_code in (403, 404), (persona, url)
        assert "Demo programme two" not in text(client.get(reverse("web:home"), follow=True))
        assert client.get(reverse("api:programme", args=["mhhs"])).status_code == 200

    user = get_user_model().objects.create_user("acme-contact", password=None)
    acme = Organisation.objects.get(programme=demo2, name="Acme Energy")
    Membership.objects.create(user=user, role=Role.PARTICIPANT, programme=demo2, organisation=acme)
    theirs = Client(HTTP_HOST="localhost")
    theirs.force_login(user)
    organisations = theirs.get(reverse("web:register-list", args=["demo2", "organisations"]))
    assert organisations.status_code == 200 and "Acme Energy" in text(organisations)
    for url in (
        reverse("web:programme", args=["mhhs"]),
        reverse("web:register-list", args=["mhhs", "organisations"]),
        reverse("api:programme", args=["mhhs"]),
    ):
        assert theirs.get(url).status_code == 404, url
    assert "Market-wide" not in text(theirs.get(reverse("web:home"), follow=True))


def test_only_an_admin_of_every_programme_may_create_one(cast: Cast) -> None:
    for persona in ("pmo", "dcc", "steering", "public"):
        client = cast.client(persona)
        assert client.get(NEW).status_code == 403, persona
        assert client.post(NEW, FORM).status_code == 403, persona
    assert cast.client("anonymous").post(NEW, FORM).status_code == 302  # asked to sign in
    bound = get_user_model().objects.create_user("mhhs-only-admin", password=None)
    Membership.objects.create(user=bound, role=Role.ADMIN, programme=cast.programme)
    client = Client(HTTP_HOST="localhost")
    client.force_login(bound)
    assert client.post(NEW, FORM).status_code == 403, "it could not see what it made"
    assert not Programme.objects.filter(code="demo2").exists()
    link = f'href="{reverse("web:programme-new")}"'
    assert link in text(cast.client("admin").get("/", follow=True))
    assert link not in text(cast.client("pmo").get("/", follow=True))


def test_a_duplicate_code_a_bad_cadence_or_region_is_refused_saying_why(cast: Cast) -> None:
    admin = cast.client("admin")
    count = Programme.objects.count()
    duplicate = admin.post(NEW, {**FORM, "code": "mhhs"})
    assert duplicate.status_code == 400
    assert "A programme with the code mhhs already exists: choose another code." in text(duplicate)
    hourly = admin.post(NEW, {**FORM, "cadence": "FREQ=HOURLY"})
    assert hourly.status_code == 400
    assert "meets at most daily: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY" in text(hourly)
    unknown = admin.post(NEW, {**FORM, "cadence": "FREQ=FORTNIGHTLY"})
    assert unknown.status_code == 400 and "invalid 'FREQ': FORTNIGHTLY" in text(unknown)
    region = admin.post(NEW, {**FORM, "calendar_subdivision": "XX"})
    assert region.status_code == 400
    assert (
        "United Kingdom (GB) has no subdivision 'XX': choose one of ENG (England), "
        "NIR (Northern Ireland), SCT (Scotland), WLS (Wales)"
    ) in text(region)
    spaced = admin.post(NEW, {**FORM, "body_code": "P S G"})
    assert spaced.status_code == 400 and "no spaces" in text(spaced)
    assert Programme.objects.count() == count
    assert admin.post(NEW, {**FORM, "calendar_subdivision": ""}).status_code == 302


def facts(**changes: Any) -> Facts:
    done = Facts(
        code="demo2",
        calendar_country="GB",
        calendar_subdivision="SCT",
        bodies=(BodyFacts("PSG", "FREQ=MONTHLY;BYDAY=+2TU", 1),),
        organisations=2,
        constituencies=1,
        market_roles=1,
        meetings=("PSG-1",),
        imported=("milestones",),
    )
    return Facts(**{**done.__dict__, **changes})


def test_the_checklist_claims_no_step_its_data_does_not_show() -> None:
    assert all(step.done for step in checklist(facts()))
    undone = {
        "Bank-holiday calendar": facts(calendar_subdivision="XX"),
        "Governance bodies and cadences": facts(bodies=(BodyFacts("PSG", "", 1),)),
        "Members of each body": facts(
            bodies=(BodyFacts("PSG", "FREQ=DAILY", 1), BodyFacts("DAG", "", 0))
        ),
        "Organisations": facts(organisations=0),
        "SIT constituencies and market roles": facts(market_roles=0),
        "First meeting": facts(meetings=()),
        "Registers imported from spreadsheets": facts(imported=()),
    }
    for title, given in undone.items():
        steps = {step.title: step.done for step in checklist(given)}
        assert steps[title] is False, title
        assert sum(steps.values()) == len(steps) - 1, (title, steps)
    nothing = checklist(facts(bodies=(), organisations=0, constituencies=0, market_roles=0))
    assert [s.done for s in nothing][1:5] == [False, False, False, False]
