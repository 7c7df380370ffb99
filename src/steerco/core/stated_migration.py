"""The data step of the migrations that gave stated values their meeting (``stated_for``):
records stated before then are stated for the meeting whose pack they went into."""

from __future__ import annotations

import bisect
import datetime as dt
from typing import Any


def backfill(apps: Any, app_label: str, stated: dict[str, tuple[str, ...]]) -> None:
    """Give each history row holding a stated value the first meeting whose cut-off is at or
    after it (else the meeting being prepared), and each record its latest row's meeting.
    ``stated``: model name → its stated fields."""
    meeting = apps.get_model("core", "Meeting")
    cutoffs: dict[int, list[tuple[dt.datetime, int]]] = {}
    preparing: dict[int, int] = {}
    for m in meeting.objects.order_by("date", "code"):
        if m.cutoff is not None:
            cutoffs.setdefault(m.programme_id, []).append((m.cutoff, m.pk))
        elif m.kind == "regular":
            preparing.setdefault(m.programme_id, m.pk)
    for found in cutoffs.values():
        found.sort()
    for name, fields in stated.items():
        model = apps.get_model(app_label, name)
        history = apps.get_model(app_label, f"Historical{name}")
        latest: dict[int, int | None] = {}
        changed = []
        for row in history.objects.order_by("history_date", "history_id"):
            if any(getattr(row, f) not in (None, "") for f in fields):
                times = cutoffs.get(row.programme_id, [])
                at = bisect.bisect_left(times, (row.history_date, 0))
                row.stated_for_id = (
                    times[at][1] if at < len(times) else preparing.get(row.programme_id)
                )
                changed.append(row)
            latest[row.id] = row.stated_for_id
        history.objects.bulk_update(changed, ["stated_for"], batch_size=500)
        records = list(model.objects.all())
        for record in records:
            record.stated_for_id = latest.get(record.pk)
        model.objects.bulk_update(records, ["stated_for"], batch_size=500)
