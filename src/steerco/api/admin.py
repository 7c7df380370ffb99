from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from steerco.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Tokens are listed and revoked here; they are issued by `steerco api-token`, which
    shows the secret once (the database keeps only its digest)."""

    list_display = ("name", "user", "prefix", "created", "expires", "last_used", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created", "last_used")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
