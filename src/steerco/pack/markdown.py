"""Narrative Markdown (CommonMark with tables) for both renderers: HTML through
markdown-it-py's renderer, and Typst content built from the same syntax tree.

Raw HTML in the source is never passed through: markdown-it is run with ``html`` off, so a
participant's text can only ever be text; an image is never fetched, its words are shown.
"""

from __future__ import annotations

from functools import cache, lru_cache
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

HEADING_SHIFT = 2  # "## x" in a narrative sits below the pack's section and subsection titles


@cache
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.add_render_rule("image", _image_as_words)
    return parser


def _image_as_words(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """An image in a narrative is never fetched: its words stand in its place (the pack
    places an illustration held as a paper itself: steerco.pack.pictures)."""
    return f"[picture: {escape(tokens[idx].content)}]"


@lru_cache(maxsize=4096)  # parsed once for both renderers; the tokens are only read after
def _tokens(source: str) -> list[Token]:
    tokens = _parser().parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_SHIFT, 6)
            token.tag = f"h{level}"
    return tokens


def tree(source: str) -> SyntaxTreeNode:
    """The syntax tree of ``source``, headings shifted as in HTML and print, for a renderer
    that lays the narrative out itself (the pack's slides)."""
    return SyntaxTreeNode(_tokens(source))


@lru_cache(maxsize=4096)  # a pack renders the same narrative for HTML and print
def to_html(source: str) -> str:
    parser = _parser()
    return str(parser.renderer.render(_tokens(source), parser.options, {}))


# -- Typst --------------------------------------------------------------------------------------


def literal(text: str) -> str:
    """A Typst string literal: only the backslash, the quote and line ends need escaping."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "")
    return '"' + escaped.replace("\n", "\\n") + '"'


def to_typst(source: str) -> str:
    """Typst markup for the Markdown ``source``: a sequence of ``#`` expressions, so no
    character of the source is ever read as Typst syntax."""
    return nested(source, 6)[0]


@lru_cache(maxsize=4096)
def nested(source: str, after: int | None) -> tuple[str, int | None]:
    """Typst markup for ``source`` placed after a heading of level ``after``, and the level
    of its last heading (``after`` if it has none). Each heading is at most one level below
    the heading before it, as PDF/UA asks (no level skipped). ``after`` None: the source is
    a table cell's, where a heading is bold text, not a heading of the document."""
    outline = Outline(after)
    root = SyntaxTreeNode(_tokens(source))
    markup = "\n\n".join(_block(child, outline) for child in root.children)
    return markup, outline.last


class Outline:
    """The level of the last heading written; None: headings are not the document's."""

    def __init__(self, last: int | None) -> None:
        self.last = last

    def heading(self, wanted: int, body: str) -> str:
        if self.last is None:
            return f"#block(strong[{body}])"
        self.last = min(wanted, self.last + 1)
        return f"#heading(level: {self.last}, outlined: false, bookmarked: false)[{body}]"


def _content(nodes: list[SyntaxTreeNode], outline: Outline) -> str:
    return "[" + "\n\n".join(_block(node, outline) for node in nodes) + "]"


def _block(node: SyntaxTreeNode, outline: Outline) -> str:
    kind = node.type
    if kind == "paragraph":
        return "#[" + _inlines(node) + "]"
    if kind == "heading":
        return outline.heading(int(node.tag[1]), _inlines(node))
    if kind in ("bullet_list", "ordered_list"):
        return "#" + _list(node, outline)
    if kind == "table":
        return "#" + _table(node)
    if kind in ("code_block", "fence"):
        return f"#raw({literal(node.content.rstrip())}, block: true)"
    if kind == "blockquote":
        return f"#quote(block: true){_content(node.children, outline)}"
    if kind == "hr":
        return "#line(length: 100%, stroke: 0.5pt)"
    return "#[" + _inlines(node) + "]"


def _list(node: SyntaxTreeNode, outline: Outline) -> str:
    items = ", ".join(_content(item.children, outline) for item in node.children)
    if node.type == "ordered_list":
        start = int(node.attrs.get("start", 1) or 1)
        return f"enum(tight: true, start: {start}, {items})"
    return f"list(tight: true, {items})"


def _table(node: SyntaxTreeNode) -> str:
    rows = [row for section in node.children for row in section.children]
    if not rows:
        return "[]"
    width = max(len(row.children) for row in rows)
    head, *body = rows
    cells = [f"[{_inlines(cell)}]" for cell in head.children]
    header = f"table.header({', '.join(cells)})"
    rest = []
    for row in body:
        values = [f"[{_inlines(cell)}]" for cell in row.children]
        rest.extend(values + ["[]"] * (width - len(values)))
    return f"table(columns: {width}, {', '.join([header, *rest])})"


def _inlines(node: SyntaxTreeNode) -> str:
    parts = []
    for child in node.children:
        if child.type == "inline":
            parts.append(_inlines(child))
        else:
            parts.append(_inline(child))
    return "".join(parts)


def _inline(node: SyntaxTreeNode) -> str:
    kind = node.type
    if kind == "text":
        return "#" + literal(node.content) if node.content else ""
    if kind == "strong":
        return f"#strong[{_inlines(node)}]"
    if kind == "em":
        return f"#emph[{_inlines(node)}]"
    if kind == "code_inline":
        return f"#raw({literal(node.content)})"
    if kind == "softbreak":
        return '#" "'
    if kind == "hardbreak":
        return "#linebreak()"
    if kind == "link":
        href = str(node.attrs.get("href", ""))
        if href.startswith(("http://", "https://", "mailto:")):
            return f"#link({literal(href)})[{_inlines(node)}]"
        return f"#underline[{_inlines(node)}]"
    if kind == "image":
        return "#" + literal(f"[picture: {node.content}]")
    return _inlines(node) if node.children else "#" + literal(node.content or "")
