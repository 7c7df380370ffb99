"""Template filters for the pack's templates (and web pages that include its partials)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from steerco.pack import markdown

register = template.Library()


@register.filter
def kind(value: Any) -> str:
    """What a cell value is, for the cell partial to dispatch on ("str" for plain text)."""
    return "str" if isinstance(value, str) else str(getattr(value, "kind", "str"))


@register.filter
def column_align(columns: Any, index: int) -> str:
    return str(columns[index].align)


@register.filter
def block_template(block_kind: str) -> str:
    return f"pack/blocks/{block_kind}.html"


@register.filter
def pack_markdown(source: str | None) -> SafeString:
    # markdown.to_html escapes raw HTML in the source, so its output is safe to insert.
    return mark_safe(markdown.to_html(source or ""))
