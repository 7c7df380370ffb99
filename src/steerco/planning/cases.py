"""A migration case: read from a YAML or JSON file, checked, and held as plain values.

Every fault names the file, the line (YAML) and the record or constraint at fault, so a PMO
editor can mend the file without reading code. The format is described in docs/planning.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from steerco.core.calendar import CalendarError, calendar_for
from steerco.io import yamlfile
from steerco.planning.allocation import Applicant, Readiness, Tranche

CASE_KEYS = {
    "case",
    "synthetic",
    "calendar",
    "start",
    "deadline",
    "allocation_date",
    "capacity",
    "tranches",
    "suppliers",
}
TRANCHE_KEYS = {"name", "executes", "qualifies", "max_size"}
SUPPLIER_KEYS = {
    "name",
    "intention_date",
    "preferred_tranche",
    "group",
    "group_with_related",
    "readiness",
    "drops_out",
    "tranche",
    "portfolio",
}


class CaseError(ValueError):
    pass


@dataclass(frozen=True)
class Step:
    """A daily cap in force from ``start`` until the next step."""

    start: dt.date
    per_day: int


@dataclass(frozen=True)
class Supplier:
    applicant: Applicant
    portfolio: dict[str, int]  # meter points per LDSO

    @property
    def name(self) -> str:
        return self.applicant.name


@dataclass(frozen=True)
class Case:
    name: str
    synthetic: bool
    country: str
    subdivision: str | None
    start: dt.date  # first day on which meter points may migrate
    deadline: dt.date  # last day counted as "by the deadline"
    allocation_date: dt.date  # the day tranches are allocated
    national: tuple[Step, ...]
    ldsos: dict[str, tuple[Step, ...]]
    tranches: tuple[Tranche, ...]
    suppliers: tuple[Supplier, ...]

    @property
    def total(self) -> int:
        return sum(sum(s.portfolio.values()) for s in self.suppliers)


def read_case(path: Path) -> Case:
    try:
        data = yamlfile.read(path)  # JSON is YAML too, so one reader serves both
    except OSError as error:
        raise CaseError(f"{path}: cannot read the case ({error.strerror})") from None
    except yamlfile.YamlError as error:
        raise CaseError(str(error)) from None
    return parse_case(data, path.name)


def read_case_text(content: str | bytes, source: str) -> Case:
    """A case given as the text of a file named ``source`` (an upload, or one stored with a
    plan run): faults name ``source`` and the line as ``read_case`` does."""
    name = Path(source).name or "case"
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CaseError(f"{name}: not UTF-8 text ({error.reason})") from None
    try:
        data = yamlfile.parse(content, Path(name))
    except yamlfile.YamlError as error:
        raise CaseError(str(error)) from None
    return parse_case(data, name)


def parse_case(data: Any, source: str = "case") -> Case:
    """Check a case given as plain data (parsed YAML/JSON) and return it as values."""
    where = _Where(source)
    root = where.mapping(data, "the case", CASE_KEYS)
    start = where.date(root, "start")
    deadline = where.date(root, "deadline")
    if deadline < start:
        raise where.error(root, f"deadline {deadline} is before start {start}")
    calendar = where.mapping(root.get("calendar", {}), "calendar", {"country", "subdivision"})
    country = str(calendar.get("country", "GB"))
    subdivision = calendar.get("subdivision", "ENG")
    try:
        working = calendar_for(country, None if subdivision is None else str(subdivision))
        days = working.working_days_between(start, deadline + dt.timedelta(days=1))
    except CalendarError as error:
        raise where.error(root, f"calendar: {error}") from None
    if days == 0:
        raise where.error(
            root,
            f"impossible case: no working day from start {start} to deadline {deadline}",
        )
    capacity = where.mapping(root.get("capacity"), "capacity", {"national", "ldsos"})
    national = where.steps(capacity, "national", "national cap", start)
    ldso_map = where.mapping(capacity.get("ldsos"), "capacity.ldsos", None)
    if not ldso_map:
        raise where.error(capacity, "capacity.ldsos names no LDSO")
    ldsos = {str(n): where.steps(ldso_map, n, f"cap of LDSO {n!r}", start) for n in ldso_map}
    tranches = tuple(where.tranche(t, deadline) for t in where.items(root, "tranches"))
    names = [t.name for t in tranches]
    suppliers = tuple(where.supplier(s, ldsos, names) for s in where.items(root, "suppliers"))
    needs_rules = any(s.applicant.tranche is None for s in suppliers)
    if needs_rules and "allocation_date" not in root:
        raise where.error(root, "allocation_date is needed: some suppliers have no tranche")
    allocation_date = where.date(root, "allocation_date") if "allocation_date" in root else start
    return Case(
        name=str(root.get("case", source)),
        synthetic=bool(root.get("synthetic", False)),
        country=country,
        subdivision=None if subdivision is None else str(subdivision),
        start=start,
        deadline=deadline,
        allocation_date=allocation_date,
        national=national,
        ldsos=ldsos,
        tranches=tranches,
        suppliers=suppliers,
    )


class _Where:
    """Reading helpers that know the source, so every message names file and line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, record: Any, message: str) -> CaseError:
        line = getattr(record, "line", 0)
        where = f"{self.source}, line {line}" if line else self.source
        return CaseError(f"{where}: {message}")

    def mapping(self, value: Any, what: str, keys: set[str] | None) -> dict[str, Any]:
        if not isinstance(value, MappingABC):
            raise self.error(value, f"{what} must be a mapping")
        if keys is not None:
            unknown = sorted(set(value) - keys)
            if unknown:
                raise self.error(
                    value,
                    f"{what}: unknown field {unknown[0]!r} (known: {', '.join(sorted(keys))})",
                )
        return value  # type: ignore[return-value]

    def items(self, root: dict[str, Any], key: str) -> list[Any]:
        value = root.get(key)
        if not isinstance(value, list) or not value:
            raise self.error(root, f"{key} must be a non-empty list")
        return value

    def date(self, record: dict[str, Any], key: str, what: str = "") -> dt.date:
        value = record.get(key)
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            label = f"{what} {key}".strip()
            raise self.error(
                record, f"{label} must be a date (YYYY-MM-DD), not {value!r}"
            ) from None

    def positive(self, record: Any, value: Any, what: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.error(
                record, f"{what} must be a positive whole number per working day, not {value!r}"
            )
        return value

    def steps(
        self, record: dict[str, Any], key: str, what: str, start: dt.date
    ) -> tuple[Step, ...]:
        value = record.get(key)
        if not isinstance(value, list):
            return (Step(start, self.positive(record, value, what)),)
        steps: list[Step] = []
        for item in value:
            step = self.mapping(item, what, {"from", "per_day"})
            day = self.date(step, "from", what)
            if steps and day <= steps[-1].start:
                raise self.error(step, f"{what}: steps must be in date order ({day})")
            steps.append(Step(day, self.positive(step, step.get("per_day"), f"{what} from {day}")))
        if not steps or steps[0].start > start:
            raise self.error(record, f"{what}: the first step must start by the start {start}")
        return tuple(steps)

    def tranche(self, value: Any, deadline: dt.date) -> Tranche:
        record = self.mapping(value, "tranche", TRANCHE_KEYS)
        name = str(record.get("name", ""))
        if not name:
            raise self.error(record, "a tranche needs a name")
        qualifies = self.date(record, "qualifies", f"tranche {name}")
        if qualifies > deadline:
            raise self.error(
                record,
                f"tranche {name} qualifies {qualifies}, after the deadline {deadline}: "
                "its suppliers could never migrate",
            )
        size = record.get("max_size")
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise self.error(record, f"tranche {name}: max_size must be positive, not {size!r}")
        executes = self.date(record, "executes", f"tranche {name}")
        if qualifies < executes:
            raise self.error(
                record, f"tranche {name} qualifies {qualifies}, before it executes {executes}"
            )
        return Tranche(name, executes, qualifies, size)

    def supplier(
        self, value: Any, ldsos: dict[str, tuple[Step, ...]], tranches: list[str]
    ) -> Supplier:
        record = self.mapping(value, "supplier", SUPPLIER_KEYS)
        name = str(record.get("name", ""))
        if not name:
            raise self.error(record, "a supplier needs a name")
        what = f"supplier {name!r}"
        portfolio = self.mapping(record.get("portfolio"), f"{what}: portfolio", None)
        counts: dict[str, int] = {}
        for ldso, count in portfolio.items():
            if ldso not in ldsos:
                raise self.error(
                    record,
                    f"{what}: portfolio on unknown LDSO {ldso!r} "
                    f"(capacity.ldsos has {', '.join(sorted(ldsos))})",
                )
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise self.error(
                    record, f"{what}: portfolio on {ldso} must be a whole number ≥ 0, not {count!r}"
                )
            counts[str(ldso)] = count
        applicant = self.applicant(record, name, what)
        for field in ("preferred_tranche", "tranche"):
            value = getattr(applicant, field)
            if value is not None and value not in tranches:
                raise self.error(
                    record, f"{what}: {field} {value!r} is not a tranche ({', '.join(tranches)})"
                )
        return Supplier(applicant, counts)

    def applicant(self, record: dict[str, Any], name: str, what: str) -> Applicant:
        readiness = None
        if "readiness" in record:
            evidence = self.mapping(
                record["readiness"], f"{what}: readiness", {"assessment", "pit_complete_by"}
            )
            pit = evidence.get("pit_complete_by")
            readiness = Readiness(
                assessment=str(evidence.get("assessment", "")).lower(),
                pit_complete_by=None if pit is None else self.date(evidence, "pit_complete_by"),
            )
        intention = record.get("intention_date")
        if not intention and not record.get("tranche"):
            raise self.error(record, f"{what}: intention_date is needed to allocate a tranche")
        return Applicant(
            name=name,
            intention_date=(
                self.date(record, "intention_date", what) if intention else dt.date.min
            ),
            preferred_tranche=_text(record.get("preferred_tranche")),
            group=_text(record.get("group")),
            group_with_related=bool(record.get("group_with_related", False)),
            readiness=readiness,
            drops_out=self.date(record, "drops_out", what) if record.get("drops_out") else None,
            tranche=_text(record.get("tranche")),
        )


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)
