"""Column mappings: another tool's spreadsheet layout onto a steerco register.

A mapping is a small YAML document (or a saved ColumnMapping in the database):

    register: raid
    columns: {Risk ID: ref, Title: description, Owner: owner, Status: status}
    ignore: [Last reviewed]
    values: {status: {Open: open, Closed: closed}}
    date_formats: ["%d/%m/%Y", "%d-%b-%y"]
    score:                      # how the source scores a risk → the 1–30 scale
      target: current_score
      method: product           # probability × impact, rescaled
      columns: {probability: Likelihood, impact: Impact}
      probability: {Rare: 1, Unlikely: 2, Possible: 3, Likely: 4, Almost certain: 5}
      impact: {Minor: 1, Moderate: 2, Major: 3, Severe: 4, Critical: 5}
      max: 25                   # largest product; score = max(1, round(p × i × 30 / max))

Other score methods: ``rating`` (``column`` and ``ratings: {High: 25, Medium: 15, Low: 5}``)
and ``scale`` (``column`` and ``max``: a single score on 1..max, rescaled to 1–30).

A mapping for a plan file (MS Project, P6) has a ``plan`` key too: see ``steerco.io.plans``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

SCORE_METHODS = ("product", "rating", "scale")


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class ScoreRule:
    target: str
    method: str
    columns: dict[str, str] = field(default_factory=dict)
    column: str = ""
    probability: dict[str, int] = field(default_factory=dict)
    impact: dict[str, int] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)
    max: int = 25

    def source_columns(self) -> list[str]:
        return list(self.columns.values()) if self.method == "product" else [self.column]

    def score(self, row: dict[str, Any]) -> int | None:
        """The 1–30 score of a source row (None when its cells are blank)."""
        if self.method == "product":
            p = _level(row.get(self.columns["probability"]), self.probability, "probability")
            i = _level(row.get(self.columns["impact"]), self.impact, "impact")
            if p is None or i is None:
                return None
            return _rescale(Decimal(p * i), self.max)
        raw = row.get(self.column)
        if raw in (None, ""):
            return None
        if self.method == "rating":
            key = str(raw).strip()
            if key not in self.ratings:
                raise MappingError(f"rating '{key}' is not one of {', '.join(self.ratings)}")
            return self.ratings[key]
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise MappingError(f"score '{raw}' is not a number") from None
        if not 0 < value <= self.max:
            raise MappingError(f"score {value} is outside 1–{self.max}")
        return _rescale(value, self.max)


def _level(raw: Any, levels: dict[str, int], what: str) -> int | None:
    if raw in (None, ""):
        return None
    key = str(raw).strip()
    if key in levels:
        return levels[key]
    try:
        number = int(Decimal(key))
    except InvalidOperation:
        raise MappingError(f"{what} '{key}' is not one of {', '.join(levels)}") from None
    if number < 1:
        raise MappingError(f"{what} {number} is below 1")
    return number


def _rescale(value: Decimal, maximum: int) -> int:
    scaled = (value * 30 / maximum).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(1, min(30, int(scaled)))


@dataclass(frozen=True)
class Mapping:
    register: str
    columns: dict[str, str]
    ignore: tuple[str, ...] = ()
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    date_formats: tuple[str, ...] = ()
    score: ScoreRule | None = None
    plan: dict[str, Any] = field(default_factory=dict)  # a plan file's options (io.plans)

    @classmethod
    def parse(cls, data: Any) -> Mapping:
        if not isinstance(data, dict):
            raise MappingError("a mapping must be a YAML mapping")
        known = {"register", "columns", "ignore", "values", "date_formats", "score", "plan"}
        unknown = set(data) - known
        if unknown:
            raise MappingError(f"unknown mapping keys: {', '.join(sorted(unknown))}")
        if not isinstance(data.get("columns"), dict) or not data["columns"]:
            raise MappingError("'columns' must map source column names to field names")
        score = data.get("score")
        rule = None
        if score is not None:
            if not isinstance(score, dict) or score.get("method") not in SCORE_METHODS:
                raise MappingError(f"score.method must be one of {', '.join(SCORE_METHODS)}")
            try:
                rule = ScoreRule(**score)
            except TypeError as error:
                raise MappingError(f"score: {error}") from None
            if rule.method == "product" and set(rule.columns) != {"probability", "impact"}:
                raise MappingError("score.columns must name the probability and impact columns")
            if rule.method != "product" and not rule.column:
                raise MappingError("score.column must name the score column")
            if rule.max < 1:
                raise MappingError("score.max must be at least 1")
        return cls(
            register=str(data.get("register", "")),
            columns={str(k): str(v) for k, v in data["columns"].items()},
            ignore=tuple(str(c) for c in data.get("ignore") or ()),
            values={str(k): dict(v) for k, v in (data.get("values") or {}).items()},
            date_formats=tuple(str(f) for f in data.get("date_formats") or ()),
            score=rule,
            plan=dict(data.get("plan") or {}),
        )

    def apply(self, row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
        """The row in steerco's field names, and which source column each field came from."""
        known = set(self.columns) | set(self.ignore)
        if self.score:
            known |= set(self.score.source_columns())
        unknown = [column for column in row if column not in known]
        if unknown:
            raise MappingError(f"column '{unknown[0]}' is neither mapped nor ignored")
        record: dict[str, Any] = {}
        origin: dict[str, str] = {}
        for column, name in self.columns.items():
            value = row.get(column)
            if name in self.values and value not in (None, ""):
                key = str(value).strip()
                if key not in self.values[name]:
                    raise MappingError(
                        f"'{key}' in column '{column}' is not one of {', '.join(self.values[name])}"
                    )
                value = self.values[name][key]
            record[name] = self._date(value)
            origin[name] = column
        if self.score:
            record[self.score.target] = self.score.score(row)
            origin[self.score.target] = " × ".join(self.score.source_columns())
        return record, origin

    def _date(self, value: Any) -> Any:
        if not isinstance(value, str) or not self.date_formats:
            return value
        for fmt in self.date_formats:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date()
            except ValueError:
                continue
        return value
