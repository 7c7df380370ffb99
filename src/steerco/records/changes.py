"""What changed across every register between two instants (two meetings' cut-offs, or a
cut-off and now), from the history tables, each row decided by the audience-aware reader as
the record and its parents stood when it was written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from steerco.accounts.access import Principal, shape_of
from steerco.accounts.reader import full_access, in_scope, visible_history
from steerco.core.models import Meeting, Programme
from steerco.records.history import Entry, entries, rows_before
from steerco.registers import walk


@dataclass(frozen=True)
class Window:
    since: Meeting | None
    until: Meeting | None  # None: now

    @property
    def start(self) -> dt.datetime | None:
        return self.since.cutoff if self.since else None

    @property
    def end(self) -> dt.datetime | None:
        return self.until.cutoff if self.until else None


def default_window(meetings: list[Meeting], now: dt.datetime) -> Window:
    """Since the last meeting held (the latest cut-off already passed) until now."""
    held = [m for m in meetings if m.cutoff is not None and m.cutoff <= now]
    return Window(held[-1] if held else None, None)


@dataclass(frozen=True)
class Changes:
    counts: list[tuple[str, int]]
    total: int
    entries: list[Entry]
    page: int
    pages: int


def _in_window(window: Window) -> Q:
    condition = Q()
    if window.start is not None:
        condition &= Q(history_date__gt=window.start)
    if window.end is not None:
        condition &= Q(history_date__lte=window.end)
    return condition


def what_changed(
    programme: Programme,
    who: Principal,
    window: Window,
    *,
    page: int = 1,
    per_page: int = 50,
    register: str = "",
) -> Changes:
    """Changes in the window, newest first: per-register counts and one page of entries
    (a bounded number of queries per model, whatever the number of changes)."""
    per_model: list[tuple[str, Any, Any]] = []
    counts: dict[str, int] = {}
    for name, model in walk():
        history: Any = model.history  # type: ignore[attr-defined]
        path = shape_of(model).programme
        scoped = history.filter(**{f"{path}_id": programme.pk}) if path else history.none()
        rows = scoped.filter(_in_window(window)).order_by("-history_date", "-history_id")
        if not (full_access(who) and in_scope(programme, who)):
            # Each row as it stood when written: a live-parent join would show a report's
            # drafts once it is published.
            rows = visible_history(model, list(rows), who)
        count = rows.count() if isinstance(rows, QuerySet) else len(rows)
        counts[name] = counts.get(name, 0) + count
        if count and (not register or register == name):
            per_model.append((name, model, rows))
    total = sum(c for n, c in counts.items() if not register or n == register)
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    wanted = page * per_page
    candidates: list[tuple[Any, ...]] = []
    for name, model, rows in per_model:
        newest = list(rows[:wanted])
        candidates.extend((row.history_date, row.history_id, name, model, row) for row in newest)
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    chosen = candidates[(page - 1) * per_page : wanted]
    out: list[Entry] = []
    # The programme's calendar, once for every model (a date's slip in working days).
    calendars = {programme.pk: programme.working_calendar()}
    for name, model, _ in per_model:
        rows_here = [c[4] for c in chosen if c[3] is model and c[2] == name]
        if rows_here:
            previous = rows_before(model, rows_here)
            out.extend(entries(name, model, rows_here, previous, who, calendars))
    out.sort(key=lambda e: e.at, reverse=True)
    listed = [(n, c) for n, c in counts.items() if c]
    return Changes(listed, total, out, page, pages)
