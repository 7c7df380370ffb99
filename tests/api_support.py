"""API tests' helpers: one token per persona of the web tests, and clients that send it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.test import Client

from steerco.api import tokens
from tests.web_support import ANONYMOUS, Cast, make_cast


@dataclass(frozen=True)
class Callers:
    cast: Cast
    secrets: dict[str, str]  # persona key → its token

    def client(self, key: str) -> Client:
        if key == ANONYMOUS.key:
            return Client(HTTP_HOST="localhost")
        return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {self.secrets[key]}")


def make_callers() -> Callers:
    cast = make_cast()
    secrets = {key: tokens.issue(user, "tests")[1] for key, user in cast.users.items()}
    return Callers(cast, secrets)


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, body, content_type="application/json")
