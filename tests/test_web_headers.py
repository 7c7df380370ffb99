"""The Content-Security-Policy (django-csp) is the policy steerco always sent, on every kind
of response, and the other security headers stay beside it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

# The policy as the hand-written middleware sent it, directive by directive.
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy(response: Any) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives}


@pytest.fixture
def pmo() -> Client:
    user = get_user_model().objects.create_superuser("pmo-headers", password="a-long-password-7")
    client = Client()
    client.force_login(user)
    return client


def test_a_page_is_sent_with_the_same_policy_as_before(pmo: Client) -> None:
    response = pmo.get(reverse("web:dashboard", args=["mhhs", "risk-themes"]))
    assert response.status_code == 200
    assert policy(response) == POLICY
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (reverse("web:dashboard", args=["mhhs", "no-such-dashboard"]), 404),
        (reverse("api:register-list", args=["mhhs", "milestones"]), 200),
    ],
)
def test_a_page_not_found_and_an_api_answer_carry_the_policy_too(
    pmo: Client, url: str, status: int
) -> None:
    response = pmo.get(url)
    assert response.status_code == status
    assert policy(response) == POLICY


def test_a_signed_out_visitor_is_sent_to_sign_in_and_shown_it_under_the_policy() -> None:
    visitor = Client()
    response = visitor.get(reverse("jobs:detail", args=[1]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert policy(response) == POLICY
    sign_in = visitor.get(response["Location"])
    assert sign_in.status_code == 200 and policy(sign_in) == POLICY
