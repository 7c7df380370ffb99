"""History of every register: who changed what, when and why, whatever path made the change.

django-simple-history writes a snapshot row for each save and delete at the model layer.
This module adds the actor (a person, or the command that acted) and a reason to each row,
taken from a context that the web middleware, the loader, the CLI and the API set, so a
write made outside a web request is still attributed.
"""

from __future__ import annotations

import contextvars
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

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


def history() -> Any:
    """The history descriptor every register model uses."""
    return HistoricalRecords(bases=[HistoryActor], inherit=True, cascade_delete_history=False)


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
