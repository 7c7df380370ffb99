"""Findings: every broken rule in a frame, each naming its record, rule, expected and found.

Each check is a function from a frame to findings; `check(frame)` runs them all. Checks read
only the frame's plain rows, so the CLI, the web pages and the pack report the same things.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any

from steerco.core.calendar import CalendarError
from steerco.io.exporter import Row
from steerco.rules import derive
from steerco.rules.derived import (
    Source,
    _date,
    _time,
    agenda_rows,
    finance_table,
    milestone_rows,
    of_meeting,
    raid_rows,
)
from steerco.rules.names import NameIndex
from steerco.rules.relations import Relation, RuleError, parse_all

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Finding:
    severity: str
    rule: str
    record: str
    expected: str
    found: str
    message: str
    # The meeting whose pack the finding concerns: a meeting's agenda or reports, a value
    # stated for it; else the meeting checked (`check` fills it in; blank: the live state).
    meeting: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


Check = Callable[[Source], Iterable[Finding]]
CHECKS: list[Check] = []


def check_rule(function: Check) -> Check:
    CHECKS.append(function)
    return function


def check(frame: Source) -> list[Finding]:
    checked = frame.meeting_code or ""
    findings = [
        finding if finding.meeting else replace(finding, meeting=checked)
        for rule in CHECKS
        for finding in rule(frame)
    ]
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.record))


def _fmt(day: dt.date | None) -> str:
    return day.strftime("%a %d %b %Y") if day else "unknown"


# -- references and uniqueness -----------------------------------------------------------------

UNIQUE_KEYS = (
    ("milestones", "code", "milestone"),
    ("raid", "ref", "RAID item"),
    ("actions", "ref", "action"),
    ("changes", "ref", "change request"),
    ("organisations", "name", "organisation"),
)


@check_rule
def duplicate_refs(frame: Source) -> Iterator[Finding]:
    for register, key, noun in UNIQUE_KEYS:
        counts = Counter(row[key] for row in frame.rows(register))
        for ref, count in sorted(counts.items()):
            if count > 1:
                yield Finding(
                    ERROR,
                    "duplicate-ref",
                    f"{noun} {ref}",
                    f"one {noun} {ref}",
                    f"{count} records with {key} {ref}",
                    f"{count} {noun} records share the {key} {ref}: a reference to it is "
                    "ambiguous.",
                )


@check_rule
def missing_references(frame: Source) -> Iterator[Finding]:
    codes = {row["code"] for row in frame.rows("milestones")}
    for row in frame.rows("milestones"):
        for link in row["predecessors"]:
            if link["predecessor_code"] not in codes:
                yield _missing(f"milestone {row['code']} predecessor", link["predecessor_code"])
    for gate in frame.rows("gates"):
        if gate["milestone_code"] not in codes:
            yield _missing(f"gate '{gate['title']}'", gate["milestone_code"])
        for criterion in gate["criteria"]:
            target = criterion["target_code"]
            if target and target not in codes:
                yield _missing(f"gate '{gate['title']}' criterion {criterion['order']}", target)
    names: NameIndex | None = None
    for row in frame.rows("provider-statuses"):
        if row["organisation"] is None:
            names = names or NameIndex.of(frame.rows("organisations"))
            record = f"provider status '{row['stated_name']}' ({row['table']})"
            yield _unknown_organisation(frame, names, record, row["stated_name"])
    for constituency in frame.rows("constituencies"):
        for role in constituency["market_roles"]:
            for person in role["participants"]:
                if person["organisation"] is None:
                    names = names or NameIndex.of(frame.rows("organisations"))
                    record = (
                        f"SIT participant '{person['stated_name']}' "
                        f"({role['name'] or constituency['name']})"
                    )
                    yield _unknown_organisation(frame, names, record, person["stated_name"])


def _unknown_organisation(frame: Source, names: NameIndex, record: str, stated: str) -> Finding:
    """A table's name no organisation has, with the name it is close to, if any
    (`steerco.rules.names`; prose and other cells: consistency's near-organisation-name)."""
    near = names.closest(stated, frame.config.consistency.name_threshold)
    close = f"; it is close to '{near.name}' ({near.organisation})" if near else ""
    return Finding(
        WARNING,
        "unknown-organisation",
        record,
        f"the name of a known organisation{f' ({near.name}?)' if near else ''}",
        stated,
        f"'{stated}' matches no organisation's name or alias{close}.",
    )


def _missing(record: str, code: str) -> Finding:
    return Finding(
        ERROR,
        "missing-reference",
        record,
        "an existing milestone code",
        code,
        f"{record} refers to milestone {code}, which does not exist.",
    )


# -- dates -----------------------------------------------------------------------------------


@check_rule
def milestone_dates(frame: Source) -> Iterator[Finding]:
    rows = milestone_rows(frame)
    by_code = {row["code"]: row for row in rows}
    for row in rows:
        record = f"milestone {row['code']}"
        for name in ("baseline_date", "forecast_date", "actual_date"):
            yield from _working_day(frame, record, name.replace("_", " "), _date(row[name]))
        forecast = _date(row["forecast_date"])
        for link in row["predecessors"]:
            before = by_code.get(link["predecessor_code"])
            mine = _date(before["forecast_date"]) if before else None
            if mine and forecast and mine > forecast:
                yield Finding(
                    ERROR,
                    "schedule-relation",
                    record,
                    f"{link['predecessor_code']} ({_fmt(mine)}) ≤ {row['code']}",
                    _fmt(forecast),
                    f"{row['code']} is forecast before its predecessor {link['predecessor_code']}.",
                )
        if (
            forecast
            and forecast < frame.today
            and not derive.achieved(row["rag"], row["actual_date"])
        ):
            yield Finding(
                WARNING,
                "milestone-overdue",
                record,
                f"achieved by {_fmt(forecast)}",
                f"RAG {row['rag'] or 'unknown'} at {_fmt(frame.today)}",
                f"The forecast date {_fmt(forecast)} has passed but {row['code']} is not "
                "reported achieved (Blue).",
            )
        yield from _far_rag(frame, record, row)


def _far_rag(frame: Source, record: str, row: Row) -> Iterator[Finding]:
    distance = derive.rag_distance(row["rag"], row["suggested_rag"])
    if distance is not None and distance >= frame.config.far_rag_steps:
        yield Finding(
            WARNING,
            "rag-far-from-suggested",
            record,
            f"about {row['suggested_rag']}",
            f"{row['rag']} (slip {row['slip_working_days']} working days)",
            f"The reported RAG is {distance} steps from the RAG its schedule slip suggests.",
        )


def _working_day(frame: Source, record: str, what: str, day: dt.date | None) -> Iterator[Finding]:
    if day is None:
        return
    try:
        reason = frame.calendar.why_not_working(day)
    except CalendarError:  # a year no calendar holds: consistency's impossible-date says so
        return
    if reason:
        yield Finding(
            WARNING,
            "non-working-day",
            record,
            f"{what} on a working day",
            f"{_fmt(day)} ({reason})",
            f"The {what} falls on a non-working day ({reason}).",
        )


@check_rule
def timetable_rules(frame: Source) -> Iterator[Finding]:
    milestones = {row["code"]: _date(row["forecast_date"]) for row in frame.rows("milestones")}
    for timetable in frame.rows("timetables"):
        intervals = {i["order"]: i["name"] for i in timetable["intervals"]}
        grid = {
            activity["key"]: {cell["interval"]: _date(cell["date"]) for cell in activity["cells"]}
            for activity in timetable["activities"]
        }
        names = {activity["key"]: activity["name"] for activity in timetable["activities"]}
        for activity in timetable["activities"]:
            for cell in activity["cells"]:
                record = f"{timetable['title']}: {activity['name']} / {intervals[cell['interval']]}"
                yield from _working_day(frame, record, "date", _date(cell["date"]))
            try:
                relations = parse_all(activity["rules"])
            except RuleError as error:
                yield Finding(
                    ERROR,
                    "bad-rule",
                    activity["name"],
                    "a valid rule",
                    str(error),
                    f"The rule of '{activity['name']}' cannot be read: {error}",
                )
                continue
            for relation in relations:
                yield from _cell_relation(
                    frame, timetable, activity, relation, grid, names, intervals, milestones
                )


def _cell_relation(
    frame: Source,
    timetable: Row,
    activity: Row,
    relation: Relation,
    grid: dict[str, dict[int, dt.date | None]],
    names: dict[str, str],
    intervals: dict[int, str],
    milestones: dict[str, dt.date | None],
) -> Iterator[Finding]:
    for interval, actual in grid[activity["key"]].items():
        if actual is None or not relation.applies_to(interval):
            continue
        record = f"{timetable['title']}: {activity['name']} / {intervals[interval]}"
        if relation.milestones:
            code = relation.milestones.get(interval)
            if code is None:
                continue
            if code not in milestones:
                yield _missing(record, code)
                continue
            base, base_name = milestones[code], f"milestone {code}"
        else:
            if relation.of not in grid:
                yield Finding(
                    ERROR,
                    "bad-rule",
                    record,
                    "a rule naming a row of the grid",
                    relation.of,
                    f"The rule names '{relation.of}', not in the grid.",
                )
                continue
            base, base_name = grid[relation.of].get(interval), f"'{names[relation.of]}'"
        if base is None:
            continue
        target = relation.target(base, frame.calendar)
        if not relation.holds(actual, target):
            rule = relation.describe("date", f"{base_name} ({_fmt(base)})")
            yield Finding(
                ERROR,
                "schedule-relation",
                record,
                f"{rule} → {_fmt(target)}",
                _fmt(actual),
                f"The date breaks its stated rule ({activity['rule_text'] or rule}).".replace(
                    "\n", " "
                ),
            )


# -- agenda ----------------------------------------------------------------------------------


@check_rule
def agenda(frame: Source) -> Iterator[Finding]:
    """The agenda of the meeting checked (of every meeting, for the live state)."""
    for meeting in of_meeting(frame, frame.rows("meetings"), "code"):
        for finding in _agenda_of(frame, meeting):
            yield replace(finding, meeting=meeting["code"])


def _agenda_of(frame: Source, meeting: Row) -> Iterator[Finding]:
    items = agenda_rows(frame, meeting["code"])
    previous: Row | None = None
    total = 0
    for item in items:
        record = f"{meeting['code']} agenda item {item['number']} ({item['title']})"
        start, end = _time(item["stated_start"]), _time(item["stated_end"])
        duration = item["duration_minutes"]
        total += duration or 0
        if start and end and duration is not None:
            span = derive.minutes_between(start, end)
            if span != duration:
                yield Finding(
                    ERROR,
                    "agenda-duration",
                    record,
                    f"{duration} mins",
                    f"{start:%H:%M}-{end:%H:%M} ({span} mins)",
                    "The stated times disagree with the stated duration.",
                )
        slide = item["slide_duration_minutes"]
        if slide is not None and duration is not None and slide != duration:
            yield Finding(
                WARNING,
                "agenda-duration",
                record,
                f"{duration} mins (agenda)",
                f"{slide} mins (the item's own slide)",
                "The item's slide states a different duration from the agenda.",
            )
        if item["slide_type"] and item["type"] and item["slide_type"] != item["type"]:
            yield Finding(
                WARNING,
                "agenda-type",
                record,
                f"{item['type']} (agenda)",
                f"{item['slide_type']} (the item's own slide)",
                "The item's slide states a different type from the agenda.",
            )
        yield from _agenda_gap(record, previous, start)
        previous = item
    yield from _agenda_span(meeting, items, total)


def _agenda_gap(record: str, previous: Row | None, start: dt.time | None) -> Iterator[Finding]:
    last_end = _time(previous["stated_end"]) if previous else None
    if not (last_end and start) or last_end == start:
        return
    kind = "overlaps" if start < last_end else "leaves a gap after"
    yield Finding(
        ERROR if start < last_end else WARNING,
        "agenda-slot",
        record,
        f"starts {last_end:%H:%M}, when item {previous['number']} ends",  # type: ignore[index]
        f"starts {start:%H:%M}",
        f"The item {kind} item {previous['number']} ({previous['title']}).",  # type: ignore[index]
    )


def _agenda_span(meeting: Row, items: list[Row], total: int) -> Iterator[Finding]:
    start, end = _time(meeting["start_time"]), _time(meeting["end_time"])
    if not (start and end and items) or any(i["duration_minutes"] is None for i in items):
        return
    span = derive.minutes_between(start, end)
    if span != total:
        yield Finding(
            ERROR,
            "agenda-total",
            f"{meeting['code']} agenda",
            f"{span} mins ({start:%H:%M}-{end:%H:%M})",
            f"{total} mins of items",
            "The items' durations do not add up to the meeting's length.",
        )


# -- sums ------------------------------------------------------------------------------------


def _amount(cell: Row | None) -> Decimal | None:
    if cell is None or cell["amount"] is None:
        return None
    return Decimal(str(cell["amount"]))


def _sum_finding(record: str, parts: list[Decimal], cell: Row, what: str) -> Iterator[Finding]:
    stated = _amount(cell)
    if stated is None or not parts:
        return
    if not derive.total_holds(parts, stated, cell["stated"]):
        result = derive.check_sum(parts, stated, derive.decimals_of(cell["stated"]))
        places = Decimal(10) ** -derive.decimals_of(cell["stated"])
        yield Finding(
            ERROR,
            "total-mismatch",
            record,
            f"{result.total.quantize(places)} (sum of {what})",
            f"{cell['stated']}",
            f"The stated total differs from the sum of its {result.parts} parts by "
            f"{abs(result.total - stated).quantize(places)}, beyond the ±{result.tolerance} "
            "its rounding allows.",
        )


@check_rule
def finance_totals(frame: Source) -> Iterator[Finding]:
    table = finance_table(frame)
    for row in table["rows"]:
        total = row["stated_total"]
        parts = [a for a in (_amount(c) for c in row["cells"]) if a is not None]
        if total is not None:
            record = f"finance {row['financial_year']} {row['row_label']}: Total"
            yield from _sum_finding(record, parts, total, "the months")
    yield from _column_totals(table)


def _column_totals(table: dict[str, Any]) -> Iterator[Finding]:
    """A party 'Total' row's cell is the sum of the other parties' cells of that measure for
    its month; a quarter counts there only split monthly, where the pack says it is."""
    rows = table["rows"]
    for total in (r for r in rows if r["party"] == "Total"):
        year, label, measure = total["financial_year"], total["row_label"], total["measure"]
        others = [
            r
            for r in rows
            if r["financial_year"] == year and r["party"] != "Total" and r["measure"] == measure
        ]
        what = f"the parties' {measure} cells"
        for index, month in enumerate(table["months"]):
            cell = total["cells"][index]
            if cell is None:
                continue
            parts = [o["monthly"][index] for o in others if o["monthly"][index] is not None]
            split = any(o["spans"][index] != 1 for o in others if o["monthly"][index] is not None)
            yield from _sum_finding(
                f"finance {year} {label}: {month:%b %Y}",
                parts,
                cell,
                what + (", a quarter split monthly" if split else ""),
            )
        if total["stated_total"] is not None:
            parts = [a for a in (_amount(o["stated_total"]) for o in others) if a is not None]
            yield from _sum_finding(
                f"finance {year} {label}: Total", parts, total["stated_total"], what
            )


@check_rule
def metric_totals(frame: Source) -> Iterator[Finding]:
    metrics = frame.rows("metrics")
    for total in (m for m in metrics if m["total_of"]):
        parts = [
            Decimal(str(m["value"]))
            for m in metrics
            if m["group"] == total["total_of"] and not m["total_of"] and m["value"] is not None
        ]
        if total["value"] is None or not parts:
            continue
        if Decimal(str(total["value"])) != sum(parts, Decimal(0)) and not total["approximate"]:
            yield Finding(
                ERROR,
                "total-mismatch",
                f"{total['tracker']}: {total['label']}",
                f"{sum(parts, Decimal(0))} (sum of {len(parts)} parts)",
                total["stated"],
                "The stated count is not the sum of its parts.",
            )


# -- gates, cohorts, actions, reports ----------------------------------------------------------


@check_rule
def gates(frame: Source) -> Iterator[Finding]:
    for gate in frame.rows("gates"):
        unmet = [c for c in gate["criteria"] if c["state"] != "met"]
        if gate["stated_ready"] and unmet:
            yield Finding(
                ERROR,
                "gate-unmet",
                f"gate '{gate['title']}'",
                "every criterion met",
                f"{len(unmet)} of {len(gate['criteria'])} not met",
                "The gate is shown as ready but has criteria that are not met: "
                + "; ".join(c["text"][:60] for c in unmet[:3]),
            )


@check_rule
def cohorts(frame: Source) -> Iterator[Finding]:
    for constituency in frame.rows("constituencies"):
        for role in constituency["market_roles"]:
            needed, confirmed = role["mvc_required"], role["stated_confirmed"]
            shortfall = derive.mvc_shortfall(needed, confirmed)
            if shortfall is None:
                continue
            record = f"market role {role['name'] or constituency['name']}"
            if shortfall < 0:
                yield Finding(
                    ERROR,
                    "mvc-shortfall",
                    record,
                    f"at least {needed} confirmed",
                    f"{confirmed} confirmed",
                    "Fewer confirmed than the SIT minimum viable cohort needs.",
                )
            elif shortfall == 0:
                yield Finding(
                    WARNING,
                    "mvc-no-contingency",
                    record,
                    f"more than {needed} confirmed",
                    f"{confirmed} confirmed",
                    "Exactly the minimum viable cohort: losing one breaks it.",
                )


@check_rule
def actions(frame: Source) -> Iterator[Finding]:
    for action in frame.rows("actions"):
        due = _date(action["due_date"])
        if due and due < frame.today and action["status"] in ("open", "ongoing", "in_progress"):
            yield Finding(
                WARNING,
                "action-overdue",
                f"action {action['ref']}",
                f"done by {_fmt(due)}",
                f"{action['status']} at {_fmt(frame.today)}",
                f"The action was due {_fmt(due)} and is still {action['status']}.",
            )


@check_rule
def raid_movement(frame: Source) -> Iterator[Finding]:
    for item in raid_rows(frame):
        stated, derived = item["stated_movement"], item["movement"]
        if stated and derived != derive.UNKNOWN and stated != derived:
            yield Finding(
                ERROR,
                "movement-mismatch",
                f"RAID item {item['ref']}",
                derived,
                stated,
                "The movement the pack states disagrees with the scores' history.",
            )


@check_rule
def reports(frame: Source) -> Iterator[Finding]:
    meetings = {m["code"]: _date(m["date"]) for m in frame.rows("meetings")}
    for report in of_meeting(frame, frame.rows("reports"), "meeting"):
        record = f"delivery report '{report['title']}'"
        dated, held = _date(report["report_date"]), meetings.get(report["meeting"])
        if dated and held and dated > held:
            yield Finding(
                ERROR,
                "report-date",
                record,
                f"on or before the meeting ({_fmt(held)})",
                f"{report['report_date_stated'] or dated} ({_fmt(dated)})",
                "The report is dated after the meeting it reports to.",
                meeting=report["meeting"],
            )
    # A report's dates for programme milestones: steerco.rules.consistency.


@check_rule
def code_drafting(frame: Source) -> Iterator[Finding]:
    for row in frame.rows("code-drafting"):
        forecast = _date(row["forecast_date"]) or _date(row["target_date"])
        if forecast and forecast < frame.today and row["status"].lower() != "complete":
            yield Finding(
                WARNING,
                "milestone-overdue",
                f"code drafting '{row['name']}'",
                f"Complete by {_fmt(forecast)}",
                f"{row['status'] or 'no status'}",
                "The date has passed but the drafting milestone is not reported complete.",
            )
