"""Narrative Markdown rendered safely: raw HTML in the source is shown as text, and links
to javascript:, vbscript:, file: and data: URLs are dropped (markdown-it's link check)."""

from __future__ import annotations

from functools import cache

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt


@cache
def _renderer() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render(source: str | None) -> SafeString:
    if not source:
        return mark_safe("")
    return mark_safe(_renderer().render(source))  # markdown-it escapes raw HTML (html disabled)
