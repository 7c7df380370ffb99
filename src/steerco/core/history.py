"""History of every register: who changed what, when and why, whatever path made the change.

django-simple-history writes a snapshot row for each save and delete at the model layer.
This module adds the actor (a person, or the command that acted) and a reason to each row,
taken from a context that the web middleware, the loader, the CLI and the API set, so a
write made outside a web request is still attributed; and it skips the row of a save that
changes nothing, whichever path saved (web form, API, portal, import, loader).
"""

from __future__ import annotations

import contextvars
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


@dataclass(frozen=True)
class Acting:
    actor: str
    reason: str
    at: datetime | None = None


_acting: contextvars.ContextVar[Acting | None] = contextvars.ContextVar("acting", default=None)


@contextmanager
def acting(actor: str, reason: str, at: datetime | None = None) -> Iterator[Acting]:
    """Attribute every history row written inside the block to ``actor`` with ``reason``.

    ``at`` backdates the rows (used by the loader to place stated earlier values at the
    cut-off of the meeting they belong to).
    """
    context = Acting(actor=actor, reason=reason, at=at)
    token = _acting.set(context)
    try:
        yield context
    finally:
        _acting.reset(token)


def current_acting() -> Acting | None:
    return _acting.get()


def command_actor(command: str) -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"{user} via steerco {command}"


class HistoryActor(models.Model):
    """Fields added to every historical table beside simple-history's own."""

    history_actor = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        abstract = True


def same_values(fields: list[Any], one: models.Model, other: models.Model) -> bool:
    """Whether ``one`` and ``other`` hold the same value in each of ``fields`` (compared as
    the field reads them, so "12" and 12, or a date and its ISO text, are the same)."""
    for field in fields:
        try:
            a = field.to_python(getattr(one, field.attname))
            b = field.to_python(getattr(other, field.attname))
        except ValidationError:
            return False
        if a != b:
            return False
    return True


class ChangedOnlyHistory(HistoricalRecords):
    """simple-history's descriptor, less the row for a save that changes no tracked field.

    simple-history writes a row on every save; an unchanged form posted, a PATCH with the
    current values or a portal page saved as it was would each add an empty "changed —" row
    to what changed. A save is compared with the record's newest history row (one indexed
    query, only for saves of existing records); creations and deletions always write."""

    def post_save(self, instance: Any, created: bool, using: Any = None, **kwargs: Any) -> None:
        if not created and not kwargs.get("raw", False) and self._unchanged(instance, using):
            return
        super().post_save(instance, created, using=using, **kwargs)

    def _unchanged(self, instance: Any, using: Any) -> bool:
        rows = getattr(instance, self.manager_name)
        if using:
            rows = rows.using(using)
        newest = rows.order_by("-history_id").first()
        if newest is None or newest.history_type == "-":
            return False
        return same_values(self.fields_included(instance), instance, newest)


def history() -> Any:
    """The history descriptor every register model uses."""
    return ChangedOnlyHistory(bases=[HistoryActor], inherit=True, cascade_delete_history=False)


@receiver(pre_create_historical_record)
def _attribute(sender: Any, instance: Any, history_instance: Any, **kwargs: Any) -> None:
    context = _acting.get()
    user = getattr(history_instance, "history_user", None)
    if context is not None:
        history_instance.history_actor = context.actor
        if not history_instance.history_change_reason:
            history_instance.history_change_reason = context.reason
        if context.at is not None and getattr(instance, "_history_date", None) is None:
            history_instance.history_date = context.at
        return
    request = getattr(HistoricalRecords.context, "request", None)
    if user is not None:
        history_instance.history_actor = user.get_username()
    if request is not None and not history_instance.history_change_reason:
        history_instance.history_change_reason = f"web: {request.method} {request.path}"
