"""The pictures a pack places, read from the files they are stored in: the programme's logo
and the illustrations its narrative refers to, attached to the meeting as papers.

A narrative refers to an illustration as a Markdown image whose target is ``paper``:
``![Qualification timeline](paper)``. The meeting's paper of that title (as the edition's
audience may see it at the cut-off), if it holds a PNG or JPEG, is placed there; until then
one line says the illustration is not held.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.files.storage import default_storage

from steerco.core import images
from steerco.core.models import Programme
from steerco.pack.document import Block, Image, Markdown, Text

# A paragraph that is only a reference to an illustration: ![its title](paper)
REFERENCE = re.compile(r"^[ \t]*!\[([^\]\n]+)\]\(paper\)[ \t]*$", re.M)


def logo(programme: Programme) -> Image | None:
    """The programme's logo, or None when it has none (or its file is gone)."""
    if not programme.logo:
        return None
    data = _read(programme.logo.name, images.LOGO_MAX_BYTES)
    if data is None:
        return None
    found = images.format_of(data, images.LOGO_MAX_BYTES)
    return Image(data, found, f"{programme.name} logo", height=40)


def narrative(body: str, papers: list[Any], meeting: str) -> list[Block]:
    """A narrative's Markdown as blocks, each reference to an illustration replaced by the
    picture (a paper of the meeting with its title) or by the line that says it is not held."""
    by_title = {str(p["title"]).strip().lower(): p for p in papers}
    blocks: list[Block] = []
    position = 0
    for match in REFERENCE.finditer(body):
        before = body[position : match.start()].strip()
        if before:
            blocks.append(Markdown(before))
        title = match.group(1).strip()
        blocks.append(_illustration(title, by_title.get(title.lower()), meeting))
        position = match.end()
    rest = body[position:].strip()
    if rest:
        blocks.append(Markdown(rest))
    return blocks


def _illustration(title: str, paper: Any, meeting: str) -> Block:
    if paper is not None:
        data = _read(str(paper["file"]), images.PICTURE_MAX_BYTES)
        try:
            found = images.format_of(data or b"", images.PICTURE_MAX_BYTES)
        except images.Refused:
            found = None
        if data is not None and found in ("png", "jpg"):
            return Image(data, found, title, caption=title)
        return Text(
            f"Illustration not placed: {title}. The paper of that title attached to {meeting} "
            f"is not a PNG or JPEG picture of at most {images.PICTURE_MAX_BYTES:,} bytes.",
            tone="note",
        )
    return Text(
        f"Illustration not held: {title}. Attach it to {meeting} as a paper titled "
        f"'{title}' (PNG or JPEG) and the pack places it here.",
        tone="note",
    )


def _read(name: str, limit: int) -> bytes | None:
    if not name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as file:
        data: bytes = file.read(limit + 1)
    return data
