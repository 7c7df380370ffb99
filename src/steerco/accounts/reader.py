"""The one reader of register state for an audience: (programme, moment, principal) → rows.

Every read of register state as of a moment — the pack and its editions, the checker, the
exports and downloads, the API's ``as_of`` reads, what changed and the history pages —
goes through here. Visibility is decided for each row as the record *and every record it
belongs to* stood at that moment: a report line written while its report was a draft is
read with the draft report, not with the report as it is now, so publishing a report never
reveals its drafts, and declassifying an item never reveals what it held while it was
confidential.

``Reader`` reads one moment (a cut-off, or now); ``visible_history`` decides history rows
of many moments, each at its own. The rules of who sees what are ``steerco.accounts.access``'s
(``Grants``); this module applies them to rows in memory, where the moment is known.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from steerco.accounts.access import Principal, Reports, bound_to, classified, shape_of
from steerco.accounts.choices import Role
from steerco.core.choices import Classification, ReportStatus
from steerco.core.models import Programme

Record = dict[str, Any]  # one stored record (live or one history row): attribute name → value
# (model, id) → the record as it stood at the moment in question, or None
Lookup = Callable[[type[models.Model], Any], Record | None]

# The operator at the command line (`steerco export`, `steerco check`): reads everything.
OPERATOR = Principal(Role.ADMIN)
EVERY_CLASSIFICATION = frozenset(Classification.values)  # once: asked for every record read


def full_access(who: Principal) -> bool:
    grants = who.grants
    return (
        grants.classifications == EVERY_CLASSIFICATION and grants.unpublished_reports is Reports.ALL
    )


def may_see(model: type[models.Model], record: Record, who: Principal, lookup: Lookup) -> bool:
    """Whether ``who`` may see ``record`` of ``model``, its parents read through ``lookup``
    as they stood at the same moment. A parent that did not exist then hides the child."""
    if full_access(who) or (model is Programme and bound_to(who, record.get("id"))):
        return True
    if not classified(model):
        return False
    shape = shape_of(model)
    levels: dict[str, tuple[type[models.Model], Record]] = {"": (model, record)}
    current_model, current = model, record
    for prefix in shape.chain[1:]:
        name = prefix[:-2].rsplit("__", 1)[-1]
        field = current_model._meta.get_field(name)
        parent_model: type[models.Model] = field.related_model  # type: ignore[assignment]
        parent = lookup(parent_model, current.get(f"{name}_id"))
        if parent is None:
            return False
        levels[prefix] = (parent_model, parent)
        current_model, current = parent_model, parent
    organisation_id = _organisation_of(shape.organisation, levels)
    grants = who.grants
    for _, level in levels.values():
        classification = level.get("classification")
        if classification in grants.classifications:
            continue
        if (
            grants.own_confidential
            and classification == Classification.CONFIDENTIAL
            and who.organisation_id is not None
            and organisation_id == who.organisation_id
        ):
            continue
        return False
    if shape.report is not None and grants.unpublished_reports is not Reports.ALL:
        _, report = levels[shape.report]
        if report.get("status") != ReportStatus.PUBLISHED:
            own = grants.unpublished_reports is Reports.OWN and who.organisation_id is not None
            if not (own and report.get("organisation_id") == who.organisation_id):
                return False
    return True


def _organisation_of(path: str, levels: dict[str, tuple[type[models.Model], Record]]) -> Any:
    if not path:
        return None
    prefix, _, name = path.rpartition("__")
    level = levels.get(f"{prefix}__" if prefix else "")
    return level[1].get(f"{name}_id") if level else None


def in_scope(programme: Programme, who: Principal) -> bool:
    """A principal bound to one programme reads nothing of another."""
    return who.programme_id is None or who.programme_id == programme.pk


class Reader:
    """The records of one programme ``who`` may see, live (``as_of`` None) or as they stood
    at ``as_of``, as plain dicts fetched once per model (history rows are read as values,
    never built into model instances)."""

    def __init__(
        self, programme: Programme, as_of: dt.datetime | None, who: Principal = OPERATOR
    ) -> None:
        self.programme = programme
        self.as_of = as_of
        self.who = who
        self._open = in_scope(programme, who)
        self._cache: dict[type[models.Model], list[Record]] = {}
        # Every record read at this moment, visible or not: parents are decided from it.
        self._raw: dict[type[models.Model], dict[Any, Record]] = defaultdict(dict)
        self._missing: dict[type[models.Model], set[Any]] = defaultdict(set)

    # -- reading -----------------------------------------------------------------------

    def all(self, model: type[models.Model]) -> list[Record]:
        """Every visible record of ``model`` in the programme."""
        if model not in self._cache:
            if model is Programme:
                found = self.where(model, id=self.programme.pk)
            else:
                found = self.where(model, programme_id=self.programme.pk)
            self._cache[model] = found
        return self._cache[model]

    def children(
        self, model: type[models.Model], fk: str, parent_ids: Iterable[Any]
    ) -> dict[Any, list[Record]]:
        """Visible records of ``model`` whose ``fk`` is one of ``parent_ids``, by parent."""
        attname = f"{fk}_id"
        grouped: dict[Any, list[Record]] = defaultdict(list)
        wanted = set(parent_ids)
        if wanted:
            for record in self.where(model, **{f"{attname}__in": wanted}):
                grouped[record[attname]].append(record)
        return grouped

    def name(self, model: type[models.Model], pk: Any) -> Any:
        """The natural key of a record another one points at — only where ``who`` may see
        that record (a linked organisation's name included); None otherwise."""
        target = self.record(model, pk)
        if target is None or not self._may_see(model, target):
            return None
        natural = getattr(model, "NATURAL_KEY", None) or ("order" if "order" in target else "id")
        return target[natural]

    def record(self, model: type[models.Model], pk: Any) -> Record | None:
        """One record as it stood at the moment, visible or not (for deciding parents)."""
        if pk is None:
            return None
        known = self._raw[model].get(pk)
        if known is None and pk not in self._missing[model]:
            self._fetch(model, id=pk)
            known = self._raw[model].get(pk)
            if known is None:
                self._missing[model].add(pk)
        return known

    def prefetch(self, model: type[models.Model], ids: Iterable[Any]) -> None:
        """Read at once the records among ``ids`` not read yet, so that naming or deciding
        them later takes no query of its own."""
        known, missing = self._raw[model], self._missing[model]
        wanted = {pk for pk in ids if pk is not None and pk not in known and pk not in missing}
        if wanted:
            self._fetch(model, id__in=wanted)
            missing |= wanted - set(known)

    def visible_history_ids(self, model: type[models.Model], **filters: Any) -> list[Any]:
        """For the API: ids (live) or history_ids (as of) of the visible records."""
        key = "id" if self.as_of is None else "history_id"
        return [record[key] for record in self.where(model, **filters)]

    # -- internals -----------------------------------------------------------------------

    def where(self, model: type[models.Model], **filters: Any) -> list[Record]:
        """The visible records of ``model`` (in any programme) that match ``filters``."""
        if not self._open:
            return []
        records = self._fetch(model, **filters)
        return [record for record in records if self._may_see(model, record)]

    def _may_see(self, model: type[models.Model], record: Record) -> bool:
        return may_see(model, record, self.who, self.record)

    def _fetch(self, model: type[models.Model], **filters: Any) -> list[Record]:
        names = [field.attname for field in model._meta.concrete_fields]
        if self.as_of is None or not hasattr(model, "history"):  # no history: accounts
            queryset: Any = model._default_manager.filter(**filters)
        elif set(filters) <= {"id", "id__in"}:
            return self._fetch_by_id(model, names, filters)
        else:
            names.append("history_id")
            history: Any = model.history
            # Filter after picking each record's latest row: inside the subquery a programme
            # filter would steer the database away from the (id) index.
            queryset = (
                history.filter(history_date__lte=self.as_of)
                .latest_of_each()
                .exclude(history_type="-")
                .filter(**filters)
            )
        return self._remember(model, sorted(queryset.values(*names), key=sort_key(model)))

    def _fetch_by_id(
        self, model: type[models.Model], names: list[str], filters: dict[str, Any]
    ) -> list[Record]:
        """Named records as of the moment: their rows up to it, read in order, the last of
        each kept — several times faster than a correlated "latest row" subquery on long
        histories (SQLite above all), and what a page reading its own records asks."""
        history: Any = model.history  # type: ignore[attr-defined]
        rows = history.filter(history_date__lte=self.as_of, **filters).order_by(
            "id", "history_date", "history_id"
        )
        last: dict[Any, Record] = {}
        for row in rows.values(*names, "history_id", "history_type"):
            last[row["id"]] = row
        kept = (r for r in last.values() if r.pop("history_type") != "-")
        return self._remember(model, sorted(kept, key=sort_key(model)))

    def _remember(self, model: type[models.Model], records: list[Record]) -> list[Record]:
        """Index what was read, visible or not: parents are decided from it."""
        index = self._raw[model]
        for record in records:
            index.setdefault(record["id"], record)
        return records


def sort_key(model: type[models.Model]) -> Any:
    """The model's ordering, applied to plain records (None last), then id."""
    names = [name.lstrip("-") for name in model._meta.ordering or () if isinstance(name, str)]
    attnames = [model._meta.get_field(name).attname for name in names]  # type: ignore[union-attr]

    def key(record: Record) -> tuple[Any, ...]:
        values = [record[a] for a in attnames]
        return (*((v is None, v if v is not None else 0) for v in values), record["id"])

    return key


# -- history rows, each at its own moment ----------------------------------------------------


class _Timelines:
    """Every history row of the parents in question, so that a parent can be looked up as
    it stood at any moment (one query per parent model)."""

    def __init__(self) -> None:
        self._rows: dict[type[models.Model], dict[Any, list[Record]]] = {}
        self._dates: dict[type[models.Model], dict[Any, list[tuple[dt.datetime, int]]]] = {}

    def load(self, model: type[models.Model], ids: Iterable[Any]) -> None:
        wanted = {pk for pk in ids if pk is not None} - set(self._rows.get(model, {}))
        rows = self._rows.setdefault(model, {})
        dates = self._dates.setdefault(model, {})
        for pk in wanted:
            rows.setdefault(pk, [])
            dates.setdefault(pk, [])
        if not wanted:
            return
        history: Any = model.history  # type: ignore[attr-defined]
        names = [field.attname for field in model._meta.concrete_fields]
        names += ["history_id", "history_date", "history_type"]
        found = history.filter(id__in=wanted).order_by("history_date", "history_id").values(*names)
        for row in found:
            rows[row["id"]].append(row)
            dates[row["id"]].append((row["history_date"], row["history_id"]))

    def of(self, model: type[models.Model], pk: Any) -> list[Record]:
        """Every loaded row of one record, oldest first."""
        return self._rows.get(model, {}).get(pk, [])

    def at(self, model: type[models.Model], pk: Any, moment: tuple[dt.datetime, int]) -> Any:
        rows = self._rows.get(model, {}).get(pk)
        if not rows:
            return None
        index = bisect.bisect_right(self._dates[model][pk], moment) - 1
        if index < 0 or rows[index]["history_type"] == "-":
            return None
        return rows[index]


_LAST = 2**63 - 1


def visible_history(model: type[models.Model], rows: list[Any], who: Principal) -> list[Any]:
    """The history rows (model instances or value dicts of ``model.history``) that ``who``
    may see, each decided as the record and its parents stood when the row was written."""
    if full_access(who) or not rows:
        return list(rows)
    if not classified(model):
        return []
    timelines = _Timelines()
    chain = _parent_chain(model)
    values = [_as_dict(row) for row in rows]
    # Load parents level by level: a grandparent's ids are known once its children are.
    current = values
    for parent_model, attname in chain:
        timelines.load(parent_model, (record.get(attname) for record in current))
        current = [
            parent for record in current for parent in timelines.of(parent_model, record[attname])
        ]
    kept = []
    for row, record in zip(rows, values, strict=True):
        # Parents as they stood when the row was written (their rows of the same instant
        # included: a report and its lines are saved together).
        moment = (record["history_date"], _LAST)

        def lookup(parent_model: type[models.Model], pk: Any, moment: Any = moment) -> Any:
            return timelines.at(parent_model, pk, moment)

        if may_see(model, record, who, lookup):
            kept.append(row)
    return kept


def _parent_chain(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """(parent model, the child's foreign-key attname) up the access chain."""
    chain = []
    current = model
    for prefix in shape_of(model).chain[1:]:
        name = prefix[:-2].rsplit("__", 1)[-1]
        field = current._meta.get_field(name)
        parent: type[models.Model] = field.related_model  # type: ignore[assignment]
        chain.append((parent, f"{name}_id"))
        current = parent
    return chain


def _as_dict(row: Any) -> Record:
    if isinstance(row, dict):
        return row
    names = [field.attname for field in type(row)._meta.concrete_fields]
    return {name: getattr(row, name) for name in names}


def states_at(
    model: type[models.Model], moments: list[dt.datetime], who: Principal, **filters: Any
) -> list[list[Record]]:
    """For each moment (oldest first), the records of ``model`` matching ``filters`` as they
    stood then and as ``who`` may see them, each decided with its parents as they stood at
    that moment — what a ``Reader`` at each moment reads, from one query per model
    (``model``'s history rows, then its parents' timelines) rather than one per moment."""
    history: Any = model.history  # type: ignore[attr-defined]
    names = [field.attname for field in model._meta.concrete_fields]
    rows = history.filter(**filters).order_by("id", "history_date", "history_id")
    by_record: dict[Any, list[Record]] = defaultdict(list)
    for row in rows.values(*names, "history_id", "history_date", "history_type"):
        by_record[row["id"]].append(row)
    out: list[list[Record]] = [[] for _ in moments]
    for timeline in by_record.values():
        index = 0  # the rows up to each moment, walked once per record
        for slot, moment in enumerate(moments):
            while index < len(timeline) and timeline[index]["history_date"] <= moment:
                index += 1
            if index and timeline[index - 1]["history_type"] != "-":
                out[slot].append(timeline[index - 1])
    if full_access(who):
        return [sorted(found, key=sort_key(model)) for found in out]
    if not classified(model):
        return [[] for _ in moments]
    timelines = _Timelines()
    current = [row for found in out for row in found]
    for parent_model, attname in _parent_chain(model):
        timelines.load(parent_model, (record.get(attname) for record in current))
        current = [
            parent for record in current for parent in timelines.of(parent_model, record[attname])
        ]
    kept = []
    for moment, found in zip(moments, out, strict=True):

        def lookup(parent_model: type[models.Model], pk: Any, at: Any = (moment, _LAST)) -> Any:
            return timelines.at(parent_model, pk, at)

        kept.append(
            sorted((r for r in found if may_see(model, r, who, lookup)), key=sort_key(model))
        )
    return kept
