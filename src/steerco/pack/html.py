"""Pack document → one self-contained HTML file: CSS inline, charts and diagrams as inline
SVG, nothing fetched. The page is rendered from Django templates whose badge and table
partials (templates/pack/partials/) the web pages can include too."""

from __future__ import annotations

from django.template.loader import render_to_string

from steerco.pack.document import Document


def render_html(document: Document) -> str:
    return render_to_string("pack/document.html", {"document": document})
