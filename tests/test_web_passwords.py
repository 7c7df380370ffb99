"""Passwords: the validators for real accounts (length 12, not common, not like the
account's details, not all digits), and the demo accounts that still satisfy them."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command

from steerco.accounts.personas import PERSONAS
from tests.web_support import Cast, make_cast, password_of

pytestmark = pytest.mark.django_db

PMO = next(p for p in PERSONAS if p.key == "pmo")


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
