"""Sign-in throttling: after the configured number of wrong passwords a username is refused,
even with the right password, on the sign-in page and the admin's alike, until the cool-off
has passed; the refusal says when to try again. API tokens and open sessions are not
sign-ins and are untouched."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse

from steerco.accounts.personas import PERSONAS
from tests.api_support import make_callers
from tests.web_support import Cast, make_cast, password_of

pytestmark = pytest.mark.django_db

PMO = next(p for p in PERSONAS if p.key == "pmo")
ADMIN = next(p for p in PERSONAS if p.key == "admin")
LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


@pytest.fixture
def cast() -> Cast:
    return make_cast(with_passwords=True)


def sign_in(url: str, username: str, password: str) -> tuple[Client, object]:
    client = Client(HTTP_HOST="localhost")
    response = client.post(url, {"username": username, "password": password})
    return client, response


def fail(url: str, username: str, times: int, before: int = 0) -> None:
    """``times`` wrong passwords, after ``before`` already made: the form comes back with its
    error until the limit is reached, which is refused at once."""
    for n in range(before + 1, before + times + 1):
        _, response = sign_in(url, username, "not-the-password")
        assert response.status_code == (429 if n >= settings.AXES_FAILURE_LIMIT else 200), n


def test_the_configured_failures_lock_the_username_even_for_the_right_password(
    cast: Cast,
) -> None:
    username = cast.users["pmo"].get_username()
    fail(LOGIN, username, settings.AXES_FAILURE_LIMIT)
    client, response = sign_in(LOGIN, username, password_of(PMO))
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "Too many attempts" in page and "Try again after" in page
    assert f"{settings.AXES_COOLOFF_TIME.seconds // 60} minutes from now" in page
    assert 'href="/static/' in page  # the site's own page, not a bare text


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(cast: Cast) -> None:
    username = cast.users["pmo"].get_username()
    fail(LOGIN, username, settings.AXES_FAILURE_LIMIT - 1)
    client, response = sign_in(LOGIN, username, password_of(PMO))
    assert response.status_code == 302 and "_auth_user_id" in client.session
    # A successful sign-in starts the count again.
    fail(LOGIN, username, settings.AXES_FAILURE_LIMIT - 1)
    _, response = sign_in(LOGIN, username, password_of(PMO))
    assert response.status_code == 302


def test_the_admins_sign_in_is_throttled_and_counts_with_the_sign_in_page(cast: Cast) -> None:
    username = cast.users["admin"].get_username()
    fail(LOGIN, username, settings.AXES_FAILURE_LIMIT - 1)
    fail(ADMIN_LOGIN, username, 1, before=settings.AXES_FAILURE_LIMIT - 1)
    _, response = sign_in(ADMIN_LOGIN, username, password_of(ADMIN))
    assert response.status_code == 429 and "Try again after" in response.content.decode()
    _, response = sign_in(LOGIN, username, password_of(ADMIN))
    assert response.status_code == 429


def test_the_username_is_let_in_again_once_the_cool_off_has_passed(cast: Cast) -> None:
    username = cast.users["pmo"].get_username()
    fail(LOGIN, username, settings.AXES_FAILURE_LIMIT)
    assert sign_in(LOGIN, username, password_of(PMO))[1].status_code == 429
    earlier = dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(minutes=1)
    AccessAttempt.objects.filter(username=username).update(attempt_time=earlier)
    client, response = sign_in(LOGIN, username, password_of(PMO))
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_another_username_is_not_locked_by_someone_elses_failures(cast: Cast) -> None:
    fail(LOGIN, cast.users["pmo"].get_username(), settings.AXES_FAILURE_LIMIT)
    steering = next(p for p in PERSONAS if p.key == "steering")
    _, response = sign_in(LOGIN, cast.users["steering"].get_username(), password_of(steering))
    assert response.status_code == 302


def test_api_tokens_sessions_and_the_test_clients_logins_are_not_sign_ins() -> None:
    callers = make_callers()
    user = callers.cast.users["pmo"]
    signed_in = callers.cast.client("pmo")  # force_login, before the lock
    fail(LOGIN, user.get_username(), settings.AXES_FAILURE_LIMIT)
    api = reverse("api:register-list", args=["mhhs", "milestones"])
    assert callers.client("pmo").get(api).status_code == 200
    assert signed_in.get(api).status_code == 200
    assert signed_in.get(reverse("web:programme", args=["mhhs"])).status_code == 200
    user.set_password("a-password-for-the-test-client")
    user.save()
    client = Client(HTTP_HOST="localhost")
    assert client.login(username=user.get_username(), password="a-password-for-the-test-client")


def test_the_limit_and_cool_off_are_read_strictly_from_the_environment() -> None:
    steerco = Path(sys.executable).parent / "steerco"
    for name, value, message in (
        ("STEERCO_LOGIN_FAILURE_LIMIT", "0", "LIMIT=0 is below the minimum 1"),
        ("STEERCO_LOGIN_COOLOFF_MINUTES", "soon", "STEERCO_LOGIN_COOLOFF_MINUTES='soon' is not"),
    ):
        result = subprocess.run(
            [str(steerco), "check", "--system"],
            capture_output=True,
            text=True,
            check=False,
            env={name: value, "PATH": "/usr/bin:/bin"},
        )
        assert result.returncode != 0 and message in result.stderr, result.stderr
