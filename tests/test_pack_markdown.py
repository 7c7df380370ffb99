"""Narrative Markdown in the pack: text stays text in both renderers."""

from __future__ import annotations

import typst

from steerco.pack.markdown import literal, to_html, to_typst


def compile_text(source: str) -> bytes:
    result = typst.Compiler().compile(input=source.encode(), format="pdf")
    assert isinstance(result, bytes)
    return result


def test_raw_html_in_a_narrative_is_escaped_in_the_html() -> None:
    html = to_html("Hello <script>alert(1)</script> **there**")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<strong>there</strong>" in html


def test_narrative_headings_sit_below_the_packs_own_headings() -> None:
    assert to_html("## Key points").startswith("<h4>")


def test_typst_syntax_in_a_narrative_is_printed_not_run() -> None:
    hostile = '#read("/etc/passwd") $x$ *a* _b_ <label> @ref [x] "q" \\ `c`'
    source = to_typst(
        f"{hostile}\n\n- item **bold**\n\n1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert compile_text(source).startswith(b"%PDF")
    assert literal('#read("/etc/passwd") $x$ ') in source  # a string, never code


def test_a_string_literal_escapes_quotes_backslashes_and_newlines() -> None:
    assert literal('a "b" \\ c\nd') == '"a \\"b\\" \\\\ c\\nd"'
