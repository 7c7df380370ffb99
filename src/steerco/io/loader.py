"""`steerco load DIR`: a programme directory into the database, all or nothing.

Every record is written through the model layer, so each write lands in history with the
loader as actor; values the pack states for earlier meetings are written at those
meetings' cut-offs, so that "as of PSG-23" is real history, not a copy of today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models.fields.related import ForeignKey
from django.db.models.fields.reverse_related import ManyToOneRel
from django.utils.dateparse import parse_datetime

from steerco import registers
from steerco.core.history import acting
from steerco.core.models import Meeting, Programme, Stated
from steerco.io import yamlfile
from steerco.io.yamlfile import Mapping
from steerco.milestones.models import TimetableInterval
from steerco.organisations.models import Organisation

RESERVED = {"history", "body_file"}


class LoadError(Exception):
    """A fault in a programme directory, located by file, row, line and field."""

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        ref: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.file, self.row, self.ref, self.line, self.field = file, row, ref, line, field
        self.message = message
        parts = [file]
        if row is not None:
            parts.append(f"row {row}" + (f" ({ref})" if ref else ""))
        if line is not None:
            parts.append(f"line {line}")
        if field is not None:
            parts.append(f"field '{field}'")
        super().__init__(", ".join(parts) + f": {message}")


@dataclass
class Where:
    file: str
    row: int | None = None
    ref: str | None = None
    line: int | None = None

    def error(self, message: str, field: str | None = None) -> LoadError:
        return LoadError(
            self.file, message, row=self.row, ref=self.ref, line=self.line, field=field
        )


@dataclass
class LoadResult:
    programme: Programme
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


Progress = Callable[[str, int], None]


def load(
    directory: Path,
    *,
    actor: str,
    replace: bool = False,
    progress: Progress | None = None,
) -> LoadResult:
    """Load ``directory``; on any fault raise LoadError and leave the database unchanged."""
    if not directory.is_dir():
        raise LoadError(str(directory), "not a directory")
    data = _read_all(directory)
    with transaction.atomic():
        return _Loader(directory, data, actor, progress).run(replace)


def _read_all(directory: Path) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ["programme.yaml", *registers.files()]:
        path = directory / name
        if not path.exists():
            if name in ("programme.yaml", "meetings.yaml"):
                raise LoadError(name, "missing: every programme directory needs it")
            continue
        try:
            content = yamlfile.read(path)
        except yamlfile.YamlError as error:
            raise LoadError(name, str(error).split(": ", 1)[1], line=error.line) from None
        if content is None:
            content = Mapping()
        if not isinstance(content, dict):
            raise LoadError(name, "must be a mapping of section name to a list of records")
        known = {r.key for r in registers.FILED if r.file == name} | (
            {"programme"} if name == "programme.yaml" else set()
        )
        for key in content:
            if key not in known:
                raise LoadError(
                    name, f"unknown section '{key}' (known: {', '.join(sorted(known))})"
                )
        data[name] = content
    return data


class _Loader:
    def __init__(
        self, directory: Path, data: dict[str, Any], actor: str, progress: Progress | None
    ) -> None:
        self.directory = directory
        self.data = data
        self.actor = actor
        self.reason = f"load {directory.name}"
        self.progress = progress
        self.index: dict[tuple[type[models.Model], str], models.Model] = {}
        self.cutoffs: dict[str, dt.datetime] = {}
        self.counts: dict[str, int] = {}
        self.programme: Programme

    @classmethod
    def for_programme(cls, programme: Programme, actor: str, reason: str) -> _Loader:
        """A writer for records of an already loaded programme (used by imports): its
        references resolve against what the database holds."""
        writer = cls(Path("."), {}, actor, None)
        writer.reason = reason
        writer.programme = programme
        for meeting in Meeting.objects.filter(programme=programme):
            if meeting.cutoff is not None:
                writer.cutoffs[meeting.code] = meeting.cutoff
        for register in registers.FILED:
            for instance in register.model._default_manager.filter(programme=programme):
                for key in _index_keys(instance):
                    writer.index.setdefault((register.model, key), instance)
        for interval in TimetableInterval.objects.filter(timetable__programme=programme):
            writer.index.setdefault(
                (TimetableInterval, next(iter(_index_keys(interval)))), interval
            )
        return writer

    # -- the whole load -------------------------------------------------------------

    def run(self, replace: bool) -> LoadResult:
        self.programme = self._programme(replace)
        for section in registers.FILED:
            records = self.data.get(section.file, {}).get(section.key, [])
            if records is None:
                continue
            if not isinstance(records, list):
                raise LoadError(section.file, f"section '{section.key}' must be a list")
            for row, record in enumerate(records, start=1):
                self._record(section, row, record)
            if self.progress:
                self.progress(f"{section.file}: {section.key}", len(records))
        return LoadResult(self.programme, self.counts)

    def _programme(self, replace: bool) -> Programme:
        where = Where("programme.yaml")
        record = self.data["programme.yaml"].get("programme")
        if not isinstance(record, dict):
            raise where.error("needs a 'programme' mapping")
        code = record.get("code")
        existing = Programme.objects.filter(code=code).first()
        if existing is not None:
            if not replace:
                raise where.error(
                    f"programme '{code}' is already loaded; use --replace to load it afresh",
                    "code",
                )
            purge(existing)
        meetings = self.data["meetings.yaml"].get("meetings") or []
        cutoffs = [_as_datetime(m.get("cutoff")) for m in meetings if isinstance(m, dict)]
        start = min((c for c in cutoffs if c is not None), default=None)
        if start is None:
            raise LoadError("meetings.yaml", "no meeting with a cut-off (ISO datetime)")
        programme = Programme()
        self._assign(programme, record, where)
        self._save(programme, where, start)
        return programme

    # -- one record -----------------------------------------------------------------

    def _record(self, section: registers.Register, row: int, record: Any) -> None:
        model = section.model
        where = Where(section.file, row)
        if not isinstance(record, dict):
            raise where.error("a record must be a mapping of field to value")
        where.line = getattr(record, "line", None)
        natural = getattr(model, "NATURAL_KEY", None)
        if natural and record.get(natural) is not None:
            where.ref = str(record[natural])
        states = self._states(model, record, where)
        instance = model()
        if _has_field(model, "programme"):
            instance.programme = self.programme  # type: ignore[attr-defined]
        if _has_field(model, "order") and "order" not in record:
            instance.order = row  # type: ignore[attr-defined]
        for at, code, values in states:
            self._assign(instance, _stated_for(model, values, code), where)
            self._save(instance, where, at)
        if model is Meeting and instance.cutoff is not None:  # type: ignore[attr-defined]
            self.cutoffs[instance.code] = instance.cutoff  # type: ignore[attr-defined]
        self._children(instance, record, where, states[-1][0], stated_for=states[-1][1])

    def _states(
        self, model: type[models.Model], record: dict[str, Any], where: Where
    ) -> list[tuple[dt.datetime, str, dict[str, Any]]]:
        """The successive states to write, each with the meeting it is stated for: stated
        earlier values, then the record itself (the current meeting's)."""
        if model is Meeting:
            return [(self._programme_start(), "", _scalars(model, record))]
        code = self.programme.current_meeting_code
        current = self._cutoff(code, where, "history")
        history = record.get("history") or {}
        if not isinstance(history, dict):
            raise where.error("must map meeting codes to stated values", "history")
        identity: tuple[str, ...] | None = getattr(model, "IDENTITY_FIELDS", None)
        if history and identity is None:
            raise where.error(f"{model.__name__} keeps no earlier states", "history")
        earlier = sorted(
            (
                (self._cutoff(name, where, "history"), name, values)
                for name, values in history.items()
            ),
            key=lambda item: item[0],
        )
        states: list[tuple[dt.datetime, str, dict[str, Any]]] = []
        for at, was, values in earlier:
            if at >= current:
                raise where.error(f"meeting {was} is not before the current meeting", "history")
            if not isinstance(values, dict):
                raise where.error(f"history of {was} must be a mapping", "history")
            base = {k: record[k] for k in identity or () if k in record} if not states else {}
            states.append((at, str(was), {**base, **values}))
        states.append((current, code, _scalars(model, record)))
        return states

    def _children(
        self,
        parent: models.Model,
        record: dict[str, Any],
        where: Where,
        at: dt.datetime,
        *,
        stated_for: str = "",
    ) -> None:
        """Write a record's children; ``stated_for``: the meeting the parent's file states
        them for (the loader's; an import leaves it to the row, else the model)."""
        accessors = _children_of(type(parent))
        for key, value in record.items():
            if key not in accessors:
                continue
            rel = accessors[key]
            if not isinstance(value, list):
                raise where.error("children must be a list", key)
            child_model: type[models.Model] = rel.related_model  # type: ignore[assignment]
            for position, item in enumerate(value, start=1):
                child_where = Where(
                    where.file, where.row, where.ref, getattr(item, "line", where.line)
                )
                if isinstance(item, str):
                    item = {"text": item}
                if not isinstance(item, dict):
                    raise child_where.error("a child record must be a mapping or text", key)
                child = child_model()
                setattr(child, rel.field.name, parent)
                if _has_field(child_model, "programme"):
                    child.programme = self.programme  # type: ignore[attr-defined]
                if _has_field(child_model, "order") and "order" not in item:
                    child.order = position  # type: ignore[attr-defined]
                values = _stated_for(child_model, _scalars(child_model, item), stated_for)
                self._assign(child, values, child_where, prefix=f"{key}[{position}].")
                self._save(child, child_where, at)
                self._children(child, item, child_where, at, stated_for=stated_for)

    # -- fields -----------------------------------------------------------------------

    def _assign(
        self, instance: models.Model, values: dict[str, Any], where: Where, prefix: str = ""
    ) -> None:
        model = type(instance)
        for key, value in values.items():
            if key in RESERVED:
                if key == "body_file":
                    instance.body = self._body_file(value, where, prefix)  # type: ignore[attr-defined]
                continue
            try:
                model_field = model._meta.get_field(key)
            except FieldDoesNotExist:
                raise where.error(f"{model.__name__} has no field '{key}'", prefix + key) from None
            if key in ("programme", "id") or not model_field.concrete:
                raise where.error("is set by the loader, not the file", prefix + key)
            if isinstance(model_field, ForeignKey):
                setattr(instance, key, self._resolve(model_field, value, instance, where, prefix))
                continue
            setattr(instance, key, self._convert(model_field, value, where, prefix + key))
        try:
            instance.full_clean(
                exclude=[f.name for f in model._meta.fields if isinstance(f, ForeignKey)],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            raise where.error(
                f"{'; '.join(messages)} (value {getattr(instance, name, None)!r})", prefix + name
            ) from None

    def check_values(
        self, model: type[models.Model], values: dict[str, Any], where: Where
    ) -> dict[str, Any]:
        """``values`` converted and validated field by field, as ``_assign`` would, without
        building a model instance (the fast path of an import's dry run)."""
        fields = _fields_of(model)
        checked: dict[str, Any] = {}
        for key, value in values.items():
            model_field = fields.get(key)
            if model_field is None:
                raise where.error(f"{model.__name__} has no field '{key}'", key)
            if isinstance(model_field, ForeignKey):
                checked[key] = self._resolve(model_field, value, None, where, "")
                continue
            converted = self._convert(model_field, value, where, key)
            try:
                if converted in model_field.empty_values and not model_field.blank:
                    raise ValidationError(model_field.error_messages["blank"])
                model_field.validate(converted, None)
                model_field.run_validators(converted)
            except ValidationError as error:
                raise where.error(f"{'; '.join(error.messages)} (value {value!r})", key) from None
            checked[key] = converted
        for name in _required_of(model):
            if name not in values:
                raise where.error("This field cannot be blank.", name)
        return checked

    def _convert(self, model_field: Any, value: Any, where: Where, name: str) -> Any:
        if isinstance(model_field, models.TimeField) and isinstance(value, int):
            raise where.error('write times in quotes, like "10:05"', name)
        if (
            isinstance(model_field, models.DateField)
            and not isinstance(model_field, models.DateTimeField)
            and isinstance(value, dt.datetime)
        ):
            raise where.error("a date was expected, not a date and time", name)
        if isinstance(model_field, models.DateTimeField) and value is not None:
            value = _as_datetime(value)
            if value is None:
                raise where.error("an ISO date and time was expected", name)
            if value.tzinfo is None:
                raise where.error("a date and time needs its UTC offset, like +01:00", name)
        if isinstance(model_field, models.CharField | models.TextField) and value is None:
            return ""
        if isinstance(model_field, models.CharField | models.TextField) and not isinstance(
            value, str
        ):
            raise where.error(f"text was expected, not {type(value).__name__} {value!r}", name)
        if isinstance(model_field, models.JSONField):
            return value
        if isinstance(model_field, models.DecimalField) and isinstance(value, float):
            value = repr(value)  # the number as written, not its binary approximation
        try:
            return model_field.to_python(value)
        except ValidationError as error:
            raise where.error(f"{'; '.join(error.messages)} (value {value!r})", name) from None

    def _resolve(
        self,
        model_field: ForeignKey[Any, Any],
        value: Any,
        instance: models.Model | None,
        where: Where,
        prefix: str,
    ) -> models.Model | None:
        if value is None:
            if not model_field.null:
                raise where.error("is required", prefix + model_field.name)
            return None
        target: type[models.Model] = model_field.related_model  # type: ignore[assignment]
        key = str(value)
        if target is TimetableInterval:
            timetable_id = getattr(getattr(instance, "activity", None), "timetable_id", None)
            key = f"{timetable_id}:{value}"
        found = self.index.get((target, key))
        if found is None:
            noun = target._meta.verbose_name
            raise where.error(f"no {noun} '{value}' to refer to", prefix + model_field.name)
        return found

    def _body_file(self, value: Any, where: Where, prefix: str) -> str:
        path = (self.directory / str(value)).resolve()
        if self.directory.resolve() not in path.parents:
            raise where.error("must name a file inside the directory", prefix + "body_file")
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise where.error(f"cannot read {value}: {error}", prefix + "body_file") from None

    # -- saving and indexing -----------------------------------------------------------

    def _save(self, instance: models.Model, where: Where, at: dt.datetime) -> None:
        created = instance.pk is None
        with acting(self.actor, self.reason, at=at):
            instance.save()
        if created:
            label = instance._meta.label
            self.counts[label] = self.counts.get(label, 0) + 1
        for key in _index_keys(instance):
            self.index.setdefault((type(instance), key), instance)

    def _programme_start(self) -> dt.datetime:
        first: Any = self.programme.history.earliest("history_date")
        return first.history_date

    def _cutoff(self, code: Any, where: Where, name: str) -> dt.datetime:
        cutoff = self.cutoffs.get(str(code))
        if cutoff is None:
            raise where.error(
                f"no meeting '{code}' with a cut-off in meetings.yaml (an open meeting has none)",
                name,
            )
        return cutoff


def _as_datetime(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return parse_datetime(value)
        except ValueError:
            return None
    return None


def _index_keys(instance: models.Model) -> Iterable[str]:
    if isinstance(instance, TimetableInterval):
        yield f"{instance.timetable_id}:{instance.order}"
        return
    natural = getattr(type(instance), "NATURAL_KEY", None)
    if natural:
        yield str(getattr(instance, natural))
    if isinstance(instance, Organisation):
        yield from (str(alias) for alias in instance.aliases)


def _stated_for(model: type[models.Model], values: dict[str, Any], code: str) -> dict[str, Any]:
    """``values`` stated for the meeting ``code`` where the model keeps stated values and
    the file names no meeting of its own (`steerco.core.models.Stated`)."""
    if not code or "stated_for" in values or not issubclass(model, Stated):
        return values
    return {**values, "stated_for": code}


def _scalars(model: type[models.Model], record: dict[str, Any]) -> dict[str, Any]:
    """The record's own values: everything but its children and its stated history."""
    children = _children_of(model)
    return {k: v for k, v in record.items() if k not in children and k != "history"}


@cache
def _children_of(model: type[models.Model]) -> dict[str, ManyToOneRel]:
    """The children a record of ``model`` keeps (`steerco.registers`), by accessor."""
    return {
        accessor: registers.relation(model, child)
        for accessor, child in registers.children_of(model).items()
    }


@cache
def _fields_of(model: type[models.Model]) -> dict[str, Any]:
    """The fields a file may set: concrete ones, less the loader's own."""
    return {f.name: f for f in model._meta.concrete_fields if f.name not in ("id", "programme")}


@cache
def _required_of(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(
        name
        for name, f in _fields_of(model).items()
        if not f.blank and not f.has_default() and not isinstance(f, ForeignKey)
    )


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def purge(programme: Programme) -> None:
    """Delete a programme with every record and every history row that belongs to it.

    Only for reloading a programme from its directory: everything it held came from there.
    """
    from django.db.models.deletion import Collector

    collector = Collector(using="default")
    collector.collect([programme])
    doomed = {model: [obj.pk for obj in objs] for model, objs in collector.data.items()}
    programme_id = programme.pk
    programme.delete()
    for model, pks in doomed.items():
        history = getattr(model, "history", None)
        if history is None:
            continue
        history.model.objects.filter(id__in=pks).delete()
        if _has_field(model, "programme"):
            history.model.objects.filter(programme_id=programme_id).delete()
