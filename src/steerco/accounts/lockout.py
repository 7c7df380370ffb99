"""Sign-in throttling: django-axes' database handler locks a username out after too many
wrong passwords, on every server at once (the attempts live in the shared database).

Only the username is counted, not the address: behind the proxy every request comes from
the proxy's own address, so counting addresses would lock everyone out together."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


class LockoutBackend(AxesStandaloneBackend):
    """Axes' check before the password is looked at, for sign-ins made over the network.

    A call to ``authenticate()`` without a request (the test client's ``login()``, a script)
    is not a sign-in anyone can make from outside: axes cannot count it, so it is passed on
    to the next backend instead of refused."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of signing in while the username is locked out: when to try
    again (every attempt during the lock starts the wait again, so it is counted from now)."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
        "until": timezone.localtime(timezone.now() + cool_off) if cool_off else None,
    }
    return render(request, "accounts/locked_out.html", context, status=429)
