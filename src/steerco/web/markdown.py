"""Narrative Markdown rendered safely: raw HTML in the source is shown as text, and links
to javascript:, vbscript:, file: and data: URLs are dropped (markdown-it's link check)."""

from __future__ import annotations

from functools import cache, lru_cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@cache
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render(source: str | None) -> SafeString:
    if not source:
        return mark_safe("")
    return _render(source)


@lru_cache(maxsize=512)
def _render(source: str) -> SafeString:
    # The same narrative is shown on every request until it is edited: render it once.
    return mark_safe(_renderer().render(source))  # markdown-it escapes raw HTML (html disabled)
