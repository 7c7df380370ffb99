"""Tokens for other systems: a bearer token acts as its user; a wrong, revoked or expired
one is refused with 401, and only a digest of the secret is ever stored."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steerco.api import tokens
from steerco.api.models import ApiToken
from tests.conftest import ROOT
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

URL = "/api/p/mhhs/registers/raid/"


@pytest.fixture
def cast() -> Cast:
    return make_cast()


def bearer(secret: str) -> Client:
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_a_token_acts_as_its_user_with_that_users_role(cast: Cast) -> None:
    _, secret = tokens.issue(cast.users["steering"], "dashboards")
    assert bearer(secret).get(URL).status_code == 200
    _, public = tokens.issue(cast.users["public"], "website")
    assert bearer(public).get(URL).status_code == 403


@pytest.mark.parametrize(
    "header",
    [
        "Bearer sco_not-a-real-token",
        "Bearer not-even-the-scheme",
        "Bearer",
        "Bearer two tokens",
        "Bearer caf\u00e9",
    ],
)
def test_a_bad_token_is_refused_with_401_not_taken_as_anonymous(cast: Cast, header: str) -> None:
    response = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=header).get("/api/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_is_401_with_a_challenge_and_no_data(cast: Cast) -> None:
    response = Client(HTTP_HOST="localhost").get(URL)
    assert response.status_code == 401 and "results" not in response.json()
    assert response["WWW-Authenticate"] == 'Bearer realm="steerco"'


def test_a_revoked_or_expired_token_or_inactive_user_is_refused(cast: Cast) -> None:
    user = cast.users["pmo"]
    token, secret = tokens.issue(user, "sync")
    assert bearer(secret).get(URL).status_code == 200
    assert tokens.revoke(user, "sync")
    assert bearer(secret).get(URL).status_code == 401
    token, secret = tokens.issue(user, "sync", days=1)  # a revoked name can be reissued
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(secret).get(URL).status_code == 401
    _, secret = tokens.issue(user, "other")
    user.is_active = False
    user.save()
    assert bearer(secret).get(URL).status_code == 401


def test_only_a_digest_of_the_secret_is_stored(cast: Cast) -> None:
    token, secret = tokens.issue(cast.users["pmo"], "sync")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert all(secret not in str(value) for value in stored.values())
    assert stored["digest"] == tokens.digest(secret) and secret.startswith(stored["prefix"])


def test_use_is_recorded_without_a_write_per_request(cast: Cast) -> None:
    token, secret = tokens.issue(cast.users["pmo"], "sync")
    client = bearer(secret)
    client.get(URL)
    first = ApiToken.objects.get(pk=token.pk).last_used
    assert first is not None
    client.get(URL)
    assert ApiToken.objects.get(pk=token.pk).last_used == first


def test_the_command_issues_lists_and_revokes_tokens(cast: Cast) -> None:
    username = cast.users["dcc"].get_username()
    out = io.StringIO()
    call_command("api_token", username, "--name", "reports", "--days", "30", stdout=out)
    secret = out.getvalue().strip()
    assert (
        bearer(secret).get(reverse("api:register-list", args=["mhhs", "reports"])).status_code
        == 200
    )
    with pytest.raises(CommandError, match="already has"):
        call_command("api_token", username, "--name", "reports", stdout=io.StringIO())
    listed = io.StringIO()
    call_command("api_token", username, "--list", stdout=listed)
    assert "reports" in listed.getvalue() and secret not in listed.getvalue()
    call_command("api_token", username, "--name", "reports", "--revoke", stdout=io.StringIO())
    assert bearer(secret).get("/api/").status_code == 401
    with pytest.raises(CommandError, match="no user"):
        call_command("api_token", "nobody", "--name", "x", stdout=io.StringIO())


def test_the_command_has_help_and_is_in_the_readme() -> None:
    steerco = Path(sys.executable).parent / "steerco"
    result = subprocess.run(
        [str(steerco), "api-token", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "usage:" in result.stdout
    assert "steerco api-token" in (ROOT / "README.md").read_text()
