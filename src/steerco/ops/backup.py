"""Backup and restore: every table of steerco, registers and their full history, in one
consistent read, to one gzip-compressed JSON file — the same on SQLite and PostgreSQL.

The backup reads inside one transaction (REPEATABLE READ on PostgreSQL; SQLite's read
transaction is a snapshot), so it is consistent while the application keeps writing.
Restore needs an empty, migrated database and writes all or nothing.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import connection, models, transaction

FORMAT = "steerco-backup/1"
# Recreated by `migrate`, and keyed differently in every database: not backed up.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}

Progress = Callable[[str, int], None]


class BackupError(ValueError):
    pass


def _models() -> list[type[models.Model]]:
    chosen = [
        m
        for m in apps.get_models()
        if m._meta.label_lower not in SKIPPED and not m._meta.proxy and m._meta.managed
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def backup(path: Path, progress: Progress | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        tmp = path.with_suffix(path.suffix + ".partial")
        with gzip.open(tmp, "wt", encoding="utf-8") as out:
            out.write(json.dumps({"format": FORMAT}) + "\n")
            for model in _models():
                label = model._meta.label_lower
                objects = model._default_manager.order_by("pk").iterator(chunk_size=2000)
                buffer = io.StringIO()
                serializers.serialize("json", objects, stream=buffer)
                rows = json.loads(buffer.getvalue())
                out.write(json.dumps({"model": label, "rows": rows}) + "\n")
                counts[label] = len(rows)
                if progress:
                    progress(label, len(rows))
        tmp.replace(path)  # a finished file or none: never a half-written backup
    return counts


def restore(path: Path, progress: Progress | None = None) -> dict[str, int]:
    if not path.exists():
        raise BackupError(f"{path} does not exist")
    occupied = [
        m._meta.label
        for m in _models()
        if m._meta.label_lower.split(".")[0] not in ("auth",) and m._default_manager.exists()
    ]
    if occupied:
        raise BackupError(
            f"the database is not empty ({', '.join(occupied[:4])}…): restore needs an empty, "
            "migrated database"
        )
    counts: dict[str, int] = {}
    try:
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            lines = stream.read().splitlines()
    except (OSError, EOFError) as error:
        raise BackupError(f"{path} is not a steerco backup: {error}") from None
    if not lines or json.loads(lines[0]).get("format") != FORMAT:
        raise BackupError(f"{path} is not a {FORMAT} file")
    with transaction.atomic():
        for line in lines[1:]:
            block: dict[str, Any] = json.loads(line)
            rows = block["rows"]
            objects = serializers.deserialize("json", json.dumps(rows))
            for obj in objects:
                obj.save()
            counts[block["model"]] = len(rows)
            if progress:
                progress(block["model"], len(rows))
        _reset_sequences()
    return counts


def _reset_sequences() -> None:
    """Point PostgreSQL's id sequences past the restored rows (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
