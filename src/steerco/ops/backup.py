"""Backup and restore: every table of steerco, registers and their full history, in one
consistent read, to one gzip-compressed JSON file — the same on SQLite and PostgreSQL.

The backup reads inside one transaction (REPEATABLE READ on PostgreSQL; SQLite's read
transaction is a snapshot), so it is consistent while the application keeps writing.
Restore needs an empty, migrated database and writes all or nothing.

The files the database names (meeting papers and programme logos, under MEDIA_ROOT) follow
the rows, one line each, base64: a backup is the whole of steerco's state, and a restore puts
them back where the rows expect them.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import connection, models, transaction

from steerco.core.models import Paper, Programme

FORMAT = "steerco-backup/2"
READS = (FORMAT, "steerco-backup/1")  # a backup made before papers had no files
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
            counts["files"] = _write_files(out)
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
    if not lines or json.loads(lines[0]).get("format") not in READS:
        raise BackupError(f"{path} is not a {FORMAT} file")
    written: list[Path] = []
    try:
        with transaction.atomic():
            _restore_rows(lines[1:], counts, written, progress)
    except BaseException:
        for done in written:  # all or nothing: the files too
            done.unlink(missing_ok=True)
        raise
    return counts


def _restore_rows(
    lines: list[str], counts: dict[str, int], written: list[Path], progress: Progress | None
) -> None:
    for line in lines:
        block: dict[str, Any] = json.loads(line)
        if "file" in block:
            new = _restore_file(block["file"], block["data"])
            if new is not None:
                written.append(new)
            counts["files"] = counts.get("files", 0) + 1
            continue
        rows = block["rows"]
        objects = serializers.deserialize("json", json.dumps(rows))
        for obj in objects:
            obj.save()
        counts[block["model"]] = len(rows)
        if progress:
            progress(block["model"], len(rows))
    _reset_sequences()


def _file_names() -> list[str]:
    """The files the database names: every paper's and logo's, live or in history."""
    names: set[str] = set()
    for model, field in ((Paper, "file"), (Programme, "logo")):
        for each in (model, model.history.model):
            names.update(each._default_manager.values_list(field, flat=True))
    return sorted(name for name in names if name)


def _write_files(out: Any) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    for name in _file_names():
        source = _inside(root, name)
        if source is None or not source.is_file():
            continue  # named but gone: nothing to keep (the download answers 404 already)
        data = base64.b64encode(source.read_bytes()).decode("ascii")
        out.write(json.dumps({"file": name, "data": data}) + "\n")
        count += 1
    return count


def _restore_file(name: str, data: str) -> Path | None:
    """Write one file back; returns its path when it was not there before (to remove again
    if the restore fails)."""
    target = _inside(Path(settings.MEDIA_ROOT), name)
    if target is None:
        raise BackupError(f"a file in the backup names a place outside MEDIA_ROOT: {name!r}")
    existed = target.exists()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(data, validate=True))
    return None if existed else target


def _inside(root: Path, name: str) -> Path | None:
    """``root / name`` when it stays inside ``root`` (a hostile backup cannot write around
    it), else None."""
    path = (root / name).resolve()
    return path if path.is_relative_to(root.resolve()) and path != root.resolve() else None


def _reset_sequences() -> None:
    """Point PostgreSQL's id sequences past the restored rows (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
