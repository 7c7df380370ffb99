"""What-if: move one milestone's forecast to a new date and propagate it through the
schedule's rules, in working days — a proposal the PMO applies in one step or discards.

Plain functions over a frame's rows (`steerco.rules.derived.Source`): no database. The
schedule is a graph of dates — milestones' forecasts and the timetable grids' cells — joined
by the rules the registers state:

- a milestone's predecessor must not be forecast after it (``successor ≥ predecessor``);
- a gate criterion naming a milestone must be met by the gate's own milestone
  (``gate's milestone ≥ criterion's milestone``);
- a timetable activity's rules (`steerco.rules.relations`): ``=`` ties two dates together,
  ``≤`` and ``≥`` bound one by the other, by weeks, days or working days.

A change moves the schedule only in its own direction (docs/what-if.md):

- **Later**: every date a rule would otherwise break moves later, to the earliest working
  day that keeps the rule — a successor already far enough after stays put.
- **Earlier**: only dates tied to the moved one by ``=`` follow it, and none earlier than
  its own predecessors and lower bounds allow; nothing is pulled earlier to make room
  (predecessors, reports due "on or before"). The rules that breaks are the findings the
  proposal raises.

Achieved milestones never move. A cycle among the rules the change reaches is refused.
The findings a proposal raises or clears come from running the checker's own rules
(`steerco.rules.findings.check`) on the frame with the proposal applied.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from steerco.core.calendar import WorkingCalendar
from steerco.io.exporter import Row
from steerco.rules import derive
from steerco.rules.derived import Source, _date
from steerco.rules.findings import Finding, check
from steerco.rules.frame import Earlier
from steerco.rules.relations import Relation, RuleError, parse_all

# A date in the schedule: ("milestone", code) or ("cell", timetable code, activity key, interval)
Node = tuple[Any, ...]
Direction = Literal["later", "earlier"]
MILESTONE, CELL = "milestone", "cell"
FIELD = {MILESTONE: "forecast_date", CELL: "date"}


class WhatIfError(ValueError):
    """A what-if that cannot be proposed: said in words for the PMO."""


class CycleError(WhatIfError):
    pass


@dataclass(frozen=True)
class Bound:
    """``to ≥ bound(date of frm)``: pushes ``to`` later when ``frm`` moves later."""

    frm: Node
    to: Node
    rule: str
    relation: Relation | None = None  # None: the same date (predecessor, gate criterion)
    inverse: bool = False  # an "on or before" rule read from its subject to its base

    def date(self, day: dt.date, calendar: WorkingCalendar) -> dt.date:
        if self.relation is None:
            return day
        if self.inverse:
            return _earliest_base(self.relation, day, calendar)
        return calendar.roll(self.relation.target(day, calendar), "forward")


@dataclass(frozen=True)
class Tie:
    """``subject = relation(base)``: each follows the other."""

    base: Node
    subject: Node
    relation: Relation
    rule: str

    def other(self, node: Node) -> Node:
        return self.subject if node == self.base else self.base

    def date_of(self, node: Node, partner: dt.date, calendar: WorkingCalendar) -> dt.date:
        """The date ``node`` must hold for the tie to hold with ``partner``'s date, on a
        working day: a subject placed before its base rolls back, any other forward."""
        if node == self.subject:
            before = self.relation.target(partner, calendar) < partner
            return calendar.roll(
                self.relation.target(partner, calendar), "backward" if before else "forward"
            )
        return _earliest_base(self.relation, partner, calendar)


def _earliest_base(relation: Relation, subject: dt.date, calendar: WorkingCalendar) -> dt.date:
    """The earliest working day whose rule date is on or after ``subject``."""
    one = dt.timedelta(days=1)
    day = subject - dt.timedelta(weeks=relation.weeks, days=relation.days)
    if relation.working_days:
        day = calendar.add_working_days(day, -relation.working_days, "backward")
    while relation.target(day, calendar) < subject:
        day += one
    while relation.target(day - one, calendar) >= subject:
        day -= one
    return calendar.roll(day, "forward")


@dataclass
class Schedule:
    """The schedule's dates, labels and rules, read from a frame."""

    dates: dict[Node, dt.date | None] = field(default_factory=dict)
    labels: dict[Node, str] = field(default_factory=dict)
    achieved: set[Node] = field(default_factory=set)
    bounds: list[Bound] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    # gate title → (its milestone, [(criterion text, its state, target milestone)])
    gates: dict[str, tuple[str, list[tuple[str, str, str]]]] = field(default_factory=dict)

    def out_bounds(self) -> dict[Node, list[Bound]]:
        found: dict[Node, list[Bound]] = defaultdict(list)
        for bound in self.bounds:
            found[bound.frm].append(bound)
        return found

    def in_bounds(self) -> dict[Node, list[Bound]]:
        found: dict[Node, list[Bound]] = defaultdict(list)
        for bound in self.bounds:
            found[bound.to].append(bound)
        return found

    def ties_of(self) -> dict[Node, list[Tie]]:
        found: dict[Node, list[Tie]] = defaultdict(list)
        for tie in self.ties:
            found[tie.base].append(tie)
            found[tie.subject].append(tie)
        return found


def schedule_of(frame: Source) -> Schedule:
    """The schedule of a frame's milestones, gates and timetables."""
    schedule = Schedule()
    milestones = frame.rows("milestones")
    for row in milestones:
        node = (MILESTONE, row["code"])
        schedule.dates[node] = _date(row["forecast_date"])
        schedule.labels[node] = row["code"]
        if derive.achieved(row["rag"], row["actual_date"]):
            schedule.achieved.add(node)
    for row in milestones:
        for link in row["predecessors"]:
            before = (MILESTONE, link["predecessor_code"])
            if before in schedule.dates:
                schedule.bounds.append(
                    Bound(
                        before,
                        (MILESTONE, row["code"]),
                        f"{link['predecessor_code']} is a predecessor of {row['code']}: "
                        f"{row['code']} ≥ {link['predecessor_code']}",
                    )
                )
    for gate in frame.rows("gates"):
        _gate(schedule, gate)
    for timetable in frame.rows("timetables"):
        _timetable(schedule, timetable)
    return schedule


def _gate(schedule: Schedule, gate: Row) -> None:
    code = gate["milestone_code"]
    criteria = []
    for criterion in gate["criteria"]:
        target = criterion["target_code"]
        criteria.append((criterion["text"], criterion["state"], target))
        if target and target != code and (MILESTONE, target) in schedule.dates:
            schedule.bounds.append(
                Bound(
                    (MILESTONE, target),
                    (MILESTONE, code),
                    f"gate '{gate['title']}' criterion {criterion['order']} "
                    f"({criterion['text'][:60]}): {code} ≥ {target}",
                )
            )
    schedule.gates[gate["title"]] = (code, criteria)


def _timetable(schedule: Schedule, timetable: Row) -> None:
    intervals = {i["order"]: i["name"] for i in timetable["intervals"]}
    names = {a["key"]: a["name"] for a in timetable["activities"]}
    for activity in timetable["activities"]:
        for cell in activity["cells"]:
            node = (CELL, timetable["code"], activity["key"], cell["interval"])
            schedule.dates[node] = _date(cell["date"])
            schedule.labels[node] = (
                f"{timetable['title']}: {activity['name']} / {intervals.get(cell['interval'])}"
            )
    for activity in timetable["activities"]:
        try:
            relations = parse_all(activity["rules"])
        except RuleError:
            continue  # the checker reports a rule it cannot read (bad-rule)
        for relation in relations:
            for cell in activity["cells"]:
                interval = cell["interval"]
                if not relation.applies_to(interval):
                    continue
                subject = (CELL, timetable["code"], activity["key"], interval)
                if relation.milestones:
                    code = relation.milestones.get(interval)
                    base: Node = (MILESTONE, code)
                    base_name = f"milestone {code}"
                else:
                    base = (CELL, timetable["code"], relation.of, interval)
                    base_name = f"'{names.get(relation.of)}'"
                if base not in schedule.dates:
                    continue  # the checker reports a missing reference
                rule = relation.describe(f"'{activity['name']}'", base_name)
                if relation.kind == "equals":
                    schedule.ties.append(Tie(base, subject, relation, rule))
                elif relation.kind == "on_or_after":
                    schedule.bounds.append(Bound(base, subject, rule, relation))
                else:
                    schedule.bounds.append(Bound(subject, base, rule, relation, inverse=True))


# -- propagation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    node: Node
    record: str
    field: str
    old: dt.date
    new: dt.date
    working_days: int  # working days moved (negative: earlier)
    rule: str  # the rule that moved it ("chosen" for the milestone the PMO moved)
    chain: tuple[str, ...]  # from the chosen milestone to this record


@dataclass(frozen=True)
class Held:
    """A date a rule would move that stays: an achieved milestone."""

    record: str
    date: dt.date
    wanted: dt.date
    rule: str


def propagate(
    schedule: Schedule, code: str, new: dt.date, calendar: WorkingCalendar
) -> tuple[list[Move], list[Held]]:
    """The moves that follow from forecasting milestone ``code`` on ``new``."""
    origin = (MILESTONE, code)
    old = _check_change(schedule, origin, code, new, calendar)
    direction: Direction = "later" if new > old else "earlier"
    _refuse_cycles(schedule, origin)
    dates = dict(schedule.dates)
    dates[origin] = new
    why: dict[Node, tuple[str, tuple[str, ...]]] = {origin: ("chosen", (code,))}
    out, into, ties = schedule.out_bounds(), schedule.in_bounds(), schedule.ties_of()
    held: dict[Node, Held] = {}
    limit = 4 * len(dates) + 10
    moves = Counter[Node]()
    work = [origin]
    while work:
        node = work.pop(0)
        day = dates[node]
        assert day is not None
        for target, wanted, rule in _wanted(node, day, direction, out, ties, calendar):
            current = dates.get(target)
            if target == origin or current is None:
                continue
            if direction == "earlier":
                floor = _floor(target, into, dates, calendar)
                wanted = max(wanted, floor) if floor else wanted
            if (wanted <= current) if direction == "later" else (wanted >= current):
                continue
            if target in schedule.achieved:
                label = schedule.labels[target]
                held[target] = Held(label, current, wanted, rule)
                continue
            moves[target] += 1
            if moves[target] > limit:
                raise CycleError(
                    f"the rules around {schedule.labels[target]} do not settle: they "
                    "contradict one another"
                )
            dates[target] = wanted
            why[target] = (rule, (*why[node][1], schedule.labels[target]))
            work.append(target)
    found = []
    for node, (rule, chain) in why.items():
        before, after = schedule.dates[node], dates[node]
        assert before is not None and after is not None
        if before != after:
            found.append(
                Move(
                    node,
                    schedule.labels[node],
                    FIELD[node[0]],
                    before,
                    after,
                    calendar.working_days_between(before, after),
                    rule,
                    chain,
                )
            )
    found.sort(key=lambda m: (len(m.chain), m.new, m.record))
    return found, list(held.values())


def _check_change(
    schedule: Schedule, origin: Node, code: str, new: dt.date, calendar: WorkingCalendar
) -> dt.date:
    if origin not in schedule.dates:
        raise WhatIfError(f"there is no milestone {code}")
    old = schedule.dates[origin]
    if old is None:
        raise WhatIfError(f"{code} has no forecast date to move")
    if origin in schedule.achieved:
        raise WhatIfError(f"{code} is achieved: its date is history, not a forecast")
    reason = calendar.why_not_working(new)
    if reason:
        raise WhatIfError(f"{new:%a %d %b %Y} is not a working day ({reason}): choose one that is")
    if new == old:
        raise WhatIfError(f"{code} is already forecast on {new:%a %d %b %Y}")
    return old


def _wanted(
    node: Node,
    day: dt.date,
    direction: Direction,
    out: dict[Node, list[Bound]],
    ties: dict[Node, list[Tie]],
    calendar: WorkingCalendar,
) -> Iterator[tuple[Node, dt.date, str]]:
    """The dates the rules joined to ``node`` ask of its neighbours, now that it is ``day``."""
    if direction == "later":
        for bound in out.get(node, ()):
            yield bound.to, bound.date(day, calendar), bound.rule
    for tie in ties.get(node, ()):
        other = tie.other(node)
        yield other, tie.date_of(other, day, calendar), tie.rule


def _floor(
    node: Node, into: dict[Node, list[Bound]], dates: dict[Node, dt.date | None], cal: Any
) -> dt.date | None:
    """The earliest date ``node``'s predecessors and lower bounds allow it."""
    floors = [
        bound.date(day, cal)
        for bound in into.get(node, ())
        if (day := dates.get(bound.frm)) is not None
    ]
    return max(floors) if floors else None


def _refuse_cycles(schedule: Schedule, origin: Node) -> None:
    """Refuse when the rules the change can reach go round in a circle: each rule read from
    the date it is stated from (predecessor, base) to the date it constrains."""
    stated: dict[Node, list[Node]] = defaultdict(list)
    for bound in schedule.bounds:
        frm, to = (bound.to, bound.frm) if bound.inverse else (bound.frm, bound.to)
        stated[frm].append(to)
    for tie in schedule.ties:
        stated[tie.base].append(tie.subject)
    near: dict[Node, set[Node]] = defaultdict(set)
    for frm, tos in stated.items():
        for to in tos:
            near[frm].add(to)
            near[to].add(frm)
    reach, todo = {origin}, [origin]
    while todo:
        for other in near[todo.pop()]:
            if other not in reach:
                reach.add(other)
                todo.append(other)
    state: dict[Node, int] = {}  # 1: on the path, 2: done
    for start in sorted(reach, key=str):
        path = _cycle_from(start, stated, state, reach)
        if path:
            names = " → ".join(schedule.labels.get(n, str(n)) for n in path)
            raise CycleError(f"the schedule's rules go round in a circle: {names}")


def _cycle_from(
    start: Node, stated: dict[Node, list[Node]], state: dict[Node, int], reach: set[Node]
) -> list[Node]:
    if state.get(start):
        return []
    path: list[Node] = [start]
    stack = [iter(stated.get(start, ()))]
    state[start] = 1
    while stack:
        nxt = next(stack[-1], None)
        if nxt is None:
            state[path.pop()] = 2
            stack.pop()
            continue
        if nxt not in reach or state.get(nxt) == 2:
            continue
        if state.get(nxt) == 1:
            return [*path[path.index(nxt) :], nxt]
        state[nxt] = 1
        path.append(nxt)
        stack.append(iter(stated.get(nxt, ())))
    return []


# -- the proposal: moves, gates, findings -------------------------------------------------------


@dataclass(frozen=True)
class GateChange:
    """A gate whose decision date or criteria's dates moved, and its readiness by the
    dates: "ready" (every criterion met), "on course" (every criterion not yet met names a
    milestone forecast by the gate's, or none), "at risk" (one is forecast after it)."""

    gate: str
    milestone: str
    before: str
    after: str
    late: tuple[str, ...]  # the criteria forecast after the gate's milestone, after the change

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class Proposal:
    code: str
    old: dt.date
    new: dt.date
    moves: tuple[Move, ...]
    held: tuple[Held, ...]
    gates: tuple[GateChange, ...]
    raised: tuple[Finding, ...]
    cleared: tuple[Finding, ...]
    changed: tuple[tuple[Finding, Finding], ...]  # the same finding, its text now different

    @property
    def working_days(self) -> int:
        return self.moves[0].working_days

    def as_dict(self) -> dict[str, Any]:
        return {
            "milestone": self.code,
            "from": self.old.isoformat(),
            "to": self.new.isoformat(),
            "moves": [
                {
                    "record": m.record,
                    "field": m.field,
                    "from": m.old.isoformat(),
                    "to": m.new.isoformat(),
                    "working_days": m.working_days,
                    "rule": m.rule,
                    "chain": list(m.chain),
                }
                for m in self.moves
            ],
            "held": [
                {"record": h.record, "date": h.date.isoformat(), "wanted": h.wanted.isoformat()}
                | {"rule": h.rule}
                for h in self.held
            ],
            "gates": [
                {"gate": g.gate, "milestone": g.milestone, "before": g.before, "after": g.after}
                | {"late": list(g.late)}
                for g in self.gates
            ],
            "findings_raised": [f.as_dict() for f in self.raised],
            "findings_cleared": [f.as_dict() for f in self.cleared],
            "findings_changed": [
                {"before": a.as_dict(), "after": b.as_dict()} for a, b in self.changed
            ],
        }


def propose(frame: Source, code: str, new: dt.date) -> Proposal:
    """What must move if milestone ``code`` is forecast on ``new``, the gates whose
    readiness that changes, and the findings it raises and clears."""
    schedule = schedule_of(frame)
    moves, held = propagate(schedule, code, new, frame.calendar)
    after = dict(schedule.dates) | {m.node: m.new for m in moves}
    before_findings = check(frame)
    after_findings = check(Moved(frame, {m.node: m.new for m in moves}))
    raised, cleared, changed = _difference(before_findings, after_findings)
    return Proposal(
        code=code,
        old=moves[0].old,
        new=new,
        moves=tuple(moves),
        held=tuple(held),
        gates=tuple(_gates(schedule, after, {m.node for m in moves})),
        raised=tuple(raised),
        cleared=tuple(cleared),
        changed=tuple(changed),
    )


def _gates(
    schedule: Schedule, after: dict[Node, dt.date | None], moved: set[Node]
) -> Iterator[GateChange]:
    for title, (code, criteria) in schedule.gates.items():
        touched = {(MILESTONE, code), *((MILESTONE, c[2]) for c in criteria if c[2])}
        if not touched & moved:
            continue
        before_state, _ = _readiness(code, criteria, schedule.dates)
        after_state, late = _readiness(code, criteria, after)
        yield GateChange(title, code, before_state, after_state, late)


def _readiness(
    code: str, criteria: list[tuple[str, str, str]], dates: dict[Node, dt.date | None]
) -> tuple[str, tuple[str, ...]]:
    if criteria and all(state == "met" for _, state, _ in criteria):
        return "ready", ()
    decided = dates.get((MILESTONE, code))
    late = tuple(
        text
        for text, state, target in criteria
        if state != "met"
        and target
        and decided is not None
        and (day := dates.get((MILESTONE, target))) is not None
        and day > decided
    )
    return ("at risk" if late else "on course"), late


def _difference(
    before: list[Finding], after: list[Finding]
) -> tuple[list[Finding], list[Finding], list[tuple[Finding, Finding]]]:
    """Findings only after (raised), only before (cleared); one of each about the same rule
    and record is the same finding whose dates changed."""
    cleared, raised = _only_in(before, after), _only_in(after, before)
    changed = []
    for finding in list(cleared):
        same = next(
            (
                f
                for f in raised
                if (f.severity, f.rule, f.record)
                == (finding.severity, finding.rule, finding.record)
            ),
            None,
        )
        if same is not None:
            cleared.remove(finding)
            raised.remove(same)
            changed.append((finding, same))
    return raised, cleared, changed


def _only_in(these: list[Finding], those: list[Finding]) -> list[Finding]:
    left = Counter(those)
    found = []
    for finding in these:
        if left[finding]:
            left[finding] -= 1
        else:
            found.append(finding)
    return found


class Moved:
    """A frame with some schedule dates moved: what the checker reads to say which
    findings a proposal raises and clears. Every other register is the frame's own."""

    def __init__(self, frame: Source, dates: dict[Node, dt.date]) -> None:
        self._frame = frame
        self._dates = dates
        self._rows: dict[str, list[Row]] = {}

    @property
    def calendar(self) -> WorkingCalendar:
        return self._frame.calendar

    @property
    def config(self) -> Any:
        return self._frame.config

    @property
    def meeting_code(self) -> str | None:
        return self._frame.meeting_code

    @property
    def previous_code(self) -> str | None:
        return self._frame.previous_code

    @property
    def today(self) -> dt.date:
        return self._frame.today

    def rows(self, register: str, *, before: bool = False) -> list[Row]:
        rows = self._frame.rows(register, before=before)
        if before or register not in ("milestones", "timetables"):
            return rows
        if register not in self._rows:
            self._rows[register] = [self._moved(register, row) for row in rows]
        return self._rows[register]

    def rows_where(self, register: str, **where: tuple[Any, ...]) -> list[Row]:
        if register in ("milestones", "timetables"):
            rows = self.rows(register)
            return [r for r in rows if all(r[k] in v for k, v in where.items())]
        return self._frame.rows_where(register, **where)

    def records(self, register: str, *, before: bool = False) -> list[Row]:
        rows = self._frame.records(register, before=before)
        if before or register != "milestones":
            return rows
        return [self._moved(register, row) for row in rows]

    def narrative(self) -> list[Row]:
        return self._frame.narrative()

    def agenda(self) -> list[Row]:
        return self._frame.agenda()

    def earlier(self, register: str, count: int) -> list[Earlier]:
        return self._frame.earlier(register, count)  # earlier meetings: nothing moved there

    def history(self, name: str) -> list[tuple[Row, list[Row]]]:
        return self._frame.history(name)  # the meetings held: a proposal moves none of them

    def history_version(self, names: Iterable[str]) -> Hashable | None:
        return self._frame.history_version(names)

    def _moved(self, register: str, row: Row) -> Row:
        if register == "milestones":
            day = self._dates.get((MILESTONE, row["code"]))
            return row if day is None else {**row, "forecast_date": day}
        moved = copy.deepcopy(row)
        for activity in moved["activities"]:
            for cell in activity["cells"]:
                node = (CELL, row["code"], activity["key"], cell["interval"])
                if node in self._dates:
                    cell["date"] = self._dates[node]
        return moved
