"""Template helpers for the pack's templates and for web pages that reuse its partials.

``{% pack_cell value %}`` renders one cell value of the pack's document model: it is a tag
rather than an included template because a pack has thousands of cells, and an include per
cell made the HTML three times slower to render.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from steerco.core.colours import badge_html, unknown_badge_html
from steerco.pack import markdown
from steerco.pack.document import Badge, Code, Derived, Markdown, Span, Stack, Svg, Unknown

register = template.Library()


@register.simple_tag
def pack_cell(value: Any) -> SafeString:
    """A cell value as HTML: text, a labelled badge, "unknown", a code, a derived value,
    Markdown, an SVG picture, or a stack of those."""
    if isinstance(value, Span):
        return pack_cell(value.value)
    if isinstance(value, Badge):
        return badge_html(value.label, value.colour, value.hint)
    if isinstance(value, Unknown):
        return unknown_badge_html(value.label)
    if isinstance(value, Code):
        return format_html('<code class="ref">{}</code>', value.text)
    if isinstance(value, Derived):
        return format_html('<span class="derived">{}</span>', value.text)
    if isinstance(value, Markdown):
        return format_html('<div class="md">{}</div>', pack_markdown(value.text))
    if isinstance(value, Svg):
        return mark_safe(value.svg)  # built by steerco.charts, every text escaped there
    if isinstance(value, Stack):
        return format_html_join(
            "", '<span class="stack-item">{}</span>', ((pack_cell(i),) for i in value.items)
        )
    # Plain text: escaped, its line breaks kept.
    return mark_safe(escape("" if value is None else str(value)).replace("\n", "<br>"))


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
