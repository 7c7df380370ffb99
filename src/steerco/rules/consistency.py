"""Consistency rules: what one meeting's pack states twice, or against itself, or against
the programme's record. Each names in its record the meeting whose pack it concerns, and
reads only that meeting's papers (its delivery reports and narrative) with the registers as
frozen at its cut-off. Settings: `steerco.rules.frame.ConsistencyConfig`.

- ``stated-twice``: one item (a decision, an escalation, a RAID entry, a milestone; an
  action; an organisation's status) stated in two places of one report (or two tables of the
  pack) with different dates or values.
- ``impossible-date``: a date whose year lies outside the programme's span, give or take a
  margin, in a date field or written in prose.
- ``milestone-order``: a milestone list meant to be in date order with one entry out of it
  (see `_order`).
- ``report-overdue``: a report's decision, escalation or RAID action whose date has passed
  at the meeting and that is not closed.
- ``report-milestone``: a report's date for a programme milestone (named by its code, its
  M-number, its title or an alias) that differs from the programme's record, baseline
  against baseline and forecast against forecast.
- ``near-organisation-name``: a name written in prose or a table close to, but not, an
  organisation's name or alias (`steerco.rules.names`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import Any

from steerco.io.exporter import Row
from steerco.rules import prose_dates
from steerco.rules.derived import Source, _date, of_meeting
from steerco.rules.findings import WARNING, Finding, _fmt, check_rule
from steerco.rules.names import NameIndex, common_words

# The registers whose text and dates a meeting's pack prints, beside its reports and
# narrative, and how a row of each is named.
TEXT_REGISTERS = {
    "milestones": ("milestone", "code"),
    "actions": ("action", "ref"),
    "raid": ("RAID item", "ref"),
    "changes": ("change request", "ref"),
    "decisions": ("decision", "ref"),
    "code-drafting": ("code drafting", "name"),
    "sit-areas": ("SIT area", "area"),
    "provider-statuses": ("provider status", "stated_name"),
}
# Fields that name or classify rather than state (compared elsewhere, or not prose).
NOT_PROSE = {"classification", "status", "type", "direction", "table", "kind", "stated_name"}
# A report's child lists that state items with a date, each with its text and date fields.
REPORT_ITEMS = {
    "decisions": ("description", "by_when_stated"),
    "escalations": ("text", "by_when_stated"),
    "raid": ("description", "due_stated"),
}
PLACE = {
    "decisions:required": "decisions required from others",
    "decisions:own": "decisions to be made by the party",
    "escalations": "escalations",
    "raid": "RAID",
    "milestones": "milestones",
}


def _meeting(frame: Source) -> str:
    return frame.meeting_code or "live"


def _reports(frame: Source) -> list[Row]:
    """The delivery reports of the frame's meeting (every report, for the live state)."""
    return of_meeting(frame, frame.rows("reports"), "meeting")


def _report_record(report: Row, what: str = "") -> str:
    record = f"{report['meeting']}: delivery report '{report['title']}'"
    return f"{record}: {what}" if what else record


def _key(text: str) -> str:
    """An item's text with case, punctuation and spacing ignored."""
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def _short(text: str, length: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


# -- the same item stated twice ----------------------------------------------------------------


def _report_items(report: Row) -> Iterator[tuple[str, str, dict[str, str]]]:
    """(place, text, {what: value}) of each dated item a report states."""
    for name, (text, when) in REPORT_ITEMS.items():
        for item in report.get(name) or ():
            place = f"{name}:{item['direction']}" if name == "decisions" else name
            yield place, item[text], {"date": item[when]}
    for milestone in report.get("milestones") or ():
        values = {}
        for column in ("baseline", "forecast"):
            day = _date(milestone[f"{column}_date"])
            values[column] = day.isoformat() if day else milestone[f"{column}_stated"]
        yield "milestones", milestone["name"], values


def _same_value(one: str, other: str) -> bool:
    if not one or not other:
        return True  # an unstated value contradicts nothing
    days = _as_day(one), _as_day(other)
    if None not in days:
        return days[0] == days[1]
    return _key(one) == _key(other)


def _as_day(text: str) -> dt.date | None:
    """The day a value states: an ISO date (a date field's) or one written as packs do."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return prose_dates.parse(text)


@check_rule
def stated_twice(frame: Source) -> Iterator[Finding]:
    for report in _reports(frame):
        seen: dict[str, tuple[str, str, dict[str, str]]] = {}
        for place, text, values in _report_items(report):
            key = _key(text)
            if not key:
                continue
            first = seen.setdefault(key, (place, text, values))
            if first[2] is values:
                continue
            for what, value in values.items():
                earlier = first[2].get(what, "")
                if not _same_value(earlier, value):
                    yield _twice(
                        _report_record(report, _short(text)),
                        what,
                        (earlier, PLACE[first[0]]),
                        (value, PLACE[place]),
                    )
    yield from _twice_in_tables(frame)


def _twice_in_tables(frame: Source) -> Iterator[Finding]:
    meeting = _meeting(frame)
    statuses: dict[str, Row] = {}
    for row in frame.rows("provider-statuses"):
        key = row["organisation"] or _key(row["stated_name"])
        first = statuses.setdefault(key, row)
        if first is not row and first["table"] != row["table"] and first["rag"] != row["rag"]:
            yield _twice(
                f"{meeting}: provider status of {row['organisation'] or row['stated_name']}",
                "RAG",
                (first["rag"], f"the {first['table']} table"),
                (row["rag"], f"the {row['table']} table"),
            )
    actions: dict[str, Row] = {}
    for row in frame.rows("actions"):
        first = actions.setdefault(_key(row["text"]), row)
        due = [_date(r["due_date"]) or r["due_text"] for r in (first, row)]
        if first is not row and all(due) and due[0] != due[1]:
            yield _twice(
                f"{meeting}: action '{_short(row['text'])}'",
                "due date",
                (str(due[0]), f"action {first['ref']}"),
                (str(due[1]), f"action {row['ref']}"),
            )


def _twice(record: str, what: str, first: tuple[str, str], second: tuple[str, str]) -> Finding:
    return Finding(
        WARNING,
        "stated-twice",
        record,
        f"one {what}: {first[0]} ({first[1]})",
        f"{second[0]} ({second[1]})",
        f"The same item is stated twice with different {what}s: {first[0]} in the "
        f"{first[1]}, {second[0]} in the {second[1]}.",
    )


# -- dates that cannot be right ----------------------------------------------------------------


def _span(frame: Source) -> tuple[int, int, str] | None:
    """The first and last years a date of the programme may have, and what they come from."""
    config = frame.config.consistency
    days = [_date(m["date"]) for m in frame.rows("meetings")]
    known = [d for d in days if d is not None]
    start = config.span_start or (min(known) if known else None)
    end = config.span_end or (max(known) if known else None)
    if start is None or end is None:
        return None
    source = "as configured" if config.span_start and config.span_end else "its meetings"
    margin = config.span_margin_years
    return (
        start.year - margin,
        end.year + margin,
        f"the programme's span {start.year}–{end.year} ({source}) ± {margin} years",
    )


def _texts(frame: Source) -> Iterator[tuple[str, str, Row]]:
    """(meeting, record, row) of every row whose text and dates the meeting's pack prints:
    its reports (with their children), the registers it prints and its narrative."""
    meeting = _meeting(frame)
    for report in _reports(frame):
        yield report["meeting"], _report_record(report), report
    for register, (noun, key) in TEXT_REGISTERS.items():
        for row in frame.rows(register):
            yield meeting, f"{meeting}: {noun} {row[key]}", row
    for section in frame.narrative():
        yield meeting, f"{meeting}: narrative '{section['title']}'", section


def _fields(row: Row, path: str = "") -> Iterator[tuple[str, str, Any, Row]]:
    """(field path, field name, value, the row holding it) of every field of a row and its
    children: ("milestones 2 forecast stated", "forecast_stated", "TBC", the milestone)."""
    for name, value in row.items():
        if isinstance(value, list):
            for n, child in enumerate(value, 1):
                if isinstance(child, dict):
                    yield from _fields(child, f"{path}{name} {child.get('order', n)} ")
        else:
            yield f"{path}{name}".replace("_", " "), name, value, row


@check_rule
def impossible_dates(frame: Source) -> Iterator[Finding]:
    span = _span(frame)
    if span is None:
        return
    low, high, described = span
    for _, record, row in _texts(frame):
        for field, name, value, holder in _fields(row):
            if isinstance(value, dt.date) or (name.endswith("date") and value):
                day = _day(value)
                if day and not low <= day.year <= high:
                    yield _impossible(record, field, _fmt(day), day.year, low, high, described)
            elif isinstance(value, str) and value and name not in NOT_PROSE:
                dated = name.removesuffix("_stated") + "_date"
                if name.endswith("_stated") and _date(holder.get(dated)):
                    continue  # the date field says it, parsed
                for stated in prose_dates.find(value):
                    if not low <= stated.year <= high:
                        yield _impossible(
                            record, field, stated.text, stated.year, low, high, described
                        )


def _day(value: Any) -> dt.date | None:
    try:
        return _date(value)
    except ValueError:  # a field named like a date holding words
        return None


def _impossible(
    record: str, field: str, text: str, year: int, low: int, high: int, described: str
) -> Finding:
    return Finding(
        WARNING,
        "impossible-date",
        record,
        f"a year from {low} to {high}",
        f"'{text}' ({field})",
        f"The {field} states year {year}, outside {described}.",
    )


# -- a milestone list out of date order --------------------------------------------------------


def _order(names: list[str], days: list[dt.date], min_step: int) -> tuple[int, int] | None:
    """The one step back of a list meant to be in date order, as (earlier, later) indexes:
    a list is meant to be in date order when exactly one step goes back and leaving out one
    of its two entries puts the whole list in order; the step must go back more than
    ``min_step`` days (less may be a list grouped by theme). A list naming one milestone
    twice is several lists (one per route), not one sequence."""
    if len({_key(n) for n in names}) != len(names):
        return None
    back = [i for i in range(1, len(days)) if days[i] < days[i - 1]]
    if len(back) != 1:
        return None
    i = back[0]
    if (days[i - 1] - days[i]).days <= min_step:
        return None
    for left_out in (i, i - 1):
        rest = days[:left_out] + days[left_out + 1 :]
        if all(a <= b for a, b in pairwise(rest)):
            return i - 1, i
    return None


def _lists(frame: Source) -> Iterator[tuple[str, list[Row], str, str]]:
    """(record, entries, name field, date field prefix) of each milestone list."""
    for report in _reports(frame):
        yield _report_record(report, "milestones"), report.get("milestones") or [], "name", ""
    meeting = _meeting(frame)
    yield f"{meeting}: code drafting milestones", frame.rows("code-drafting"), "name", "code"


@check_rule
def milestone_order(frame: Source) -> Iterator[Finding]:
    config = frame.config.consistency
    for record, entries, name_field, kind in _lists(frame):
        columns = ("target", "forecast") if kind == "code" else ("baseline", "forecast")
        for column in columns:
            dated = [(e[name_field], _date(e[f"{column}_date"])) for e in entries]
            listed = [(n, d) for n, d in dated if d is not None]
            if len(listed) < config.order_min_entries:
                continue
            names, days = [n for n, _ in listed], [d for _, d in listed]
            step = _order(names, days, config.order_min_step_days)
            if step is None:
                continue
            before, after = step
            yield Finding(
                WARNING,
                "milestone-order",
                record,
                f"{column} dates in the list's order, as its other {len(days) - 2} are",
                f"'{names[after]}' {_fmt(days[after])} after '{names[before]}' "
                f"{_fmt(days[before])}",
                f"The {column} dates go back {(days[before] - days[after]).days} days from "
                f"'{_short(names[before], 40)}' to '{_short(names[after], 40)}', in a list "
                "otherwise in date order.",
            )


# -- a report's dated items overdue at the meeting ---------------------------------------------


@check_rule
def report_overdue(frame: Source) -> Iterator[Finding]:
    closed = frame.config.consistency.closed_words
    for report in _reports(frame):
        for name, (text_field, when_field) in REPORT_ITEMS.items():
            for item in report.get(name) or ():
                stated = item[when_field]
                due = prose_dates.parse(stated) if stated else None
                if due is None or due >= frame.today or _closed(item, closed):
                    continue
                place = PLACE[f"{name}:{item['direction']}" if name == "decisions" else name]
                yield Finding(
                    WARNING,
                    "report-overdue",
                    _report_record(report, _short(item[text_field])),
                    f"done or closed by {_fmt(due)}",
                    f"still listed at {_fmt(frame.today)}",
                    f"The report's {place} list this with a date ('{stated}') the meeting "
                    "is past, and does not say it is closed.",
                )


def _closed(item: Row, words: Iterable[str]) -> bool:
    if item.get("rag") in ("blue", "grey"):
        return True
    text = " ".join(str(item.get(f) or "") for f in ("description", "action", "text"))
    return any(re.search(rf"\b{re.escape(word)}\b", text) for word in words)


# -- a report's date for a programme milestone -------------------------------------------------

_M_TITLE = re.compile(r"\((M\d+)\)")
_M_NAME = re.compile(r"\b(M\d+)\b")
_CODE = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+")  # T1-TE-1000: a code-like word
_STOP = {"and", "for", "of", "the", "to", "a", "in", "on", "incl", "with", "by"}


class _Milestones:
    """The programme's milestones by what a report may call them."""

    def __init__(self, rows: list[Row], aliases: dict[str, tuple[str, ...]]) -> None:
        self.by_code = {row["code"]: row for row in rows}
        self.by_m = {}
        self.by_title = {}
        for row in rows:
            match = _M_TITLE.search(row["title"])
            if match:
                self.by_m[match.group(1)] = row
            self.by_title[_key(row["title"])] = row
        for code, names in aliases.items():
            for name in names:
                if code in self.by_code:
                    self.by_title[_key(name)] = self.by_code[code]
        self.words = [(set(_key(row["title"]).split()) - _STOP, row) for row in rows]

    def named(self, name: str) -> tuple[Row, str] | None:
        """The programme milestone a report's name means, and how it names it."""
        for code in _CODE.findall(name):
            if code in self.by_code:
                return self.by_code[code], code
        match = _M_NAME.search(name)
        if match and match.group(1) in self.by_m:
            return self.by_m[match.group(1)], match.group(1)
        key = _key(name)
        if key in self.by_title:
            return self.by_title[key], "its title"
        mine = set(key.split()) - _STOP
        if len(mine) >= 3:
            holding = [row for title, row in self.words if mine <= title]
            if len(holding) == 1:
                return holding[0], "its title's words"
        return None


@check_rule
def report_milestones(frame: Source) -> Iterator[Finding]:
    reports = _reports(frame)
    if not any(r.get("milestones") for r in reports):
        return
    index = _Milestones(frame.rows("milestones"), frame.config.consistency.milestone_aliases)
    for report in reports:
        for milestone in report.get("milestones") or ():
            named = index.named(milestone["name"])
            if named is None:
                continue
            programme, how = named
            for column in ("baseline", "forecast"):
                theirs = _date(milestone[f"{column}_date"])
                ours = _date(programme[f"{column}_date"])
                if theirs and ours and theirs != ours:
                    yield Finding(
                        WARNING,
                        "report-milestone",
                        _report_record(report, milestone["name"]),
                        f"{_fmt(ours)} ({programme['code']}'s {column})",
                        f"{_fmt(theirs)} (the report's {column})",
                        f"The report's {column} date for {programme['code']} (named by "
                        f"{how}) differs from the programme's {column} date.",
                    )


# -- names close to an organisation's ---------------------------------------------------------


@check_rule
def near_organisation_names(frame: Source) -> Iterator[Finding]:
    config = frame.config.consistency
    index = NameIndex.of(frame.rows("organisations"))
    if not index.names:
        return
    texts = [
        (record, field, value)
        for _, record, row in _texts(frame)
        for field, name, value, _ in _fields(row)
        if isinstance(value, str) and value and name not in NOT_PROSE
    ]
    common = common_words(value for _, _, value in texts)
    reported: set[tuple[str, str]] = set()
    for record, field, value in texts:
        for near in index.near_names(
            value,
            threshold=config.name_threshold,
            min_length=config.name_min_length,
            common=common,
        ):
            if (record, near.written) in reported:
                continue
            reported.add((record, near.written))
            yield Finding(
                WARNING,
                "near-organisation-name",
                record,
                f"'{near.name}' ({near.organisation}), or a name that is no organisation's",
                f"'{near.written}' ({field})",
                f"'{near.written}' is close to, but not, the name or an alias of "
                f"{near.organisation}: a misspelling, or an alias to record.",
            )
