"""A corpus of hostile uploads, generated in code (no binary file is kept in the repository):
each file's name, its bytes written into a directory, and what its refusal must say."""

from __future__ import annotations

import shutil
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    b'+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    b'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="items" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
SHEET_TARGET = b"worksheets/sheet1.xml"


def workbook_rels(target: bytes = SHEET_TARGET) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/worksheet" Target="' + target + b'"/></Relationships>'
    )


def cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


HEADER_ROW = b'<row r="1">' + cell("A1", "ref") + cell("B1", "description") + b"</row>"
ROW_2 = b'<row r="2">' + cell("A2", "R900") + cell("B2", "A risk") + b"</row>"


def sheet(rows: bytes, *, dimension: bytes = b"A1:B2", prolog: bytes = b"") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>' + prolog + b"<worksheet "
        b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="' + dimension + b'"/><sheetData>' + rows + b"</sheetData></worksheet>"
    )


def write_xlsx(
    path: Path,
    sheet_xml: bytes,
    *,
    rels: bytes | None = None,
    sheet_name: str = "xl/worksheets/sheet1.xml",
) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/workbook.xml", WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", rels or workbook_rels())
        package.writestr(sheet_name, sheet_xml)
    return path


def huge_dimensions(path: Path) -> Path:
    return write_xlsx(path, sheet(HEADER_ROW + ROW_2, dimension=b"A1:XFD1048576"))


def far_cell(path: Path) -> Path:
    """One cell at the last row and column a workbook can have: about 1.5 kB."""
    far = b'<row r="1048576">' + cell("XFD1048576", "x") + b"</row>"
    return write_xlsx(path, sheet(HEADER_ROW + ROW_2 + far))


BOMB_BYTES = 900 * 1024 * 1024


def zip_bomb(path: Path) -> Path:
    """About 0.9 MB unpacking to 900 MiB of blanks inside the sheet's data, written as a
    stream (the test never holds it in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("_rels/.rels", ROOT_RELS)
        package.writestr("xl/workbook.xml", WORKBOOK)
        package.writestr("xl/_rels/workbook.xml.rels", workbook_rels())
        head, tail = sheet(HEADER_ROW + b"\x00").split(b"\x00")
        with package.open("xl/worksheets/sheet1.xml", "w") as stream:
            stream.write(head)
            blanks = b" " * (1 << 20)
            for _ in range(BOMB_BYTES // len(blanks)):
                stream.write(blanks)
            stream.write(ROW_2 + tail)
    return path


def lying_zip_bomb(path: Path) -> Path:
    """The zip bomb (built first, beside it) with headers that say its sheet unpacks to
    1,000 bytes."""
    shutil.copyfile(path.with_name("zip-bomb.xlsx"), path)
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    with path.open("r+b") as handle:
        handle.seek(info.header_offset + 22)  # local header: uncompressed size
        handle.write(struct.pack("<I", 1000))
        data = path.read_bytes()
        name = info.filename.encode()
        at = data.find(b"PK\x01\x02", info.header_offset)
        while at >= 0 and data[at + 46 : at + 46 + len(name)] != name:
            at = data.find(b"PK\x01\x02", at + 4)
        handle.seek(at + 24)  # central directory: uncompressed size
        handle.write(struct.pack("<I", 1000))
    return path


def billion_laughs(path: Path) -> Path:
    entities = b'<!ENTITY lol0 "lol">' + b"".join(
        b'<!ENTITY lol%d "%s">' % (n, b"".join(b"&lol%d;" % (n - 1) for _ in range(10)))
        for n in range(1, 10)
    )
    rows = b'<row r="1">' + cell("A1", "ref") + cell("B1", "&lol9;") + b"</row>" + ROW_2
    return write_xlsx(path, sheet(rows, prolog=b"<!DOCTYPE worksheet [" + entities + b"]>"))


def formula(path: Path) -> Path:
    total = b'<row r="3"><c r="A3"><f>HYPERLINK("http://x","y")</f><v>y</v></c></row>'
    return write_xlsx(path, sheet(HEADER_ROW + ROW_2 + total))


def old_xls_named_xlsx(path: Path) -> Path:
    """A file lying about its type: an Excel 97 (OLE2) file under an .xlsx name."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    return path


def document_named_xlsx(path: Path) -> Path:
    """A file lying about its type: a ZIP package that is a Word document."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", CONTENT_TYPES)
        package.writestr("word/document.xml", b"<document/>")
    return path


def truncated(path: Path) -> Path:
    write_xlsx(path, sheet(HEADER_ROW + ROW_2))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    return path


def corrupt(path: Path) -> Path:
    """A whole package whose sheet's compressed bytes are damaged in the middle."""
    write_xlsx(path, sheet(HEADER_ROW + ROW_2 * 50))
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("xl/worksheets/sheet1.xml")
    with path.open("r+b") as handle:
        handle.seek(info.header_offset + 30 + len(info.filename) + info.compress_size // 2)
        handle.write(b"\xff" * 8)
    return path


def many_entries(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("xl/workbook.xml", WORKBOOK)
        for n in range(2000):
            package.writestr(f"xl/media/{n}.txt", b"")
    return path


def sheet_outside_worksheets(path: Path) -> Path:
    """A worksheet the workbook finds under another folder, where checks might not look."""
    far = b'<row r="1048576">' + cell("XFD1048576", "x") + b"</row>"
    return write_xlsx(
        path,
        sheet(HEADER_ROW + ROW_2 + far),
        rels=workbook_rels(b"media/sheet1.xml"),
        sheet_name="xl/media/sheet1.xml",
    )


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Callable[[Path], Path]
    refusal: str  # what the message must say, after the file's name


CORPUS = [
    Hostile("huge-dimensions.xlsx", huge_dimensions, "reaches row 1,048,576"),
    Hostile("far-cell.xlsx", far_cell, "reaches row 1,048,576"),
    Hostile("zip-bomb.xlsx", zip_bomb, "as its ZIP header says, over the limit of"),
    Hostile("lying-zip-bomb.xlsx", lying_zip_bomb, "unpacks to more than"),
    Hostile("billion-laughs.xlsx", billion_laughs, "declares a DTD or entities"),
    Hostile("formula.xlsx", formula, "holds formula cells"),
    Hostile("old-excel.xlsx", old_xls_named_xlsx, "named .xlsx but is not an xlsx"),
    Hostile("document.xlsx", document_named_xlsx, "a ZIP package but not an xlsx workbook"),
    Hostile("truncated.xlsx", truncated, "not a valid xlsx (ZIP) package"),
    Hostile("corrupt.xlsx", corrupt, "not a valid xlsx (ZIP) package: xl/worksheets/sheet1.xml"),
    Hostile("many-entries.xlsx", many_entries, "2,001 ZIP entries"),
    Hostile("sheet-elsewhere.xlsx", sheet_outside_worksheets, "a worksheet lies outside"),
]


def build_corpus(directory: Path) -> dict[str, Path]:
    """Every file of CORPUS written into ``directory``, by name."""
    directory.mkdir(parents=True, exist_ok=True)
    return {hostile.name: hostile.build(directory / hostile.name) for hostile in CORPUS}
