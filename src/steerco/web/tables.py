"""A register's list rows, rendered once in Python: a list page shows fifty rows of several
cells each, and building them here costs a fraction of a template loop per cell. And its
column headers, each sorting the list by its column while keeping the filters."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import QueryDict
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from steerco.core.choices import Classification
from steerco.registers import Register
from steerco.web.sorting import Sort, sortable
from steerco.web.templatetags.steerco_web import badge, cell, verbose


@dataclass(frozen=True)
class Row:
    record: models.Model
    html: SafeString


def default_classification(register: Register) -> Classification:
    """What a record of the register is classified unless it says otherwise: a badge shows
    only where a record differs from it."""
    field: Any = register.model._meta.get_field("classification")
    return Classification(field.default)


def rows(register: Register, programme: str, records: Iterable[models.Model]) -> list[Row]:
    """Each record's cells (the first linking to its page) and its classification badge,
    where it is not the register's default."""
    base = reverse("web:register-item", args=[programme, register.slug, 0])[: -len("0/")]
    usual = default_classification(register)
    out = []
    for record in records:
        first, *rest = (cell(record, name) for name in register.columns)
        classification = getattr(record, "classification", "")
        html = format_html(
            '<td><a href="{}{}/">{}</a></td>{}<td>{}</td>',
            base,
            record.pk,
            first,
            format_html_join("", "<td>{}</td>", ((value,) for value in rest)),
            badge(classification, "classification") if classification != usual else "",
        )
        out.append(Row(record, html))
    return out


@dataclass(frozen=True)
class Header:
    label: str
    query: str = ""  # the query string sorting by this column ("": not sortable)
    aria_sort: str = ""  # "ascending", "descending" or none
    arrow: str = ""  # shown, hidden from screen readers
    words: str = ""  # the order in words, for screen readers


def headers(register: Register, sort: Sort, query: QueryDict) -> list[Header]:
    """The list's column headers: a sortable one links to the list sorted by it (the other
    way round when it is already), keeping the filters, search and page."""
    out = []
    for name in register.columns:
        label = verbose(register.model, name)
        if name not in sortable(register):
            out.append(Header(label))
            continue
        asked = query.copy()
        asked["sort"] = sort.link(name)
        aria = sort.aria(name)
        arrow = {"ascending": "▲", "descending": "▼"}.get(aria, "↕")
        words = f"sorted {aria}" if aria else "sort"
        out.append(Header(label, asked.urlencode(), aria, arrow, f"({words})"))
    return out
