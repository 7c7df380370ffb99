"""Sorting a register's list by one of its columns, in the database query.

A column is sortable when the database can order it as people read it: a field of the
record, or a record it refers to by that record's key (a RAID item's theme by its number).
Lists (owners, linked milestones) are not. The query string names the column, "-" before it
for descending ("?sort=-current_score"); any other key is ignored and the register's own order
kept, so no field the register does not show can be named.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.expressions import OrderBy

from steerco.registers import Register


@cache
def sortable(register: Register) -> dict[str, str]:
    """The register's sortable columns, each with the path the database orders it by."""
    found = {}
    for name in register.columns:
        field: Any = register.model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            key = getattr(field.related_model, "NATURAL_KEY", None)
            if key:
                found[name] = f"{name}__{key}"
        elif not isinstance(field, models.JSONField):
            found[name] = name
    return found


@dataclass(frozen=True)
class Sort:
    column: str = ""  # "": the register's own order
    descending: bool = False

    @property
    def key(self) -> str:
        """The value of the query string's ``sort`` for this order."""
        return f"-{self.column}" if self.descending else self.column

    def link(self, column: str) -> str:
        """The ``sort`` a column's header asks for: ascending, or the reverse of this order
        when it is already by that column."""
        return f"-{column}" if column == self.column and not self.descending else column

    def aria(self, column: str) -> str:
        """The header's aria-sort: only the sorted column has one."""
        if column != self.column:
            return ""
        return "descending" if self.descending else "ascending"


def parse(register: Register, value: str | None) -> Sort:
    """The order the query string asks for, if it names a sortable column; else none."""
    value = (value or "").strip()
    column = value.removeprefix("-")
    if column not in sortable(register):
        return Sort()
    return Sort(column, value.startswith("-"))


def ordering(register: Register, sort: Sort) -> list[OrderBy]:
    """The query's ordering: the column asked for (blanks last either way), then the
    register's own order so rows that tie keep a stable place."""
    if not sort.column:
        return []
    path = F(sortable(register)[sort.column])
    first = path.desc(nulls_last=True) if sort.descending else path.asc(nulls_last=True)
    return [first]
