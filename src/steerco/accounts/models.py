"""Who holds which role in which programme: roles are rows, not code paths.

What each role may do is one table in ``steerco.accounts.access``; a membership only says
which role a person holds, in which programme, and for a participant contact, for which
organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from steerco.accounts.choices import Role
from steerco.core.history import history
from steerco.core.models import Programme
from steerco.organisations.models import Organisation


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PUBLIC)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Blank: every programme (programme admins only).",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contacts_bound",
        help_text="The one organisation a participant contact speaks for.",
    )
    history = history()

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    def clean(self) -> None:
        if self.role == Role.PARTICIPANT and self.organisation_id is None:
            raise ValidationError({"organisation": "A participant contact is bound to one."})
        if self.role != Role.PARTICIPANT and self.organisation_id is not None:
            raise ValidationError({"organisation": "Only a participant contact has one."})
        if self.organisation is not None and self.programme_id not in (
            None,
            self.organisation.programme_id,
        ):
            raise ValidationError({"organisation": "Not an organisation of that programme."})
