"""An uploaded xlsx package checked before any reader opens it.

python-calamine allocates a sheet's cells from the largest row and column it meets, and
unpacks whatever the ZIP holds: one cell at XFD1048576 in a 2 kB file asks for 512 GiB, and
a 1 MB file can unpack to a gigabyte. So the package is read here first, entry by entry,
with its own streaming decompression (the sizes a ZIP header declares are compared with
what comes out, never trusted): its number of entries, unpacked size, sheet extents and
cell counts are held to the limits below, and XML that declares a DTD or entities (billion
laughs), formula cells, merged cells, hidden sheets and damaged or disguised packages are
refused, each with a message naming the file and why.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from steerco.env import env_int

MAX_UNPACKED_BYTES = env_int("STEERCO_IMPORT_MAX_UNPACKED_BYTES", 256 * 1024 * 1024, minimum=1024)
MAX_ENTRIES = env_int("STEERCO_IMPORT_MAX_ENTRIES", 1000, minimum=8)
MAX_ROWS = env_int("STEERCO_IMPORT_MAX_ROWS", 500_000, minimum=1)
MAX_COLUMNS = env_int("STEERCO_IMPORT_MAX_COLUMNS", 1000, minimum=1)
MAX_CELLS = env_int("STEERCO_IMPORT_MAX_CELLS", 3_000_000, minimum=1)

CHUNK = 1 << 20
MAX_TAG = 64 * 1024  # no tag of a real workbook comes near this
# A central directory record is 46 bytes and a name; 1 KiB each is generous.
DIRECTORY_BYTES_PER_ENTRY = 1024

DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
# Worksheet XML as Excel, LibreOffice and openpyxl write it has unprefixed elements, read
# with literal searches; a prefixed one ("<x:c>") is read with the patterns that allow it.
PREFIXED = re.compile(rb"<\w+:(?:c|f|row|mergeCell|dimension)[\s>/]")
PLAIN_FORMULA = re.compile(rb"<f[\s>/]")
# A cell's or a row's r attribute (and a few other attributes ending in r: stricter).
REF_ATTR = re.compile(rb"""r\s*=\s*["']\$?([A-Za-z]*)\$?([0-9]+)""")
FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
MERGED = re.compile(rb"<(?:\w+:)?mergeCell[\s>/]")
CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
DIMENSION = re.compile(rb"""<(?:\w+:)?dimension\s[^>]*?\bref\s*=\s*["']([^"']*)["']""")
REF = re.compile(rb"\$?([A-Za-z]+)\$?([0-9]+)")
SHARED_STRING = re.compile(rb"<\w+:si[\s>/]")
HIDDEN_SHEET = re.compile(
    rb'<(?:\w+:)?sheet\s[^>]*state="(?:hidden|veryHidden)"[^>]*name="([^"]*)"'
    rb'|<(?:\w+:)?sheet\s[^>]*name="([^"]*)"[^>]*state="(?:hidden|veryHidden)"'
)
RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
ATTRIBUTE = re.compile(rb"""\b(Type|Target|TargetMode)\s*=\s*["']([^"']*)["']""")


class PackageError(ValueError):
    """The package must not be read; the message says why (without the file's name)."""


@dataclass(frozen=True)
class Limits:
    unpacked_bytes: int
    entries: int
    rows: int
    columns: int
    cells: int

    @classmethod
    def configured(cls) -> Limits:
        return cls(MAX_UNPACKED_BYTES, MAX_ENTRIES, MAX_ROWS, MAX_COLUMNS, MAX_CELLS)


def inspect(path: Path, limits: Limits | None = None) -> None:
    """Refuse ``path`` (PackageError) unless it is an xlsx package within ``limits``."""
    limits = limits or Limits.configured()
    with path.open("rb") as handle:
        entries, directory = _central_directory(handle)
        if entries > limits.entries or directory > limits.entries * DIRECTORY_BYTES_PER_ENTRY:
            raise PackageError(
                f"it holds {entries:,} ZIP entries ({directory:,}-byte directory), over the "
                f"limit of {limits.entries:,} (STEERCO_IMPORT_MAX_ENTRIES)"
            )
        try:
            infos = zipfile.ZipFile(handle).infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as error:
            raise _damaged(str(error)) from None
        if len(infos) > limits.entries:
            raise PackageError(
                f"it holds {len(infos):,} ZIP entries, over the limit of {limits.entries:,} "
                "(STEERCO_IMPORT_MAX_ENTRIES)"
            )
        if "xl/workbook.xml" not in {info.filename for info in infos}:
            raise PackageError("it is a ZIP package but not an xlsx workbook")
        declared = sum(info.file_size for info in infos)
        if declared > limits.unpacked_bytes:
            raise PackageError(_too_large(f"{declared:,} bytes, as its ZIP header says", limits))
        _Package(handle, limits).check(infos)


def _damaged(why: str) -> PackageError:
    return PackageError(f"it is not a valid xlsx (ZIP) package: {why}")


def _too_large(unpacked: str, limits: Limits) -> str:
    return (
        f"it unpacks to {unpacked}, over the limit of {limits.unpacked_bytes:,} bytes "
        "(STEERCO_IMPORT_MAX_UNPACKED_BYTES)"
    )


def _central_directory(handle: BinaryIO) -> tuple[int, int]:
    """(entries, directory size) as the end of the ZIP says, read before zipfile builds an
    object per entry: a directory of a million tiny entries would cost gigabytes."""
    damaged = _damaged("truncated or damaged, it has no end of directory")
    size = handle.seek(0, 2)
    start = max(0, size - (22 + 0xFFFF + 20))
    handle.seek(start)
    tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise damaged
    entries, directory = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries != 0xFFFF and directory != 0xFFFFFFFF:
        return int(entries), int(directory)
    locator = tail[at - 20 : at] if at >= 20 else b""
    if locator[:4] != b"PK\x06\x07":
        raise damaged
    (offset,) = struct.unpack("<Q", locator[8:16])
    handle.seek(offset)
    record = handle.read(56)
    if record[:4] != b"PK\x06\x06" or len(record) < 56:
        raise damaged
    entries, directory = struct.unpack("<QQ", record[32:48])
    return int(entries), int(directory)


@dataclass
class _Sheet:
    """What a worksheet asks a reader to hold, counted as its XML streams past."""

    label: str
    limits: Limits
    cells: int = 0
    rows: int = 0
    max_row: int = 0
    max_column: int = 0
    columns_seen: set[bytes] = field(default_factory=set)

    def feed(self, piece: bytes) -> None:
        if PREFIXED.search(piece):
            formula, merged = FORMULA.search(piece), MERGED.search(piece)
            self.cells += len(CELL.findall(piece))
            self.rows += len(ROW.findall(piece))
        else:  # the same, faster; "<c" and "<row" also count a few other tags: stricter
            formula = PLAIN_FORMULA.search(piece) if b"<f" in piece else None
            merged = MERGED.search(piece) if b"<mergeCell" in piece else None
            self.cells += piece.count(b"<c")
            self.rows += piece.count(b"<row")
        if formula:
            raise PackageError(f"worksheet {self.label} holds formula cells: paste them as values")
        if merged:
            raise PackageError(f"worksheet {self.label} has merged cells: unmerge them first")
        refs = REF_ATTR.findall(piece)
        if b"dimension" in piece:
            for found in DIMENSION.findall(piece):
                refs.extend(REF.findall(found))
        if refs:
            letters, numbers = zip(*refs, strict=True)
            self.max_row = max(self.max_row, max(map(int, set(numbers))))
            for column in set(letters) - self.columns_seen:
                self.columns_seen.add(column)
                self.max_column = max(self.max_column, _column(column))
        self._check()

    def _check(self) -> None:
        limits, label = self.limits, self.label
        rows = max(self.max_row, self.rows)
        if rows > limits.rows:
            raise PackageError(
                f"worksheet {label} reaches row {rows:,}, over the limit of {limits.rows:,} rows "
                "(STEERCO_IMPORT_MAX_ROWS)"
            )
        if self.max_column > limits.columns:
            raise PackageError(
                f"worksheet {label} reaches column {self.max_column:,}, over the limit of "
                f"{limits.columns:,} columns (STEERCO_IMPORT_MAX_COLUMNS)"
            )
        area = rows * self.max_column
        if max(area, self.cells) > limits.cells:
            raise PackageError(
                f"worksheet {label} spans {rows:,} rows × {self.max_column:,} columns with "
                f"{self.cells:,} cells, over the limit of {limits.cells:,} cells "
                "(STEERCO_IMPORT_MAX_CELLS)"
            )


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters.upper()[
        :8
    ]:  # b"" (a row's reference) is column 0  # eight letters are already far past any limit
        number = number * 26 + letter - 64
    return number


class _Package:
    def __init__(self, handle: BinaryIO, limits: Limits) -> None:
        self.handle, self.limits = handle, limits
        self.unpacked = 0
        self.shared_strings = 0
        self.hidden: list[bytes] = []
        self.relationships: list[dict[bytes, bytes]] = []

    def check(self, infos: list[zipfile.ZipInfo]) -> None:
        for info in infos:
            self._entry(info)
        if self.hidden:
            names = ", ".join(h.decode("utf-8", "replace") for h in self.hidden)
            raise PackageError(f"it has hidden sheets ({names}): unhide or remove them")
        if self.shared_strings > self.limits.cells:
            raise PackageError(
                f"it holds {self.shared_strings:,} shared strings, over the limit of "
                f"{self.limits.cells:,} cells (STEERCO_IMPORT_MAX_CELLS)"
            )
        for relationship in self.relationships:
            _check_relationship(relationship)

    def _entry(self, info: zipfile.ZipInfo) -> None:
        name = info.filename
        is_xml = name.endswith((".xml", ".rels"))
        sheet = (
            _Sheet(PurePosixPath(name).name, self.limits)
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
            else None
        )
        carry = b""
        first = True
        for block in _unpacked(self.handle, info):
            self.unpacked += len(block)
            if self.unpacked > self.limits.unpacked_bytes:
                raise PackageError(_too_large(f"more than {self.unpacked:,} bytes", self.limits))
            if not is_xml:
                continue
            if first and (block[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in block[:4096]):
                raise PackageError(f"{name} is not UTF-8 XML")
            first = False
            piece, carry = _whole_tags(carry + block)
            self._scan(name, sheet, piece)
        if carry:
            self._scan(name, sheet, carry)

    def _scan(self, name: str, sheet: _Sheet | None, piece: bytes) -> None:
        if DTD.search(piece):
            raise PackageError(f"{name} declares a DTD or entities, which are refused")
        if sheet is not None:
            sheet.feed(piece)
        elif name == "xl/sharedStrings.xml":
            self.shared_strings += piece.count(b"<si") + len(SHARED_STRING.findall(piece))
        elif name == "xl/workbook.xml":
            self.hidden.extend(a or b for a, b in HIDDEN_SHEET.findall(piece))
        elif name == "xl/_rels/workbook.xml.rels":
            for tag in RELATIONSHIP.findall(piece):
                self.relationships.append(dict(ATTRIBUTE.findall(tag)))


def _whole_tags(buffer: bytes) -> tuple[bytes, bytes]:
    """(what can be scanned now, the unfinished tag to carry into the next block): no tag
    is ever split between two scans."""
    opened, closed = buffer.rfind(b"<"), buffer.rfind(b">")
    if opened <= closed:
        return buffer, b""
    if len(buffer) - opened > MAX_TAG:
        raise PackageError(f"it holds an XML tag longer than {MAX_TAG:,} bytes")
    return buffer[:opened], buffer[opened:]


def _check_relationship(relationship: dict[bytes, bytes]) -> None:
    """Sheets where the checks above looked for them: a reader finds a workbook's parts by
    these targets, so a worksheet elsewhere would be read unchecked."""
    if relationship.get(b"TargetMode") == b"External":
        return
    kind = relationship.get(b"Type", b"").rsplit(b"/", 1)[-1]
    target = relationship.get(b"Target", b"").decode("utf-8", "replace")
    resolved = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    if kind == b"worksheet" and not (
        resolved.startswith("xl/worksheets/") and resolved.endswith(".xml") and ".." not in target
    ):
        raise PackageError(f"a worksheet lies outside xl/worksheets/ ({target})")
    if kind == b"sharedStrings" and resolved != "xl/sharedStrings.xml":
        raise PackageError(f"its shared strings lie outside xl/sharedStrings.xml ({target})")


def _unpacked(handle: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The entry's bytes as its compressed data gives them, in blocks of at most CHUNK, with
    its declared size and CRC checked at the end."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise PackageError(f"{name} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise PackageError(f"{name} uses compression method {info.compress_type}, not xlsx's")
    handle.seek(info.header_offset)
    header = handle.read(30)
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise _damaged(f"{name} has no local header")
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    handle.seek(info.header_offset + 30 + name_length + extra_length)
    inflate = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type else None
    left, pending, size, crc = info.compress_size, b"", 0, 0
    try:
        while True:
            if not pending and left > 0:
                pending = handle.read(min(CHUNK, left))
                if not pending:
                    raise _damaged(f"{name} is cut short (truncated)")
                left -= len(pending)
            if inflate is None:
                block, pending = pending, b""
            else:  # at most CHUNK bytes out per call, whatever the input expands to
                block = inflate.decompress(pending, CHUNK)
                pending = inflate.unconsumed_tail
            if block:
                size, crc = size + len(block), zlib.crc32(block, crc)
                yield block
            if (inflate is not None and inflate.eof) or not (block or pending or left):
                break
    except zlib.error as error:
        raise _damaged(f"{name}: {error}") from None
    if inflate is not None and not inflate.eof:
        raise _damaged(f"{name} is cut short (truncated)")
    if size != info.file_size or crc != info.CRC:
        raise _damaged(
            f"{name} unpacks to {size:,} bytes with CRC {crc:08x}, but its header says "
            f"{info.file_size:,} bytes, CRC {info.CRC:08x}"
        )
