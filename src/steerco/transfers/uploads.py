"""Uploaded spreadsheets between the preview and the commit: in a temporary directory,
never in the database, each under a random name, swept after a while.

The confirm form carries a signed ticket naming the upload, the person and the plan they
saw, so a commit applies only what that person previewed. With several application servers,
point ``STEERCO_UPLOAD_DIR`` at a directory they share.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.core import signing
from django.core.files.uploadedfile import UploadedFile

from steerco.env import env_str

ROOT = Path(env_str("STEERCO_UPLOAD_DIR", str(Path(tempfile.gettempdir()) / "steerco-uploads")))
KEEP = dt.timedelta(hours=2)
SALT = "steerco.transfers.import"
_ID = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Ticket:
    """What a confirm form carries: which upload, whose, into what, and the plan shown."""

    upload: str
    user_id: int
    programme: str
    register: str
    mapping_id: int | None
    fingerprint: str

    def sign(self) -> str:
        return signing.dumps(self.__dict__, salt=SALT, compress=True)

    @classmethod
    def read(cls, signed: str) -> Ticket | None:
        try:
            data = signing.loads(signed, salt=SALT, max_age=KEEP)
            return cls(**data)
        except (signing.BadSignature, TypeError):
            return None


def keep(upload: UploadedFile) -> tuple[str, Path]:
    """Store an upload under its own name in a fresh directory; returns (id, path)."""
    sweep()
    upload_id = secrets.token_hex(16)
    folder = ROOT / upload_id
    folder.mkdir(parents=True, mode=0o700)
    path = folder / safe_name(upload.name or "")
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    return upload_id, path


def path_of(upload_id: str) -> Path | None:
    if not _ID.match(upload_id):
        return None
    folder = ROOT / upload_id
    files = sorted(folder.iterdir()) if folder.is_dir() else []
    return files[0] if files else None


def discard(upload_id: str) -> None:
    if _ID.match(upload_id):
        shutil.rmtree(ROOT / upload_id, ignore_errors=True)


def sweep() -> None:
    """Remove uploads older than KEEP (abandoned previews)."""
    if not ROOT.is_dir():
        return
    cutoff = time.time() - KEEP.total_seconds()
    for folder in ROOT.iterdir():
        if _ID.match(folder.name) and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def safe_name(name: str) -> str:
    """The file's own name (the importer reports it and reads its extension), made safe."""
    base = Path(name.replace("\\", "/")).name
    cleaned = re.sub(r"[^\w.\- ]", "_", base).strip(" .")[:120]
    return cleaned or "upload"
