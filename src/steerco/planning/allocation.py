"""Qualification tranche allocation, as the seed's qualification slides describe it.

Plain functions over plain values; every decision carries its reason:

- Participants state an intention to qualify; its date sets first-come-first-served order
  (ties broken by name, so a run is repeatable).
- A participant's preferred tranche is honoured where it has room; otherwise the next later
  tranche with room (a participant that prefers a later tranche is taken to be not ready
  for an earlier one). Without a preference, the earliest tranche with room.
- Tranches have a maximum size (participants).
- Allocation happens at least 6 months before a tranche executes: a tranche that executes
  sooner than that after the allocation date is closed to allocation.
- Participants that asked to be grouped with related companies (same ``group``) are
  allocated as one unit to one tranche, in the order of the group's *last* intention date:
  the group is complete only once all of it has stated its intention, and taking the first
  member's date would let related companies jump the queue.
- Tranches are confirmed 2 months before they execute, on readiness evidence (readiness
  assessment RAG and PIT completion). A participant not confirmed, or one that drops out
  during testing, is re-placed only where a later tranche has room and has not yet been
  confirmed; otherwise it has no tranche and cannot qualify ("Code Manager cannot guarantee
  a space in another tranche").
"""

from __future__ import annotations

import calendar as std_calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

ALLOCATION_LEAD_MONTHS = 6
CONFIRMATION_LEAD_MONTHS = 2
READINESS_RAGS = ("green", "amber", "red")


class AllocationError(ValueError):
    """The inputs contradict each other (named in the message)."""


@dataclass(frozen=True)
class Tranche:
    name: str
    executes: dt.date  # qualification testing starts
    qualifies: dt.date  # qualification granted: migration may start from this day
    max_size: int  # most participants it takes

    @property
    def allocation_closes(self) -> dt.date:
        return months_before(self.executes, ALLOCATION_LEAD_MONTHS)

    @property
    def confirmation_date(self) -> dt.date:
        return months_before(self.executes, CONFIRMATION_LEAD_MONTHS)


@dataclass(frozen=True)
class Readiness:
    """Readiness evidence looked at when a tranche is confirmed."""

    assessment: str  # the latest readiness-assessment RAG: green, amber or red
    pit_complete_by: dt.date | None = None  # PIT completion, actual or forecast

    def ready_on(self, day: dt.date) -> tuple[bool, str]:
        if self.assessment == "red":
            return False, "readiness assessment is red"
        if self.pit_complete_by is None:
            return False, "no PIT completion date in its evidence"
        if self.pit_complete_by > day:
            return False, f"PIT completes {self.pit_complete_by}, after confirmation on {day}"
        return True, (
            f"readiness assessment {self.assessment}, PIT complete by {self.pit_complete_by}"
        )


@dataclass(frozen=True)
class Applicant:
    name: str
    intention_date: dt.date
    preferred_tranche: str | None = None
    group: str | None = None  # related companies share a group name
    group_with_related: bool = False
    readiness: Readiness | None = None
    drops_out: dt.date | None = None  # drops out of whatever tranche it is in on this day
    tranche: str | None = None  # allocated before (outside these rules): taken as given


@dataclass(frozen=True)
class Decision:
    applicant: str
    step: str  # allocation, confirmation, drop-out, re-placement
    date: dt.date
    tranche: str | None  # the tranche the applicant is in after this decision
    reason: str


@dataclass(frozen=True)
class Allocation:
    tranche_of: dict[str, str | None]  # where each applicant qualifies (None: nowhere)
    decisions: tuple[Decision, ...]

    def reasons(self, applicant: str) -> list[Decision]:
        return [d for d in self.decisions if d.applicant == applicant]


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` earlier (the month's last day if it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = std_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass
class _State:
    tranches: list[Tranche]
    members: dict[str, list[str]] = field(default_factory=dict)
    where: dict[str, str | None] = field(default_factory=dict)
    log: list[Decision] = field(default_factory=list)

    def index(self, name: str) -> int:
        return next(i for i, t in enumerate(self.tranches) if t.name == name)

    def room(self, tranche: Tranche) -> int:
        return tranche.max_size - len(self.members[tranche.name])

    def place(self, applicant: str, tranche: str | None) -> None:
        old = self.where.get(applicant)
        if old is not None:
            self.members[old].remove(applicant)
        if tranche is not None:
            self.members[tranche].append(applicant)
        self.where[applicant] = tranche

    def decide(self, applicant: str, step: str, day: dt.date, reason: str) -> None:
        self.log.append(Decision(applicant, step, day, self.where.get(applicant), reason))


def allocate(
    tranches: Sequence[Tranche], applicants: Sequence[Applicant], as_of: dt.date
) -> Allocation:
    """Allocate on ``as_of``, then confirm each tranche and follow drop-outs in date order."""
    _check_inputs(tranches, applicants)
    state = _State(sorted(tranches, key=lambda t: (t.executes, t.name)))
    state.members = {t.name: [] for t in state.tranches}
    order = {a.name: n for n, a in enumerate(_fcfs(applicants), start=1)}
    for applicant in applicants:
        if applicant.tranche is not None:
            state.place(applicant.name, applicant.tranche)
            state.decide(applicant.name, "allocation", as_of, "allocated before this run")
    for tranche in state.tranches:
        if state.room(tranche) < 0:
            raise AllocationError(
                f"tranche {tranche.name}: {len(state.members[tranche.name])} participants "
                f"allocated before this run, more than its maximum size {tranche.max_size}"
            )
    for unit in _units([a for a in applicants if a.tranche is None]):
        _allocate_unit(state, unit, as_of, order)
    _follow_events(state, applicants)
    return Allocation(dict(state.where), tuple(state.log))


def _check_inputs(tranches: Sequence[Tranche], applicants: Sequence[Applicant]) -> None:
    names = [t.name for t in tranches]
    if len(set(names)) != len(names):
        raise AllocationError(f"tranche names repeat: {sorted(names)}")
    for tranche in tranches:
        if tranche.max_size <= 0:
            raise AllocationError(
                f"tranche {tranche.name}: maximum size must be positive, not {tranche.max_size}"
            )
        if tranche.qualifies < tranche.executes:
            raise AllocationError(
                f"tranche {tranche.name}: qualifies {tranche.qualifies}, "
                f"before it executes {tranche.executes}"
            )
    seen: set[str] = set()
    for applicant in applicants:
        if applicant.name in seen:
            raise AllocationError(f"participant {applicant.name!r} applies twice")
        seen.add(applicant.name)
        for label, value in (("preferred", applicant.preferred_tranche), ("", applicant.tranche)):
            if value is not None and value not in names:
                raise AllocationError(
                    f"participant {applicant.name!r}: {label + ' ' if label else ''}tranche "
                    f"{value!r} is not a tranche of the case ({', '.join(names)})"
                )
        if applicant.readiness and applicant.readiness.assessment not in READINESS_RAGS:
            raise AllocationError(
                f"participant {applicant.name!r}: readiness assessment "
                f"{applicant.readiness.assessment!r} is not one of {', '.join(READINESS_RAGS)}"
            )


def _fcfs(applicants: Iterable[Applicant]) -> list[Applicant]:
    return sorted(applicants, key=lambda a: (a.intention_date, a.name))


def _units(applicants: Sequence[Applicant]) -> list[list[Applicant]]:
    """Singletons and related-company groups, in first-come-first-served order."""
    groups: dict[str, list[Applicant]] = {}
    units: list[list[Applicant]] = []
    for applicant in _fcfs(applicants):
        if applicant.group_with_related and applicant.group:
            if applicant.group not in groups:
                groups[applicant.group] = []
                units.append(groups[applicant.group])
            groups[applicant.group].append(applicant)
        else:
            units.append([applicant])
    # A group queues at its last member's intention date (see the module's docstring).
    return sorted(units, key=lambda unit: (unit[-1].intention_date, unit[0].name))


def _allocate_unit(
    state: _State, unit: list[Applicant], as_of: dt.date, order: dict[str, int]
) -> None:
    preferred = [a.preferred_tranche for a in unit if a.preferred_tranche]
    first = max((state.index(p) for p in preferred), default=0)
    notes: list[str] = []
    chosen: Tranche | None = None
    for tranche in state.tranches[first:]:
        if as_of > tranche.allocation_closes:
            notes.append(
                f"{tranche.name} closed to allocation on {tranche.allocation_closes} "
                f"({ALLOCATION_LEAD_MONTHS} months before it executes on {tranche.executes})"
            )
        elif state.room(tranche) < len(unit):
            size = len(state.members[tranche.name])
            notes.append(f"{tranche.name} full ({size} of {tranche.max_size})")
        else:
            chosen = tranche
            break
    lead = unit[-1]
    why = [f"first come first served: intention {lead.intention_date} (#{order[lead.name]})"]
    if preferred:
        why.append(f"preferred {state.tranches[first].name}")
    if len(unit) > 1:
        names = ", ".join(a.name for a in unit)
        why.append(f"allocated with related companies of group {lead.group!r} ({names})")
    why.extend(notes)
    if chosen is None:
        why.append(f"no tranche from {state.tranches[first].name} on has room for {len(unit)}")
    else:
        why.append(f"{chosen.name} has room")
    for applicant in unit:
        state.place(applicant.name, chosen.name if chosen else None)
        state.decide(applicant.name, "allocation", as_of, "; ".join(why))


def _follow_events(state: _State, applicants: Sequence[Applicant]) -> None:
    """Confirmations (2 months ahead) and drop-outs, in date order; FCFS within a day."""
    rank = {a.name: n for n, a in enumerate(_fcfs(applicants))}
    by_name = {a.name: a for a in applicants}
    events: list[tuple[dt.date, int, str, str]] = []
    for tranche in state.tranches:
        events.append((tranche.confirmation_date, 0, "confirm", tranche.name))
    for applicant in applicants:
        if applicant.drops_out is not None:
            events.append((applicant.drops_out, 1 + rank[applicant.name], "drop", applicant.name))
    for day, _, kind, name in sorted(events):
        if kind == "confirm":
            tranche = state.tranches[state.index(name)]
            for member in sorted(state.members[name], key=rank.__getitem__):
                _confirm(state, by_name[member], tranche, day)
        else:
            _drop_out(state, name, day)


def _drop_out(state: _State, name: str, day: dt.date) -> None:
    current = state.where.get(name)
    if current is None:
        return
    tranche = state.tranches[state.index(current)]
    if day >= tranche.qualifies:
        why = f"drop-out on {day} ignored: already qualified in {current} on {tranche.qualifies}"
        state.decide(name, "drop-out", day, why)
        return
    state.decide(name, "drop-out", day, f"dropped out of {current} on {day}")
    _replace(state, name, day, "dropped out")


def _confirm(state: _State, applicant: Applicant, tranche: Tranche, day: dt.date) -> None:
    if applicant.readiness is None:
        reason = "no readiness evidence recorded: confirmed as allocated"
        state.decide(applicant.name, "confirmation", day, reason)
        return
    ready, evidence = applicant.readiness.ready_on(day)
    if ready:
        state.decide(applicant.name, "confirmation", day, f"confirmed: {evidence}")
        return
    state.decide(
        applicant.name, "confirmation", day, f"not confirmed for {tranche.name}: {evidence}"
    )
    _replace(state, applicant.name, day, "not confirmed")


def _replace(state: _State, name: str, day: dt.date, cause: str) -> None:
    """Re-place in the first later tranche with room whose confirmation is still to come."""
    current = state.where[name]
    assert current is not None
    later = state.tranches[state.index(current) + 1 :]
    notes: list[str] = []
    for tranche in later:
        if tranche.confirmation_date <= day:
            notes.append(f"{tranche.name} confirmed on {tranche.confirmation_date}, too soon")
        elif state.room(tranche) < 1:
            notes.append(f"{tranche.name} full ({tranche.max_size})")
        else:
            state.place(name, tranche.name)
            why = "; ".join([*notes, f"{tranche.name} has room"])
            state.decide(name, "re-placement", day, f"{cause} from {current}: {why}")
            return
    state.place(name, None)
    why = "; ".join(notes) if notes else f"no tranche after {current}"
    state.decide(name, "re-placement", day, f"{cause} from {current}, no later room: {why}")
