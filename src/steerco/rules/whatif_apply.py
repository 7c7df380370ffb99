"""Applying a what-if proposal (`steerco.rules.whatif`): every move written in one
transaction, each in its record's history with the what-if as its reason — unless the
schedule changed since the proposal was shown (its version), when nothing is written.

Discarding a proposal writes nothing: a proposal is never stored.
"""

from __future__ import annotations

import hashlib

from django.db import models, transaction

from steerco.core.models import Programme
from steerco.milestones.models import Gate, Milestone, Timetable, TimetableActivity, TimetableCell
from steerco.records.editing import versions_of
from steerco.rules.whatif import CELL, MILESTONE, Move, Proposal

# The records a proposal is computed from, each with its children (predecessors, intervals
# and activities' rules, cells, criteria), and how each is narrowed to one programme.
SCHEDULE: tuple[tuple[type[models.Model], str], ...] = (
    (Milestone, "programme"),
    (Gate, "programme"),
    (Timetable, "programme"),
    (TimetableActivity, "timetable__programme"),
)


class StaleProposal(Exception):
    """The schedule changed after the proposal was computed."""


def schedule_version(programme: Programme) -> str:
    """A token of the schedule's state: it changes whenever a milestone, a gate, a timetable
    or any of their children is saved, created or deleted."""
    parts = []
    for model, owner in SCHEDULE:
        ids = model._default_manager.filter(**{owner: programme}).values_list("pk", flat=True)
        for pk, version in sorted(versions_of(model, ids).items()):
            parts.append(f"{model.__name__}:{pk}:{version}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def reason_for(proposal: Proposal, move: Move, reason: str) -> str:
    said = f"what-if: {proposal.code} to {proposal.new:%a %d %b %Y} — {reason}"
    return said if move.rule == "chosen" else f"{said} (moved by the rule {move.rule})"


def apply(programme: Programme, proposal: Proposal, reason: str, version: str) -> int:
    """Write the proposal's moves; StaleProposal (nothing written) when the schedule is no
    longer at ``version``. The number of records written."""
    written = 0
    with transaction.atomic():
        # Lock the programme's milestones (PostgreSQL; SQLite has one writer) so the
        # version read below stays true until the moves are written.
        list(Milestone.objects.select_for_update().filter(programme=programme).values("pk"))
        if schedule_version(programme) != version:
            raise StaleProposal
        for move in proposal.moves:
            for record in _records(programme, move):
                record._change_reason = reason_for(proposal, move, reason)  # type: ignore[union-attr]
                if isinstance(record, TimetableCell):
                    record.date = move.new
                    record.stated = f"{move.new:%-d %b %y}"  # what the pack prints from now on
                else:
                    record.forecast_date = move.new
                record.save()
                written += 1
    return written


def _records(programme: Programme, move: Move) -> list[Milestone] | list[TimetableCell]:
    kind, *key = move.node
    if kind == MILESTONE:
        return list(Milestone.objects.filter(programme=programme, code=key[0]))
    assert kind == CELL
    timetable, activity, interval = key
    return list(
        TimetableCell.objects.filter(
            activity__timetable__programme=programme,
            activity__timetable__code=timetable,
            activity__key=activity,
            interval__order=interval,
        )
    )
