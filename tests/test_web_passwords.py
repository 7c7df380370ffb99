"""Passwords: the validators for real accounts (length 12, not common, not like the
account's details, not all digits), the demo accounts that still satisfy them, and a
forgotten password reset by an e-mailed one-time link."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client

from steerco.accounts.personas import PERSONAS
from tests.web_support import Cast, make_cast, password_of

pytestmark = pytest.mark.django_db

PMO = next(p for p in PERSONAS if p.key == "pmo")
NEW = "copper-kettle-river-stone"


@pytest.fixture
def cast() -> Cast:
    made = make_cast(with_passwords=True)
    made.users["pmo"].email = "pmo@example.org"
    made.users["pmo"].save()
    return made


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pw-1", "too short"),
        ("password1234", "too common"),
        ("739201846502", "entirely numeric"),
        ("pmo@example.org!", "too similar"),
    ],
)
def test_a_weak_password_is_refused(cast: Cast, password: str, reason: str) -> None:
    with pytest.raises(ValidationError, match=reason):
        validate_password(password, cast.users["pmo"])
    response = cast.client("pmo").post(
        "/accounts/password/",
        {"old_password": password_of(PMO), "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200 and reason in response.content.decode()


def test_the_demo_accounts_passwords_satisfy_the_validators() -> None:
    out = StringIO()
    call_command("demo_users", stdout=out)
    call_command("demo_admin", stdout=out)
    users = get_user_model().objects
    found = re.findall(r"username (\S+)\s+password (\S+)", out.getvalue())
    assert len(found) == len(PERSONAS) + 1
    for username, password in found:
        user = users.get(username=username)
        validate_password(password, user)
        assert user.check_password(password)


def reset_link(mailbox: list[Any]) -> str:
    assert len(mailbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mailbox[0].body)
    assert link, mailbox[0].body
    return link.group(1)


def test_a_forgotten_password_is_reset_through_the_e_mailed_link(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    client = Client(HTTP_HOST="localhost")
    assert b"Forgotten your password?" in client.get("/accounts/login/").content
    response = client.post("/accounts/password/reset/", {"email": "pmo@example.org"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mailoutbox[0].to == ["pmo@example.org"]
    assert mailoutbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    assert "mhhs-pmo" in mailoutbox[0].body
    link = reset_link(mailoutbox)
    response = client.get(link)  # Django moves the token out of the address into the session
    assert response.status_code == 302
    form_url = response["Location"]
    assert b"Choose a new password" in client.get(form_url).content
    weak = client.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 200 and b"too short" in weak.content
    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert client.get(done["Location"]).status_code == 200
    user = get_user_model().objects.get(username="mhhs-pmo")
    assert user.check_password(NEW) and not user.check_password(password_of(PMO))
    signed_in = Client(HTTP_HOST="localhost")
    login = signed_in.post("/accounts/login/", {"username": "mhhs-pmo", "password": NEW})
    assert login.status_code == 302
    # The link works once.
    again = Client(HTTP_HOST="localhost").get(link, follow=True)
    assert b"This link no longer works" in again.content


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    cast: Cast, mailoutbox: list[Any]
) -> None:
    response = Client(HTTP_HOST="localhost").post(
        "/accounts/password/reset/", {"email": "nobody@example.org"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mailoutbox == []


def test_a_reset_password_lifts_a_sign_in_lock(cast: Cast, mailoutbox: list[Any]) -> None:
    client = Client(HTTP_HOST="localhost")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "mhhs-pmo", "password": "wrong-password"})
    locked = client.post("/accounts/login/", {"username": "mhhs-pmo", "password": password_of(PMO)})
    assert locked.status_code == 429 and b"/accounts/password/reset/" in locked.content
    client.post("/accounts/password/reset/", {"email": "pmo@example.org"})
    form_url = client.get(reset_link(mailoutbox))["Location"]
    assert client.post(form_url, {"new_password1": NEW, "new_password2": NEW}).status_code == 302
    login = client.post("/accounts/login/", {"username": "mhhs-pmo", "password": NEW})
    assert login.status_code == 302


def test_an_admin_sets_a_new_password_with_changepassword(cast: Cast) -> None:
    from django.contrib.auth.management.commands import changepassword

    command = changepassword.Command(stdout=StringIO())
    answers = iter([NEW, NEW])
    command._get_pass = lambda prompt="": next(answers)  # type: ignore[method-assign]
    call_command(command, "mhhs-steering")
    assert get_user_model().objects.get(username="mhhs-steering").check_password(NEW)
