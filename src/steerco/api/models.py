"""API tokens for other systems.

A token is a random secret shown once when it is issued; only its SHA-256 digest is stored,
so a copy of the database (a backup, a replica, a leaked dump) holds no usable credential.
A fast digest is enough: the secret has 256 bits of entropy, so there is nothing to guess,
and the lookup by digest stays one indexed query per request.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.SlugField(max_length=60, help_text="What it is for, for example pmo-sync.")
    prefix = models.CharField(
        max_length=12, help_text="The secret's first characters, to tell tokens apart."
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)  # SHA-256, hex
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField(null=True, blank=True, help_text="Blank: never.")
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="api_token_name_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
