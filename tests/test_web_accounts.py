"""Accounts: roles as data, Argon2 passwords, sign-in, password change, session expiry,
the demo personas, and where each register keeps its organisation for the access module."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from steerco.accounts.access import principal_of, shape_of
from steerco.accounts.choices import Role
from steerco.accounts.models import Membership
from steerco.core.models import AgendaItem, Programme
from steerco.milestones.models import TimetableCell
from steerco.organisations.models import RoleParticipation
from steerco.raid.models import MitigationStep
from steerco.reports.models import DeliveryReport, ReportMilestone
from tests.web_support import make_cast, password_of

pytestmark = pytest.mark.django_db


def test_demo_users_creates_one_persona_per_role_with_two_organisations() -> None:
    out = StringIO()
    call_command("demo_users", stdout=out)
    text = out.getvalue()
    for label in ("Programme admin", "PMO editor", "(DCC)", "(RECCo)", "Steering-group", "Public"):
        assert label in text
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["mhhs-dcc"] == roles["mhhs-recco"] == Role.PARTICIPANT
    dcc = Membership.objects.get(user__username="mhhs-dcc")
    assert dcc.organisation is not None and dcc.organisation.name == "DCC"


def test_passwords_are_hashed_with_argon2_and_sign_in_works() -> None:
    cast = make_cast(with_passwords=True)
    user = cast.users["steering"]
    assert user.password.startswith("argon2")
    client = Client(HTTP_HOST="localhost")
    from steerco.accounts.personas import PERSONAS

    steering = next(p for p in PERSONAS if p.key == "steering")
    response = client.post(
        "/accounts/login/", {"username": user.get_username(), "password": password_of(steering)}
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    wrong = Client(HTTP_HOST="localhost").post(
        "/accounts/login/", {"username": user.get_username(), "password": "nope"}
    )
    assert wrong.status_code == 200 and b"correct username and password" in wrong.content


def test_a_person_changes_their_password() -> None:
    cast = make_cast(with_passwords=True)
    from steerco.accounts.personas import PERSONAS

    pmo = next(p for p in PERSONAS if p.key == "pmo")
    client = cast.client("pmo")
    response = client.post(
        "/accounts/password/",
        {
            "old_password": password_of(pmo),
            "new_password1": "a-new-long-passphrase-42",
            "new_password2": "a-new-long-passphrase-42",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/password/done/"
    user = get_user_model().objects.get(pk=cast.users["pmo"].pk)
    assert user.check_password("a-new-long-passphrase-42")


def test_a_participant_contact_must_be_bound_to_an_organisation() -> None:
    user = get_user_model().objects.create_user("loose", password="x-long-password-1")
    membership = Membership(user=user, role=Role.PARTICIPANT)
    with pytest.raises(ValidationError, match="bound to one"):
        membership.full_clean()


def test_an_account_without_a_role_is_public_unless_it_is_a_superuser() -> None:
    plain = get_user_model().objects.create_user("plain", password="x-long-password-1")
    boss = get_user_model().objects.create_superuser("boss", password="x-long-password-1")
    assert principal_of(plain).role is Role.PUBLIC
    assert principal_of(boss).role is Role.ADMIN


def test_a_member_of_one_programme_sees_nothing_of_another() -> None:
    cast = make_cast()
    other = Programme.objects.create(code="other", name="Another programme")
    Membership.objects.filter(user=cast.users["pmo"]).update(programme=other)
    response = cast.client("pmo").get("/p/mhhs/dashboards/risk-themes/")
    assert response.status_code == 404


def test_every_register_knows_where_its_organisation_and_report_are() -> None:
    assert shape_of(DeliveryReport).organisation == "organisation"
    assert shape_of(DeliveryReport).report == ""
    assert shape_of(ReportMilestone).organisation == "report__organisation"
    assert shape_of(ReportMilestone).report == "report__"
    assert shape_of(ReportMilestone).programme == "report__programme"
    assert shape_of(RoleParticipation).organisation == "organisation"
    assert shape_of(MitigationStep).chain == ("", "item__")
    assert shape_of(AgendaItem).programme == "meeting__programme"
    assert shape_of(TimetableCell).programme == "activity__timetable__programme"
    assert shape_of(Programme).programme == ""
