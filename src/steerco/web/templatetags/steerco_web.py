"""Template helpers: RAG and status badges (text and colour, never colour alone),
Markdown, and reading a field by name."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache
from typing import Any

from django import template
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString

from steerco.accounts.access import WITHHELD
from steerco.core.choices import (
    RAG,
    RAG_NOTES,
    ActionStatus,
    Band,
    Classification,
    ColouredChoices,
    CriterionState,
    MeetingState,
    ParticipationStatus,
    ReportStatus,
)
from steerco.core.colours import badge_html, unknown_badge_html
from steerco.records.fields import DateField
from steerco.records.history import label_of
from steerco.web import markdown

register = template.Library()

_ENUMS: dict[str, type[ColouredChoices]] = {
    "rag": RAG,
    "band": Band,
    "classification": Classification,
    "action": ActionStatus,
    "report": ReportStatus,
    "criterion": CriterionState,
    "participation": ParticipationStatus,
    "meeting": MeetingState,
}


@register.filter
def badge(value: str | None, kind: str = "rag") -> SafeString:
    """A labelled, coloured badge; an empty value reads "Unknown", never a colour."""
    return _badge(value or "", kind)


@lru_cache(maxsize=1024)
def _badge(value: str, kind: str) -> SafeString:
    enum = _ENUMS[kind]
    if not value:
        return unknown_badge_html("Unknown")
    try:
        label = str(enum(value).label)
    except ValueError:
        label = str(value).capitalize()
    return badge_html(label, enum.colour(value))


@register.inclusion_tag("web/_rag_key.html")
def rag_key() -> dict[str, Any]:
    """The RAG key, for a page that shows RAGs: each RAG's badge, and what Blue and Grey say."""
    return {"rags": [(badge(value), RAG_NOTES.get(value, "")) for value in RAG.values]}


@register.filter(name="markdown")
def markdown_filter(source: str | None) -> SafeString:
    return markdown.render(source)


@register.filter
def field_value(record: models.Model, name: str) -> Any:
    """A field's display value: the choice label where there is one."""
    if name in record.__dict__.get(WITHHELD, ()):
        return "(not visible to you)"
    display = getattr(record, f"get_{name}_display", None)
    if callable(display):
        return display()
    value = getattr(record, name, "")
    return "" if value is None else value


@register.filter
def verbose(model_or_record: Any, name: str) -> str:
    try:
        return label_of(model_or_record._meta.get_field(name))
    except Exception:
        return name.replace("_", " ").capitalize()


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return str(query.urlencode())


_KIND_BY_CHOICES = {frozenset(enum.values): kind for kind, enum in _ENUMS.items()}


@cache
def _cell_kind(model: type[models.Model], name: str) -> tuple[str, dict[Any, str]]:
    """How a field shows in a cell: ("badge kind" or "", the choice labels)."""
    field: Any = model._meta.get_field(name)
    choices = getattr(field, "choices", None) or []
    labels = {value: str(label) for value, label in choices}
    return _KIND_BY_CHOICES.get(frozenset(v for v in labels if v), ""), labels


@register.simple_tag
def cell(record: models.Model, name: str) -> Any:
    """A field of a record for a table cell: a badge for RAGs, bands, statuses and
    classifications, the choice label or the value otherwise, "—" when empty."""
    if name in record.__dict__.get(WITHHELD, ()):
        return "(not visible to you)"
    kind, labels = _cell_kind(type(record), name)
    value = getattr(record, name, None)
    if kind:
        return badge(value, kind)
    if labels:
        value = labels.get(value, value)
    if value in ("", None, [], {}):
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


@register.filter
def child_text(child: models.Model) -> str:
    """A child record (mitigation step, update, criterion…) in full, not its short name."""
    for name in ("text", "description", "name", "stated_name", "predecessor_code"):
        value = getattr(child, name, None)
        if value:
            return str(value)
    return str(child)


@register.inclusion_tag("web/_crumbs.html", takes_context=True)
def crumbs(context: template.Context, *trail: Any) -> dict[str, Any]:
    """Breadcrumbs from the programme (by its name) down to this page, every one a link:
    ``trail`` is names and links in pairs, the last pair this page; a pair with no name is
    left out (a register page with no record)."""
    programme = context["programme"]
    pairs = [(programme.name, reverse("web:programme", args=[programme.code]))]
    pairs += [(str(n), url) for n, url in zip(trail[::2], trail[1::2], strict=True) if n]
    return {"crumbs": pairs}


@register.filter
def thousands(value: int | float | None) -> str:
    """A count with thousands separators (33,012,345); "—" when there is none."""
    if value is None:
        return "—"
    return f"{value:,}"


@register.filter(expects_localtime=True)
def day(value: Any, stated: str = "") -> str:
    """A day in the site's one format, the en-GB locale's DATE_FORMAT ("6 Sep 2023"): the
    date, else the text as stated read as a date where it is one ("29/09/23"), else the text
    as stated ("End Sept'23"), else "—"."""
    if not isinstance(value, dt.date):
        stated = str(value or stated or "").strip()
        try:
            value = DateField(required=False).clean(stated)
        except ValidationError:
            return stated
        if value is None:
            return stated or "—"
    return formats.date_format(value)
