"""The roles a person can hold in a programme, each defined once with its label."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Programme admin"
    PMO = "pmo", "PMO editor"
    PARTICIPANT = "participant", "Participant contact"
    STEERING = "steering", "Steering-group member"
    PUBLIC = "public", "Public"
