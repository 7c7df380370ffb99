"""A register's list rows, rendered once in Python: a list page shows fifty rows of several
cells each, and building them here costs a fraction of a template loop per cell."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from steerco.registers import Register
from steerco.web.templatetags.steerco_web import badge, cell


@dataclass(frozen=True)
class Row:
    record: models.Model
    html: SafeString


def rows(register: Register, programme: str, records: Iterable[models.Model]) -> list[Row]:
    """Each record's cells (the first linking to its page) and its classification badge."""
    base = reverse("web:register-item", args=[programme, register.slug, 0])[: -len("0/")]
    out = []
    for record in records:
        first, *rest = (cell(record, name) for name in register.columns)
        html = format_html(
            '<td><a href="{}{}/">{}</a></td>{}<td>{}</td>',
            base,
            record.pk,
            first,
            format_html_join("", "<td>{}</td>", ((value,) for value in rest)),
            badge(getattr(record, "classification", ""), "classification"),
        )
        out.append(Row(record, html))
    return out
