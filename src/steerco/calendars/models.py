"""Calendar feeds: a secret, revocable address per person and programme.

A calendar program fetches a feed with no session and no header, so the address is the
credential. Like an API token, only the secret's SHA-256 digest is stored; the address is
shown to its owner once when issued. Revoking stops it at once; issuing again gives a new
address. A feed is always read as its owner may read now, so a person who loses a role
loses what their feed shows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steerco.core.models import Programme


class FeedScope(models.TextChoices):
    """What a feed holds."""

    PERSON = "person", "My meetings and actions"
    PROGRAMME = "programme", "The programme's meetings and tier 1 and 2 milestones"


class CalendarFeed(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    scope = models.CharField(max_length=20, choices=FeedScope.choices)
    prefix = models.CharField(
        max_length=12, help_text="The secret's first characters, to tell addresses apart."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256, hex
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One live address per person, programme and scope: issuing again replaces it.
            models.UniqueConstraint(
                fields=["user", "programme", "scope"], name="calendar_feed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.programme.code} {self.scope} ({self.prefix}…)"
