"""Personal data: what steerco holds about one person, and its erasure.

steerco holds personal data in user accounts (username, names, e-mail, role), in history
(the actor of each change) and as names written into register text (a contact list, an
action's owner "Programme (Jason Brogden)"). Erasure anonymises the account, replaces the
actor in every history row, and removes the name from every text field, current and
historical — history keeps each change, without the person's details. Erasure writes no new
history rows: a history row naming the person would defeat it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

ERASED_NAME = "[name erased]"


class PersonalDataError(ValueError):
    pass


@dataclass
class Found:
    account: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)


def _text_fields() -> list[tuple[type[models.Model], str]]:
    """Every free-text field of steerco's own models and their history tables."""
    chosen = []
    for model in apps.get_models():
        if not model.__module__.startswith("steerco."):
            continue
        for f in model._meta.concrete_fields:
            if isinstance(f, models.CharField | models.TextField) and not f.choices:
                chosen.append((model, f.name))
    return chosen


def _history_models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("steerco.") and m.__name__.startswith("Historical")
    ]


def _actor_filter(username: str) -> Q:
    return Q(history_actor=username) | Q(history_actor__startswith=f"{username} via ")


def _user(username: str | None) -> AbstractBaseUser | None:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise PersonalDataError(f"no user account '{username}'")
    return user


def find(username: str | None, name: str | None) -> Found:
    """Everything held about the person: account, changes made, mentions by name."""
    if not username and not name:
        raise PersonalDataError("name the person: --user USERNAME and/or --name 'FULL NAME'")
    found = Found()
    user = _user(username)
    if user is not None:
        found.account = {
            "username": user.get_username(),
            "first_name": getattr(user, "first_name", ""),
            "last_name": getattr(user, "last_name", ""),
            "email": getattr(user, "email", ""),
            "date_joined": str(getattr(user, "date_joined", "")),
            "last_login": str(getattr(user, "last_login", "")),
            "is_active": user.is_active,
            "role": str(getattr(getattr(user, "membership", None), "role", "")),
        }
        for model in _history_models():
            rows = model._default_manager.filter(_actor_filter(user.get_username()))
            for row in rows.values("id", "history_date", "history_type", "history_change_reason"):
                found.history.append({"record": model._meta.label, **row})
    if name:
        for model, text in _text_fields():
            for row in model._default_manager.filter(**{f"{text}__contains": name}).values("pk"):
                found.mentions.append({"record": model._meta.label, "pk": row["pk"], "field": text})
    return found


def erase(username: str | None, name: str | None) -> dict[str, int]:
    """Anonymise the account and remove the person from history and text, all at once."""
    counts = {"accounts": 0, "history_rows": 0, "text_fields": 0}
    with transaction.atomic():
        user = _user(username)
        if user is not None:
            old = user.get_username()
            alias = f"erased-user-{user.pk}"
            for model in _history_models():
                counts["history_rows"] += model._default_manager.filter(_actor_filter(old)).update(
                    history_actor=alias
                )
            model = type(user)
            model._default_manager.filter(pk=user.pk).update(
                username=alias,
                first_name="",
                last_name="",
                email="",
                is_active=False,
                password="!erased",
            )
            counts["accounts"] = 1
        if name:
            for text_model, text in _text_fields():
                counts["text_fields"] += text_model._default_manager.filter(
                    **{f"{text}__contains": name}
                ).update(**{text: Replace(F(text), Value(name), Value(ERASED_NAME))})
    return counts
