"""PDFs that Typst wrote, joined into one tagged PDF, mostly byte for byte.

A general PDF library parses every object it copies: joining the tag trees of an 860-page
pack's parts that way took qpdf 720 MB. Typst writes a plain PDF (a classic cross-reference
table, no object streams), so each object is found by its offset and copied as it is, its
references renumbered, its stream data untouched; only the few objects that change are read
(by pikepdf, lazily) and written anew: each page (its key in the parent tree; the page
furniture drawn over it), the catalogue, the page tree, the root of the tag tree with its
parent tree, ID tree and role map, one document element holding every part's tags, and the
bookmarks. Memory stays near the size of the files.

Table cells' IDs (which each Typst document numbers from one) are prefixed by their part,
so they stay unique; nothing else in the text of an object is changed.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import pairwise

import pikepdf


class JoinFailed(ValueError):
    """A part is not laid out as Typst lays out a PDF; the message says where."""


@dataclass(frozen=True)
class Bookmark:
    title: str
    level: int
    part: int  # 0: the first PDF
    page: int  # the page's index in its part
    left: float
    top: float


@dataclass
class _Part:
    """One PDF being joined: its bytes, its objects' offsets, and lazily parsed objects."""

    data: bytes
    pdf: pikepdf.Pdf
    offsets: dict[int, int]
    base: int = 0  # added to each object's number
    redirect: dict[int, int] = field(default_factory=dict)  # object number → final number
    skip: set[int] = field(default_factory=set)  # objects not copied
    rewritten: dict[int, bytes] = field(default_factory=dict)  # final bodies of changed ones

    def number(self, old: int) -> int:
        return self.redirect.get(old, old + self.base)


def page_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def bookmarks(data: bytes, part: int, levels: list[int]) -> tuple[int, list[Bookmark]]:
    """A part's page count and its bookmarks in order, each at its heading's level as
    ``levels`` gives it (a part's own outline may begin below a level 1 heading, which is
    in the part before)."""
    with pikepdf.open(io.BytesIO(data)) as pdf, pdf.open_outline() as outline:
        items: list[pikepdf.OutlineItem] = []

        def walk(children: list[pikepdf.OutlineItem]) -> None:
            for item in children:
                items.append(item)
                walk(item.children)

        walk(outline.root)
        marks = []
        for item, level in zip(items, levels, strict=True):
            destination = item.destination
            if not isinstance(destination, pikepdf.Array):
                raise JoinFailed(f"bookmark {item.title!r}: no page to go to")
            page = pikepdf.Page(destination[0]).index
            left, top = float(destination[2]), float(destination[3])
            marks.append(Bookmark(item.title, level, part, page, left, top))
        return len(pdf.pages), marks


def join(pdfs: list[bytes], furniture: bytes, bookmarks: list[Bookmark]) -> bytes:
    """``pdfs`` one after the other, as one tagged document whose catalogue, metadata and
    document element are the first's; each page of ``furniture`` (header and footer, as
    artifacts) drawn over the page of the same number; ``bookmarks`` as the outline."""
    with ExitStack() as stack:
        parts = [_open(data, stack) for data in pdfs]
        over = _open(furniture, stack)
        return _Joiner(parts, over).write(bookmarks)


def _open(data: bytes, stack: ExitStack) -> _Part:
    pdf = stack.enter_context(pikepdf.open(io.BytesIO(data)))
    return _Part(data, pdf, _offsets(data))


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)\s*$")


def _offsets(data: bytes) -> dict[int, int]:
    """Each object's byte offset, from the classic cross-reference table Typst writes."""
    found = _STARTXREF.search(data[-64:])
    if found is None:
        raise JoinFailed("no startxref at the end of the file")
    at = int(found[1])
    if data[at : at + 4] != b"xref":
        raise JoinFailed("not a classic cross-reference table (an xref stream?)")
    lines = iter(data[at : data.index(b"trailer", at)].splitlines()[1:])
    offsets: dict[int, int] = {}
    for line in lines:
        header = _SUBSECTION.match(line)
        if header is None:
            raise JoinFailed(f"unreadable cross-reference line {line!r}")
        first, count = int(header[1]), int(header[2])
        for number in range(first, first + count):
            entry = next(lines)
            if entry[17:18] == b"n":
                offsets[number] = int(entry[:10])
    return offsets


def _bodies(part: _Part) -> Iterator[tuple[int, bytes]]:
    """Each object's number and its text between ``n 0 obj`` and ``endobj``."""
    order = sorted(part.offsets.items(), key=lambda item: item[1])
    xref = part.data.rindex(b"xref")
    for index, (number, start) in enumerate(order):
        end = order[index + 1][1] if index + 1 < len(order) else xref
        chunk = part.data[start:end]
        head = f"{number} 0 obj".encode()
        if not chunk.startswith(head):
            raise JoinFailed(f"object {number} is not at its offset {start}")
        tail = chunk.rstrip().removesuffix(b"endobj")
        yield number, tail[len(head) :].strip()


# -- renumbering ------------------------------------------------------------------------------

# Outside strings and stream data: a reference, a string, an ID (or a list of them), or the
# start of a stream's data.
_TOKEN = re.compile(
    rb"(?<![\d.])(\d+) (\d+) R(?![A-Za-z])|\(|/ID(?=\s*\()|/Headers\s*\[|>>\s*stream(?:\r\n|\n)"
)
_STRING_END = re.compile(rb"[()\\]")


def _string_end(body: bytes, start: int) -> int:
    """The index just past the literal string opening at ``start`` (nested parentheses
    balance; a backslash escapes the next byte)."""
    depth, at = 0, start
    while True:
        found = _STRING_END.search(body, at)
        if found is None:
            raise JoinFailed("a string that does not end")
        char = found[0]
        if char == b"\\":
            at = found.end() + 1
            continue
        depth += 1 if char == b"(" else -1
        at = found.end()
        if depth == 0:
            return at


def renumber(body: bytes, number: Callable[[int], int], prefix: bytes = b"") -> bytes:
    """``body`` with each reference's object number mapped by ``number`` and each ID string
    prefixed with ``prefix``; strings and stream data otherwise byte for byte."""
    out = bytearray()
    at, ids = 0, False  # ids: inside a /Headers list
    while True:
        found = _TOKEN.search(body, at)
        if found is None:
            break
        token = found[0]
        if found[1] is not None:
            out += body[at : found.start()]
            out += b"%d %s R" % (number(int(found[1])), found[2])
            at = found.end()
        elif token == b"(":
            end = _string_end(body, found.start())
            out += body[at : found.start()]
            if ids or body[max(0, found.start() - 3) : found.start()].rstrip() == b"/ID":
                out += b"(" + prefix + body[found.start() + 1 : end]
            else:
                out += body[found.start() : end]
            at = end
        elif token.startswith(b"/Headers"):
            out += body[at : found.end()]
            at, ids = found.end(), True
            close = body.find(b"]", at)
            # The list holds only strings: prefix each, then leave the list.
            while True:
                start = body.find(b"(", at)
                if start == -1 or start > close:
                    break
                end = _string_end(body, start)
                out += body[at:start] + b"(" + prefix + body[start + 1 : end]
                at = end
                close = body.find(b"]", at)
            ids = False
        elif token == b"/ID":
            out += body[at : found.end()]
            at = found.end()
            start = body.index(b"(", at)
            end = _string_end(body, start)
            out += body[at:start] + b"(" + prefix + body[start + 1 : end]
            at = end
        else:  # stream data: copied as it is
            out += body[at:]
            return bytes(out)
    out += body[at:]
    return bytes(out)


# -- the join ---------------------------------------------------------------------------------

_PLACEHOLDER = "/SteercoJoinPlaceholder"


class _Joiner:
    def __init__(self, parts: list[_Part], over: _Part) -> None:
        self.parts, self.over = parts, over
        self.next = 1 + sum(max(part.offsets) for part in parts) + max(over.offsets)
        base = 0
        for part in [*parts, over]:
            part.base = base
            base += max(part.offsets)
        first = parts[0]
        self.tree = self.new()
        self.document = first.number(_document(first.pdf).objgen[0])
        self.pages_root = self.new()
        self.outline_root = self.new()
        self.parent_tree = self.new()
        self.id_tree = self.new()
        self.begin = self.new()  # "q": the page's own content in a state of its own
        self.end = self.new()  # "Q" and the furniture drawn, as an artifact
        self.furniture = "/SteercoFurniture"
        self.extra: dict[int, bytes] = {}
        self.pages: list[int] = []  # each page's final number, in order

    def new(self) -> int:
        self.next += 1
        return self.next - 1

    def write(self, bookmarks: list[Bookmark]) -> bytes:
        kids: list[bytes] = []
        nums: list[bytes] = []
        names: list[tuple[bytes, bytes]] = []
        roles: dict[str, pikepdf.Object] = {}
        key = 0
        forms = self._forms()
        for index, part in enumerate(self.parts):
            prefix = b"p%d-" % index
            tree = part.pdf.Root.StructTreeRoot
            if set(tree.keys()) - {
                "/Type",
                "/K",
                "/ParentTree",
                "/ParentTreeNextKey",
                "/IDTree",
                "/RoleMap",
            }:
                raise JoinFailed(f"part {index}: a tag tree root with keys {list(tree.keys())}")
            document = _document(part.pdf)
            part.redirect[tree.objgen[0]] = self.tree
            part.redirect[document.objgen[0]] = self.document
            part.redirect[part.pdf.Root.Pages.objgen[0]] = self.pages_root
            part.skip |= {part.pdf.Root.objgen[0], tree.objgen[0], part.pdf.Root.Pages.objgen[0]}
            part.skip |= _tree_nodes(tree.get("/ParentTree")) | _tree_nodes(tree.get("/IDTree"))
            part.skip |= _outline_nodes(part.pdf)
            if index:
                part.skip.add(document.objgen[0])
                for name in ("/Info",):
                    if name in part.pdf.trailer:
                        part.skip.add(part.pdf.trailer[name].objgen[0])
                if "/Metadata" in part.pdf.Root:
                    part.skip.add(part.pdf.Root.Metadata.objgen[0])
            kids.append(
                renumber(_unparse(document.K, whole=True).strip()[1:-1], part.number, prefix)
            )
            for number, value in pikepdf.NumberTree(tree.ParentTree).items():
                nums.append(b"%d %s" % (number + key, renumber(_unparse(value), part.number)))
            if "/IDTree" in tree:
                for name, value in pikepdf.NameTree(tree.IDTree).items():
                    names.append(
                        (prefix + name.encode("latin-1"), renumber(_unparse(value), part.number))
                    )
            roles.update(tree.get("/RoleMap", pikepdf.Dictionary()).items())
            for page in part.pdf.pages:
                self._page(part, page, key, forms[len(self.pages)])
            key += int(tree.ParentTreeNextKey)
        if len(self.pages) != len(self.over.pdf.pages):
            raise JoinFailed(
                f"{len(self.pages)} pages but furniture for {len(self.over.pdf.pages)}"
            )
        first = self.parts[0]
        self._rewrite_first(first, kids)
        self.extra[self.tree] = (
            b"<</Type/StructTreeRoot/K %d 0 R/ParentTree %d 0 R/ParentTreeNextKey %d"
            b"/IDTree %d 0 R/RoleMap %s>>"
            % (
                self.document,
                self.parent_tree,
                key,
                self.id_tree,
                _unparse(pikepdf.Dictionary(roles)),
            )
        )
        self.extra[self.parent_tree] = b"<</Nums[" + b" ".join(nums) + b"]>>"
        names.sort()
        self.extra[self.id_tree] = (
            b"<</Names["
            + b" ".join(_unparse(pikepdf.String(n)) + b" " + v for n, v in names)
            + b"]>>"
        )
        self.extra[self.pages_root] = b"<</Type/Pages/Count %d/Kids[%s]>>" % (
            len(self.pages),
            b" ".join(b"%d 0 R" % p for p in self.pages),
        )
        self.extra[self.begin] = _stream(b"q\n")
        self.extra[self.end] = _stream(
            b"Q\n/Artifact BMC\n" + self.furniture.encode() + b" Do\nEMC\n"
        )
        self._outline(bookmarks)
        return self._serialise()

    def _forms(self) -> list[int]:
        """Each furniture page's content as a form XObject (its resources copied over)."""
        over = self.over
        keep: set[int] = set()
        forms = []
        for page in over.pdf.pages:
            contents = page.obj.Contents
            if not isinstance(contents, pikepdf.Stream):
                raise JoinFailed("a furniture page whose content is not one stream")
            resources = page.obj.Resources
            keep |= _reachable(resources)
            box = _unparse(page.obj.MediaBox)
            stream_dict = contents.stream_dict
            filters = b""
            for name in ("/Filter", "/DecodeParms"):
                if name in stream_dict:
                    filters += name.encode() + _unparse(stream_dict[name])
            raw = contents.read_raw_bytes()
            number = self.new()
            self.extra[number] = (
                b"<</Type/XObject/Subtype/Form/BBox%s/Resources %s%s/Length %d>>stream\n"
                % (box, renumber(_unparse(resources), over.number), filters, len(raw))
                + raw
                + b"\nendstream"
            )
            forms.append(number)
        over.skip = set(over.offsets) - keep
        return forms

    def _page(self, part: _Part, page: pikepdf.Page, key: int, form: int) -> None:
        obj = page.obj
        number = obj.objgen[0]
        if "/StructParents" in obj:
            obj.StructParents = int(obj.StructParents) + key
        for annotation in obj.get("/Annots", pikepdf.Array()):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + key
                if annotation.is_indirect:
                    self._rewrite(part, annotation)
        contents = obj.Contents
        listed = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        obj.Contents = pikepdf.Array(
            [pikepdf.Name(_PLACEHOLDER + "Begin"), *listed, pikepdf.Name(_PLACEHOLDER + "End")]
        )
        resources = obj.Resources
        xobjects = resources.get("/XObject")
        merged = (
            pikepdf.Dictionary(dict(xobjects.items()))
            if xobjects is not None
            else pikepdf.Dictionary()
        )
        merged[self.furniture] = pikepdf.Name(_PLACEHOLDER + "Form")
        resources.XObject = merged
        part.rewritten[number] = self._placed(
            renumber(_unparse(obj, whole=True), part.number), form
        )
        if resources.is_indirect:
            body = renumber(_unparse(resources, whole=True), part.number)
            part.rewritten[resources.objgen[0]] = self._placed(body, form)
        else:
            raise JoinFailed("a page whose resources are not an object of their own")
        self.pages.append(part.number(number))

    def _placed(self, body: bytes, form: int) -> bytes:
        return (
            body.replace((_PLACEHOLDER + "Begin").encode(), b"%d 0 R" % self.begin)
            .replace((_PLACEHOLDER + "End").encode(), b"%d 0 R" % self.end)
            .replace((_PLACEHOLDER + "Form").encode(), b"%d 0 R" % form)
        )

    def _rewrite(self, part: _Part, obj: pikepdf.Object) -> None:
        part.rewritten[obj.objgen[0]] = renumber(_unparse(obj, whole=True), part.number)

    def _rewrite_first(self, first: _Part, kids: list[bytes]) -> None:
        document = _document(first.pdf)
        document.K = pikepdf.Name(_PLACEHOLDER + "Kids")
        body = renumber(_unparse(document, whole=True), first.number)
        first.rewritten[document.objgen[0]] = body.replace(
            (_PLACEHOLDER + "Kids").encode(), b"[" + b" ".join(kids) + b"]"
        )
        root = first.pdf.Root
        root.Pages = pikepdf.Name(_PLACEHOLDER + "Pages")
        root.Outlines = pikepdf.Name(_PLACEHOLDER + "Outlines")
        if "/MarkInfo" in root and "/Suspects" in root.MarkInfo:
            # poppler reads any Suspects that is not true as the wrong type (pdf.py)
            del root.MarkInfo.Suspects
        body = renumber(_unparse(root, whole=True), first.number)
        first.rewritten[root.objgen[0]] = body.replace(
            (_PLACEHOLDER + "Pages").encode(), b"%d 0 R" % self.pages_root
        ).replace((_PLACEHOLDER + "Outlines").encode(), b"%d 0 R" % self.outline_root)
        first.skip.discard(root.objgen[0])

    def _outline(self, bookmarks: list[Bookmark]) -> None:
        """The bookmarks as nested outline items, each closed over its children as Typst
        writes them."""
        nodes: list[_Item] = []
        stack: list[tuple[int, _Item | None]] = [(0, None)]
        top: list[_Item] = []
        firsts = [0]
        for part in self.parts[:-1]:
            firsts.append(firsts[-1] + len(part.pdf.pages))
        for mark in bookmarks:
            while stack[-1][0] >= mark.level:
                stack.pop()
            parent = stack[-1][1]
            item = _Item(self.new(), mark, self.pages[firsts[mark.part] + mark.page], parent)
            (parent.children if parent else top).append(item)
            nodes.append(item)
            stack.append((mark.level, item))
        for siblings in [top, *(n.children for n in nodes)]:
            for before, after in pairwise(siblings):
                before.next, after.prev = after.number, before.number
        for item in nodes:
            self.extra[item.number] = item.body(self.outline_root)
        self.extra[self.outline_root] = (
            b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>"
            % (top[0].number, top[-1].number, len(top))
            if top
            else b"<</Type/Outlines/Count 0>>"
        )

    def _serialise(self) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets: dict[int, int] = {}

        def put(number: int, body: bytes) -> None:
            offsets[number] = len(out)
            out.extend(b"%d 0 obj\n" % number)
            out.extend(body)
            out.extend(b"\nendobj\n")

        for index, part in enumerate([*self.parts, self.over]):
            prefix = b"p%d-" % index if part is not self.over else b""
            for number, body in _bodies(part):
                if number in part.rewritten:
                    put(part.number(number), part.rewritten[number])
                elif number not in part.skip:
                    put(part.number(number), renumber(body, part.number, prefix))
        for number, body in sorted(self.extra.items()):
            put(number, body)
        first = self.parts[0]
        info = first.pdf.trailer.get("/Info")
        size = self.next
        xref = len(out)
        out.extend(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for number in range(1, size):
            at = offsets.get(number)
            out.extend(b"%010d 00000 n \n" % at if at is not None else b"0000000000 65535 f \n")
        digest = hashlib.md5(out, usedforsecurity=False).hexdigest().encode()
        trailer = b"<</Size %d/Root %d 0 R" % (size, first.number(first.pdf.Root.objgen[0]))
        if info is not None:
            trailer += b"/Info %d 0 R" % first.number(info.objgen[0])
        trailer += b"/ID[<%s><%s>]>>" % (digest, digest)
        out.extend(b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref)
        return bytes(out)


@dataclass
class _Item:
    number: int
    mark: Bookmark
    page: int
    parent: _Item | None
    children: list[_Item] = field(default_factory=list)
    prev: int | None = None
    next: int | None = None

    def body(self, root: int) -> bytes:
        parent = self.parent.number if self.parent else root
        text = b"<</Title%s/Parent %d 0 R" % (_unparse(pikepdf.String(self.mark.title)), parent)
        if self.prev is not None:
            text += b"/Prev %d 0 R" % self.prev
        if self.next is not None:
            text += b"/Next %d 0 R" % self.next
        if self.children:
            text += b"/First %d 0 R/Last %d 0 R/Count -%d" % (
                self.children[0].number,
                self.children[-1].number,
                len(self.children),
            )
        left, top = self.mark.left, self.mark.top
        return text + b"/Dest[%d 0 R/XYZ %s %s 0]>>" % (self.page, _real(left), _real(top))


def _real(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".")


def _stream(data: bytes) -> bytes:
    return b"<</Length %d>>stream\n" % len(data) + data + b"\nendstream"


def _unparse(obj: object, whole: bool = False) -> bytes:
    """PDF syntax for ``obj``; ``whole``: an indirect object's own text, not a reference."""
    assert isinstance(obj, pikepdf.Object)
    if whole and obj.is_indirect:
        return bytes(obj.unparse(resolved=True))
    return bytes(obj.unparse())


def _document(pdf: pikepdf.Pdf) -> pikepdf.Object:
    """The one document element at the root of the tag tree Typst writes."""
    kids = pdf.Root.StructTreeRoot.K
    if isinstance(kids, pikepdf.Array):
        if len(kids) != 1:
            raise JoinFailed("a tag tree with more than one root element")
        kids = kids[0]
    if kids.get("/S") != pikepdf.Name.Document or not kids.is_indirect:
        raise JoinFailed("a tag tree whose root element is not a document")
    if not isinstance(kids.K, pikepdf.Array):
        kids.K = pikepdf.Array([kids.K])
    return kids


def _tree_nodes(node: pikepdf.Object | None) -> set[int]:
    """The objects of a number or name tree's nodes (not of its values)."""
    found: set[int] = set()
    pending = [node] if node is not None else []
    while pending:
        current = pending.pop()
        if current.is_indirect:
            found.add(current.objgen[0])
        pending.extend(current.get("/Kids", pikepdf.Array()))
    return found


def _outline_nodes(pdf: pikepdf.Pdf) -> set[int]:
    found: set[int] = set()
    if "/Outlines" not in pdf.Root:
        return found
    pending = [pdf.Root.Outlines]
    while pending:
        current = pending.pop()
        if current.objgen[0] in found:
            continue
        found.add(current.objgen[0])
        for key in ("/First", "/Next"):
            if key in current:
                pending.append(current[key])
    return found


def _reachable(start: pikepdf.Object) -> set[int]:
    """Every indirect object ``start`` leads to (for the furniture's fonts and colours)."""
    found: set[int] = set()
    pending = [start]
    while pending:
        current = pending.pop()
        if not isinstance(current, pikepdf.Object):
            continue  # a number, a boolean: nothing further
        if current.is_indirect:
            if current.objgen[0] in found:
                continue
            found.add(current.objgen[0])
        if isinstance(current, pikepdf.Stream):
            pending.extend(current.stream_dict.values())
        elif isinstance(current, pikepdf.Dictionary):
            pending.extend(current.values())
        elif isinstance(current, pikepdf.Array):
            pending.extend(current)
    return found
