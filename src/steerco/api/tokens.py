"""Issuing, finding and revoking API tokens (see ``steerco.api.models``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.utils import timezone

from steerco.api.models import ApiToken

SCHEME = "sco_"  # marks a steerco token, so secret scanners and people can recognise one
# Writing last_used on every request would turn each read into a write: once a while is enough.
TOUCH_EVERY = dt.timedelta(minutes=5)


class TokenError(ValueError):
    pass


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user: User, name: str, *, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the secret is returned once and never stored."""
    if ApiToken.objects.filter(user=user, name=name, revoked__isnull=True).exists():
        raise TokenError(f"{user.get_username()} already has a token named {name!r}")
    ApiToken.objects.filter(user=user, name=name).delete()  # a revoked one of the same name
    secret = SCHEME + secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:12], digest=digest(secret), expires=expires
    )
    return token, secret


def find(secret: str) -> ApiToken | None:
    """The live token with this secret: not revoked, not expired, its user active."""
    if not secret.startswith(SCHEME):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest(secret)).first()
    now = timezone.now()
    if token is None or token.revoked is not None or not token.user.is_active:
        return None
    if token.expires is not None and token.expires <= now:
        return None
    if token.last_used is None or now - token.last_used > TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    return token


def revoke(user: User, name: str) -> bool:
    revoked = ApiToken.objects.filter(user=user, name=name, revoked__isnull=True).update(
        revoked=timezone.now()
    )
    return revoked > 0
