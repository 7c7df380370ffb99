"""Which files a meeting paper may be, told by what they hold, not what they are called.

A paper is only ever downloaded as an attachment with the type its kind gives (and
``nosniff``), never shown inline, so a file cannot run in steerco's origin; still, a file
whose bytes are not what its name says (an HTML page named .pdf, an executable named .docx)
is refused at the upload, and kinds a browser would run (HTML, SVG, scripts) are not taken
at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO


@dataclass(frozen=True)
class Kind:
    content_type: str
    looks_right: Callable[[bytes], bool]


def _starts(*magic: bytes) -> Callable[[bytes], bool]:
    return lambda head: head.startswith(magic)


def _text(head: bytes) -> bool:
    """Plain text: UTF-8 with no NUL and nothing a browser would take for markup."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # a character cut at the end of the sample is fine
            return False
        text = head[: error.start].decode("utf-8")
    lowered = text.lstrip().lower()
    return "\x00" not in text and not lowered.startswith(("<!doctype", "<html", "<svg", "<?xml"))


_ZIP = _starts(b"PK\x03\x04")  # the OOXML formats are ZIP packages
KINDS: dict[str, Kind] = {
    ".pdf": Kind("application/pdf", _starts(b"%PDF-")),
    ".docx": Kind("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": Kind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP
    ),
    ".png": Kind("image/png", _starts(b"\x89PNG\r\n\x1a\n")),
    ".jpg": Kind("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".jpeg": Kind("image/jpeg", _starts(b"\xff\xd8\xff")),
    ".txt": Kind("text/plain; charset=utf-8", _text),
    ".md": Kind("text/markdown; charset=utf-8", _text),
    ".csv": Kind("text/csv; charset=utf-8", _text),
}
SNIFF = 4096


def kind_of(name: str) -> Kind | None:
    return KINDS.get(PurePosixPath(name).suffix.lower())


def refusal(name: str, stream: IO[bytes]) -> str | None:
    """Why a file may not be a paper, or None: its kind by name, then its first bytes."""
    kind = kind_of(name)
    if kind is None:
        allowed = ", ".join(sorted(KINDS))
        return f"{name}: a paper must be one of {allowed}."
    stream.seek(0)
    head = stream.read(SNIFF)
    stream.seek(0)
    if not head:
        return f"{name} is empty."
    if not kind.looks_right(head):
        return f"{name} does not hold what its name says: it is not a {kind_label(name)} file."
    return None


def kind_label(name: str) -> str:
    return PurePosixPath(name).suffix.lower().lstrip(".").upper()


def content_type(name: str) -> str:
    kind = kind_of(name)
    return kind.content_type if kind else "application/octet-stream"
