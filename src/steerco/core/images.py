"""Pictures a programme supplies for its packs (its logo, an illustration attached to a
meeting as a paper): PNG, JPEG or SVG, told by what the bytes hold, never by the name.

An SVG is a document a browser would run: one with a script, an event handler, a
``<foreignObject>``, a DOCTYPE or entity (the way to an XML bomb or an external file), or a
reference to anything outside itself is refused, not cleaned, so what is stored is what
was checked. The pack shows pictures in ``<img>`` only (where no script runs) and draws them
in print with Typst, which fetches nothing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Literal

Format = Literal["png", "jpg", "svg"]

LOGO_MAX_BYTES = 256 * 1024  # a logo; a larger file is refused at the upload
PICTURE_MAX_BYTES = 2 * 1024 * 1024  # an illustration placed in a pack

CONTENT_TYPES: dict[Format, str] = {"png": "image/png", "jpg": "image/jpeg", "svg": "image/svg+xml"}

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK = "{http://www.w3.org/1999/xlink}"
_REFUSED_ELEMENTS = {"script", "foreignobject", "iframe", "embed", "object", "audio", "video"}
# A reference may only point inside the picture (#id) or hold an embedded raster image.
_SAFE_REFERENCE = re.compile(r"^\s*(#|data:image/(png|jpeg);base64,)", re.I)
_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.I)


class Refused(ValueError):
    """Why the bytes may not be a picture of the pack, in words for the uploader."""


def format_of(data: bytes, limit: int) -> Format:
    """The picture's format, or ``Refused`` saying why it may not be one."""
    if not data:
        raise Refused("The file is empty.")
    if len(data) > limit:
        raise Refused(f"The file is {len(data):,} bytes; a picture may be at most {limit:,}.")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        check_svg(data)
        return "svg"
    raise Refused("The file is not a PNG, JPEG or SVG picture.")


def check_svg(data: bytes) -> None:
    """Refuse an SVG that could run, fetch or expand anything (see the module's note)."""
    if re.search(rb"<!(doctype|entity)", data, re.I):
        raise Refused("The SVG has a DOCTYPE or an entity declaration: it is not taken.")
    if re.search(rb"<\?xml-stylesheet", data, re.I):
        raise Refused("The SVG refers to a style sheet outside itself: it is not taken.")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as error:
        raise Refused(f"The SVG is not well-formed XML ({error}).") from None
    if root.tag != f"{_SVG}svg":
        raise Refused("The file's root element is not an SVG <svg>.")
    for element in root.iter():
        name = str(element.tag).rsplit("}", 1)[-1].lower()
        if name in _REFUSED_ELEMENTS:
            raise Refused(f"The SVG has a <{name}> element: it is not taken.")
        for attribute, value in element.attrib.items():
            local = attribute.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise Refused(f"The SVG has an event handler ({local}): it is not taken.")
            if "javascript:" in re.sub(r"\s", "", value).lower():
                raise Refused("The SVG has a javascript: address: it is not taken.")
            if local == "attributename" and value.rsplit(":", 1)[-1].lower() == "href":
                raise Refused("The SVG animates a link's address: it is not taken.")
            if local == "href" and not _SAFE_REFERENCE.match(value):
                raise Refused("The SVG refers to something outside itself: it is not taken.")
            if local == "style" or name == "style":
                _check_urls(value)
        if name == "style":
            _check_urls(element.text or "")
            if "@import" in (element.text or "").lower():
                raise Refused("The SVG's style imports another file: it is not taken.")


def _check_urls(css: str) -> None:
    for target in _URL.findall(css):
        if not _SAFE_REFERENCE.match(target):
            raise Refused("The SVG's style refers to something outside itself: it is not taken.")
