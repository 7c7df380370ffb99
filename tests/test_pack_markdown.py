"""Narrative Markdown in the pack: text stays text in both renderers."""

from __future__ import annotations

import re

import typst

from steerco.pack.markdown import literal, nested, to_html, to_typst


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


def test_a_narratives_headings_in_print_never_skip_a_level() -> None:
    # "## x" is an h4 below the pack's own headings; after a level-1 section title it
    # becomes level 2, and each heading after it at most one level deeper (PDF/UA).
    markup, last = nested("## First\n\n#### Deep\n\ntext\n\n# Up", 1)
    levels = [int(n) for n in re.findall(r"#heading\(level: (\d)", markup)]
    assert levels == [2, 3, 3]
    assert last == 3


def test_a_heading_inside_a_table_cell_is_bold_text_not_a_heading_of_the_document() -> None:
    markup, last = nested("## In a cell", None)
    assert "#heading" not in markup and "strong" in markup
    assert last is None


def test_a_document_of_nested_headings_compiles_as_pdf_ua() -> None:
    markup, _ = nested("## A\n\n#### B\n\n###### C", 1)
    source = '#set document(title: "t")\n#heading(level: 1)[Section]\n' + markup
    result = typst.Compiler().compile(input=source.encode(), format="pdf", pdf_standards=["ua-1"])
    assert isinstance(result, bytes) and result.startswith(b"%PDF")
