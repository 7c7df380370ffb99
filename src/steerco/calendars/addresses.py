"""Issuing, finding and revoking calendar feed addresses (see ``steerco.calendars.models``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from steerco.calendars.models import CalendarFeed, FeedScope
from steerco.core.models import Programme

SCHEME = "scal_"  # marks a steerco calendar secret, so people and scanners can recognise one
# Writing last_used on every fetch would turn each read into a write: once an hour is enough.
TOUCH_EVERY = dt.timedelta(hours=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue(user: User, programme: Programme, scope: FeedScope) -> str:
    """A new secret for the person's feed of ``scope``, replacing (revoking) any earlier
    one; returned once and never stored."""
    secret = SCHEME + secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user, programme=programme, scope=scope).delete()
        CalendarFeed.objects.create(
            user=user, programme=programme, scope=scope, prefix=secret[:12], digest=digest(secret)
        )
    return secret


def revoke(user: User, programme: Programme, scope: FeedScope) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user, programme=programme, scope=scope).delete()
    return deleted > 0


def find(secret: str) -> CalendarFeed | None:
    """The live feed with this secret, its owner still active."""
    if not secret.startswith(SCHEME):
        return None
    feed = (
        CalendarFeed.objects.select_related("user", "programme")
        .filter(digest=digest(secret))
        .first()
    )
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used is None or now - feed.last_used > TOUCH_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used=now)
    return feed
