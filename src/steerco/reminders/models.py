"""The log of reminders sent: one row per person and reminder, so none is sent twice.

A row is written in the same transaction as the decision to send the digest that carries
it; the unique (user, key) constraint is what stops two concurrent runs from both sending.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steerco.core.models import Programme


class Reminder(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    key = models.CharField(
        max_length=200,
        help_text="What was reminded, with the facts it turned on: action:12:due:2026-05-01.",
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            # Serves "which of these keys has this person been sent?" and refuses a second
            # send from a concurrent run.
            models.UniqueConstraint(fields=["user", "key"], name="reminder_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
