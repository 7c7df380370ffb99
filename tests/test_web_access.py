"""Every page and method, for every role and organisation: allowed where it should be,
refused (403/404, or sign-in for a signed-out visitor) everywhere else.

The pages are read from the URL configuration, so a new page that is not in EXPECTED
fails the matrix instead of escaping it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from steerco.accounts.access import PUBLIC, visible
from steerco.core.models import Programme
from steerco.pack.editions import Edition
from steerco.raid.models import RaidItem
from steerco.reports.models import DeliveryReport
from tests.access_support import samples, url_names
from tests.web_support import ANONYMOUS, PERSONA_KEYS, Cast, make_cast

pytestmark = pytest.mark.django_db

READERS = {"admin", "pmo", "dcc", "recco", "steering"}
EDITORS = {"admin", "pmo"}
# Migration plans hold every supplier's portfolio size: not for participants or the public.
PLAN_READERS = {"admin", "pmo", "steering"}
PARTICIPANTS = {"dcc", "recco"}
# DCC's draft report: only the PMO, admins and DCC's own contact may reach it.
DRAFT_READERS = {"admin", "pmo", "dcc"}
EVERYONE = set(PERSONA_KEYS)
# The public persona's account names its programme: it reads the programme's front door,
# its dashboards (Public records only) and the public edition of a published meeting's pack.
PROGRAMME_PUBLIC = READERS | {"public"}
SIGNED_IN = EVERYONE - {ANONYMOUS.key}

# url name → (methods it answers, who may use it). A page missing here fails the matrix.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "web:home": ({"GET"}, EVERYONE),
    # A programme set up on the web: created by an admin of every programme (the admin
    # persona's membership names none), its checklist and its bodies' members by editors.
    "web:programme-new": ({"GET", "POST"}, {"admin"}),
    "web:programme-setup": ({"GET"}, EDITORS),
    "web:programme-logo": ({"GET", "POST"}, EDITORS),
    "web:body-member-new": ({"GET", "POST"}, EDITORS),
    "web:programme": ({"GET"}, PROGRAMME_PUBLIC),
    "web:dashboard": ({"GET"}, PROGRAMME_PUBLIC),
    "web:changes": ({"GET"}, READERS),
    "web:meetings": ({"GET"}, PROGRAMME_PUBLIC),
    "web:meeting": ({"GET"}, READERS),
    "web:meeting-record": ({"GET", "POST"}, EDITORS),  # an empty form answers 400
    # Each reader gets the edition it may read (PSG-24 is published: the public its edition).
    "web:meeting-pack": ({"GET"}, PROGRAMME_PUBLIC),
    "web:meeting-pack-html": ({"GET"}, PROGRAMME_PUBLIC),
    "web:meeting-pack-pptx": ({"GET"}, PROGRAMME_PUBLIC),
    # A meeting's life: the next one set up from its body's cadence; its steps.
    "web:next-meeting": ({"GET", "POST"}, EDITORS),
    "web:meeting-freeze": ({"POST"}, EDITORS),
    "web:meeting-publish": ({"POST"}, EDITORS),
    "web:meeting-hold": ({"POST"}, EDITORS),
    "web:meeting-close": ({"POST"}, EDITORS),
    # A meeting's papers as the PMO prepares them (PSG-24 is published: its editing pages
    # answer, and refuse any change with 409); its attached papers for every reader.
    "web:meeting-agenda": ({"GET", "POST"}, EDITORS),
    "web:meeting-sections": ({"GET"}, EDITORS),
    "web:meeting-section-new": ({"GET", "POST"}, EDITORS),
    "web:meeting-section": ({"GET", "POST"}, EDITORS),
    "web:meeting-papers": ({"GET"}, READERS),
    "web:meeting-paper-new": ({"GET", "POST"}, EDITORS),
    "web:meeting-paper": ({"GET"}, READERS),
    "web:registers": ({"GET"}, READERS),  # the index, with counts of what each may see
    "web:register-list": ({"GET"}, READERS),
    "web:register-item": ({"GET"}, READERS),
    "web:register-new": ({"GET", "POST"}, EDITORS),
    "web:register-edit": ({"GET", "POST"}, EDITORS),
    "web:register-remove": ({"GET", "POST"}, EDITORS),  # close or delete: an empty POST is 400
    # What-if on a milestone: the PMO's, as editing is (an empty POST is 400).
    "web:what-if": ({"GET", "POST"}, EDITORS),
    "accounts:login": ({"GET", "POST"}, EVERYONE),
    "accounts:logout": ({"POST"}, EVERYONE),
    "accounts:password": ({"GET", "POST"}, SIGNED_IN),
    "accounts:password-done": ({"GET"}, SIGNED_IN),
    # A forgotten password: asked for and set by anyone holding the e-mailed link (a link
    # that is not valid answers "this link no longer works").
    "accounts:password-reset": ({"GET", "POST"}, EVERYONE),
    "accounts:password-reset-sent": ({"GET"}, EVERYONE),
    "accounts:password-reset-confirm": ({"GET", "POST"}, EVERYONE),
    "accounts:password-reset-complete": ({"GET"}, EVERYONE),
    "health": ({"GET"}, EVERYONE),
    "jobs:build-pack": ({"POST"}, EDITORS),
    "jobs:detail": (
        {"GET"},
        EDITORS,
    ),  # the load balancer's check: says only whether the DB answers
    "planning:home": ({"GET"}, PLAN_READERS),
    "planning:run": ({"GET"}, PLAN_READERS),
    "planning:start": ({"POST"}, EDITORS),  # an empty form answers 400
    "transfers:download": ({"GET"}, READERS),
    "transfers:import": ({"GET", "POST"}, EDITORS),
    "transfers:import-commit": ({"POST"}, EDITORS),
    "transfers:import-job": ({"GET"}, EDITORS),  # a large import's preview or result
    # The JSON API (its PATCH is tested in tests/test_api_access.py, refused as the web's
    # edit page is).
    "api:root": ({"GET"}, EVERYONE),
    "api:schema": ({"GET"}, EVERYONE),
    "api:docs": ({"GET"}, EVERYONE),
    "api:programme": ({"GET"}, READERS),
    "api:register-list": ({"GET", "POST"}, READERS),  # POST: see BY_METHOD
    "api:register-item": ({"GET"}, READERS),
    "api:export": ({"GET"}, READERS),
    "api:milestone-confidence": ({"GET"}, READERS),
    # The participant portal: reports are worked on by their own organisation (DCC's draft
    # here) and reviewed by the PMO; submissions are the raiser's and the PMO's.
    "portal:home": ({"GET"}, READERS),
    "portal:report-new": ({"GET", "POST"}, PARTICIPANTS),
    "portal:report": ({"GET"}, DRAFT_READERS),
    "portal:report-edit": ({"GET", "POST"}, {"dcc"}),
    "portal:report-submit": ({"POST"}, {"dcc"}),
    "portal:report-review": ({"POST"}, EDITORS),
    "portal:raid-new": ({"GET", "POST"}, READERS),
    "portal:raid-mine": ({"GET"}, READERS),
    "portal:triage": ({"GET"}, EDITORS),
    "portal:raid-submission": ({"GET"}, EDITORS | {"dcc"}),  # raised by DCC's contact
    "portal:raid-decide": ({"POST"}, EDITORS),
    "portal:rounds": ({"GET"}, EDITORS | PARTICIPANTS),
    "portal:round-new": ({"GET", "POST"}, EDITORS),
    "portal:round": ({"GET"}, EDITORS),
    "portal:round-answer": ({"GET", "POST"}, PARTICIPANTS),
    "portal:round-response": ({"GET", "POST"}, EDITORS),  # DCC's answers
    "portal:returns": ({"GET"}, EDITORS),
    "portal:remind": ({"POST"}, EDITORS),
    # Calendar feeds: each reader of the programme issues its own addresses; a feed answers
    # whoever holds its secret address (the sample is the PMO's), as its owner may read.
    "calendars:settings": ({"GET", "POST"}, READERS),
    "calendars:feed": ({"GET"}, EVERYONE),
}


# Where a method has an audience of its own: reading a register's list is for its readers,
# creating a record in it (POST) for the editors only.
BY_METHOD: dict[tuple[str, str], set[str]] = {("api:register-list", "POST"): EDITORS}


def outcome(status: int, location: str) -> str:
    # 415: the API took the request, then refused the test client's form-encoded body.
    if status in (200, 400, 409, 415) or (status == 302 and "/accounts/login/" not in location):
        return "allowed"
    if status in (401, 403, 404) or (status == 302 and "/accounts/login/" in location):
        return "refused"
    if status == 405:
        return "method not allowed"
    return f"unexpected {status}"


@pytest.fixture
def cast(settings: Any, tmp_path: Path) -> Cast:
    settings.VAR_DIR = tmp_path
    made = make_cast()
    folder = tmp_path / "packs" / made.programme.code
    folder.mkdir(parents=True)
    for edition in Edition:
        for suffix in ("pdf", "html", "pptx"):
            (folder / f"PSG-24-{edition.value}.{suffix}").write_bytes(b"%PDF-1.4 test pack")
    return made


@pytest.mark.parametrize("persona", PERSONA_KEYS)
def test_every_page_and_method_allows_or_refuses_each_role(cast: Cast, persona: str) -> None:
    client = cast.client(persona)
    wrong = []
    for page in samples(cast, EXPECTED):
        methods, allowed = EXPECTED[page.name]
        readers = DRAFT_READERS if page.draft else allowed
        for method in ("GET", "POST"):
            # Signing out ends the session: do it on a client of its own.
            asking = cast.client(persona) if page.name == "accounts:logout" else client
            response = getattr(asking, method.lower())(page.url)
            got = outcome(response.status_code, response.headers.get("Location", ""))
            if method not in methods:
                expected = "method not allowed"
                if got == "refused":
                    continue  # refused before the method is looked at: nothing disclosed
            else:
                audience = BY_METHOD.get((page.name, method), allowed)
                expected = "allowed" if persona in readers and persona in audience else "refused"
            if got != expected:
                wrong.append(f"{method} {page.url}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_the_matrix_covers_every_url_pattern() -> None:
    names = {name for name, _ in url_names()}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("persona", PERSONA_KEYS)
def test_only_the_programme_admin_reaches_the_django_admin(cast: Cast, persona: str) -> None:
    client = cast.client(persona)
    from django.contrib import admin

    urls = ["/admin/"] + [
        reverse(f"admin:{m._meta.app_label}_{m._meta.model_name}_changelist")
        for m in admin.site._registry
    ]
    for url in urls:
        response = client.get(url)
        if persona == "admin":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302 and "/admin/login/" in response["Location"], url


def test_a_participant_never_sees_another_organisations_draft_in_any_list(cast: Cast) -> None:
    reports = reverse("web:register-list", args=["mhhs", "reports"])
    board = reverse("web:dashboard", args=["mhhs", "core-providers"])
    changes = reverse("web:changes", args=["mhhs"]) + "?since=PSG-24"
    title = cast.draft.title.encode()
    for persona in ("recco", "steering"):
        client = cast.client(persona)
        for url in (reports, board, changes, reports + "?q=draft"):
            response = client.get(url)
            assert response.status_code == 200 and title not in response.content, (persona, url)
    for persona in ("dcc", "pmo"):
        client = cast.client(persona)
        assert title in client.get(reports).content, persona
        assert title in client.get(changes).content, persona


def test_a_participant_sees_its_own_confidential_records_and_no_one_elses(cast: Cast) -> None:
    report = DeliveryReport.objects.get(programme=cast.programme, title__contains="RECCo")
    report.classification = "confidential"
    report.save()
    url = reverse("web:register-item", args=["mhhs", "reports", report.pk])
    assert cast.client("recco").get(url).status_code == 200
    assert cast.client("dcc").get(url).status_code == 404
    assert cast.client("steering").get(url).status_code == 404


def test_the_public_sees_only_records_classified_public() -> None:
    programme = Programme.objects.get(code="mhhs")
    programme.classification = "public"
    programme.save()
    RaidItem.objects.filter(ref="R040").update(classification="public")
    seen = set(
        visible(RaidItem.objects.filter(programme=programme), PUBLIC).values_list("ref", flat=True)
    )
    assert seen == {"R040"}
    client = make_cast().client(ANONYMOUS.key)
    response = client.get(reverse("web:dashboard", args=["mhhs", "risk-themes"]))
    assert response.status_code == 200 and b"R272" not in response.content


def test_pages_send_security_headers_and_forms_carry_a_csrf_token(cast: Cast) -> None:
    client = cast.client("pmo")
    risk = RaidItem.objects.get(ref="R272")
    response = client.get(reverse("web:register-edit", args=["mhhs", "raid", risk.pk]))
    assert b"csrfmiddlewaretoken" in response.content
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_post_without_a_csrf_token_is_refused(cast: Cast) -> None:
    from django.test import Client

    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(cast.users["pmo"])
    risk = RaidItem.objects.get(ref="R272")
    response = client.post(reverse("web:register-edit", args=["mhhs", "raid", risk.pk]), {})
    assert response.status_code == 403
