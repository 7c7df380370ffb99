"""One way to put a register in the admin: history on every page, children inline."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin


def inline(child: type[models.Model], fk: str | None = None) -> type[admin.TabularInline[Any, Any]]:
    attrs: dict[str, Any] = {"model": child, "extra": 0, "show_change_link": True}
    if fk:
        attrs["fk_name"] = fk
    return type(f"{child.__name__}Inline", (admin.TabularInline,), attrs)


def register(
    model: type[models.Model],
    *,
    list_display: tuple[str, ...] = ("__str__",),
    list_filter: tuple[str, ...] = (),
    search_fields: tuple[str, ...] = (),
    inlines: tuple[type[models.Model], ...] = (),
) -> None:
    attrs: dict[str, Any] = {
        "list_display": list_display,
        "list_filter": list_filter,
        "search_fields": search_fields,
        "inlines": [inline(child) for child in inlines],
        "history_list_display": ["history_actor", "history_change_reason"],
    }
    admin.site.register(model, type(f"{model.__name__}Admin", (SimpleHistoryAdmin,), attrs))
