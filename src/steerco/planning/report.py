"""What a plan says: per supplier and per LDSO completion, shortfall and the constraints that
bind; suggested RAID entries; the cumulative-migrations series for a chart; JSON.

"Binds" is read off the plan: a cap binds on a day when that day's migrations fill it. For a
supplier the days looked at are those it could migrate on (from its tranche's qualification
to its completion, or to the deadline when it falls short). A tranche binds when the supplier
falls short although its LDSOs and the national cap had room on days before it qualified:
an earlier tranche would have helped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from steerco.planning.migration import Ints, Problem, Schedule
from steerco.planning.planner import PlanResult

MIGRATION_THEME = "Migration"


@dataclass(frozen=True)
class Binding:
    kind: str  # tranche, no-tranche, ldso-cap, national-cap
    subject: str  # the tranche or LDSO at issue ("national" for the national cap)
    days: int  # days it binds on
    of_days: int  # days looked at
    text: str


@dataclass(frozen=True)
class Outcome:
    name: str
    portfolio: int
    migrated: int
    shortfall: int
    completion: dt.date | None  # the last day of migration; None if it falls short
    binding: tuple[Binding, ...]
    tranche: str | None = None  # suppliers only
    qualifies: dt.date | None = None  # suppliers only: the first day it may migrate


@dataclass(frozen=True)
class RaidSuggestion:
    type: str
    theme: str
    owner: str
    description: str
    impact: str
    mitigations: tuple[str, ...]


@dataclass(frozen=True)
class Series:
    """Cumulative meter points migrated by the end of each working day, for a chart."""

    days: tuple[dt.date, ...]
    lp: tuple[int, ...]
    greedy: tuple[int, ...]
    deadline: dt.date
    total: int  # meter points to migrate


@dataclass(frozen=True)
class _Tight:
    ldso: np.ndarray  # (L, D) bool: the LDSO's cap is full that day
    national: np.ndarray  # (D,) bool


def _date(value: np.datetime64) -> dt.date:
    return value.astype("datetime64[D]").astype(dt.date)


def _tight(problem: Problem, schedule: Schedule) -> _Tight:
    return _Tight(
        ldso=schedule.flow.sum(axis=0) >= problem.ldso_cap,
        national=schedule.flow.sum(axis=(0, 1)) >= problem.national_cap,
    )


def _last_day(flow: Ints, problem: Problem) -> dt.date | None:
    active = np.flatnonzero(flow)
    return _date(problem.days[active[-1]]) if len(active) else None


def _cap_bindings(
    problem: Problem, tight: _Tight, ldsos: list[int], window: slice
) -> list[Binding]:
    out: list[Binding] = []
    looked = len(range(*window.indices(len(problem.days))))
    for ldso in ldsos:
        days = int(tight.ldso[ldso, window].sum())
        if days:
            name = problem.ldsos[ldso]
            cap = int(problem.ldso_cap[ldso, window].max())
            text = f"LDSO {name} cap ({cap:,}/day) full on {days} of {looked} working days"
            out.append(Binding("ldso-cap", name, days, looked, text))
    days = int(tight.national[window].sum())
    if days:
        cap = int(problem.national_cap[window].max())
        text = f"national cap ({cap:,}/day) full on {days} of {looked} working days"
        out.append(Binding("national-cap", "national", days, looked, text))
    return sorted(out, key=lambda b: -b.days)


def supplier_outcomes(result: PlanResult, schedule: Schedule) -> list[Outcome]:
    problem, tight = result.problem, _tight(result.problem, schedule)
    n_days = len(problem.days)
    outcomes = []
    for row, name in enumerate(problem.suppliers):
        portfolio = int(problem.portfolio[row].sum())
        migrated = int(schedule.flow[row].sum())
        per_day = schedule.flow[row].sum(axis=0)
        completion = _last_day(per_day, problem) if migrated == portfolio else None
        release = int(problem.release[row])
        tranche = result.allocation.tranche_of.get(name)
        binding: list[Binding] = []
        if release >= n_days:
            last = result.allocation.reasons(name)[-1].reason if tranche is None else ""
            why = f"in no qualification tranche: {last}" if last else "qualifies after deadline"
            binding.append(Binding("no-tranche", "", 0, 0, why))
        elif portfolio:
            held = [int(ldso) for ldso in np.flatnonzero(problem.portfolio[row])]
            end = n_days if completion is None else int(np.flatnonzero(per_day)[-1]) + 1
            if migrated < portfolio:
                binding += _tranche_binding(problem, tight, held, release, tranche)
            binding += _cap_bindings(problem, tight, held, slice(release, end))
        outcomes.append(
            Outcome(
                name=name,
                portfolio=portfolio,
                migrated=migrated,
                shortfall=portfolio - migrated,
                completion=completion,
                binding=tuple(binding),
                tranche=tranche,
                qualifies=_date(problem.days[release]) if release < n_days else None,
            )
        )
    return outcomes


def _tranche_binding(
    problem: Problem, tight: _Tight, held: list[int], release: int, tranche: str | None
) -> list[Binding]:
    room = ~tight.national[:release] & ~tight.ldso[held, :release].all(axis=0)
    days = int(room.sum())
    if not days:
        return []
    text = (
        f"tranche {tranche} qualifies {_date(problem.days[release])}: capacity on its LDSOs "
        f"went unused on {days} working days before that"
    )
    return [Binding("tranche", tranche or "", days, release, text)]


def ldso_outcomes(result: PlanResult, schedule: Schedule) -> list[Outcome]:
    problem, tight = result.problem, _tight(result.problem, schedule)
    outcomes = []
    for ldso, name in enumerate(problem.ldsos):
        portfolio = int(problem.portfolio[:, ldso].sum())
        per_day = schedule.flow[:, ldso, :].sum(axis=0)
        migrated = int(per_day.sum())
        completion = _last_day(per_day, problem) if migrated == portfolio else None
        holders = np.flatnonzero(problem.portfolio[:, ldso])
        first = int(problem.release[holders].min()) if len(holders) else len(problem.days)
        end = len(problem.days) if completion is None else int(np.flatnonzero(per_day)[-1]) + 1
        binding = _cap_bindings(problem, tight, [ldso], slice(first, end))
        outcomes.append(
            Outcome(name, portfolio, migrated, portfolio - migrated, completion, tuple(binding))
        )
    return outcomes


def raid_suggestions(result: PlanResult, schedule: Schedule) -> list[RaidSuggestion]:
    """A suggested risk for each supplier and each LDSO that cannot finish by the deadline."""
    deadline = result.case.deadline
    out = []
    for outcome in supplier_outcomes(result, schedule):
        if outcome.shortfall:
            out.append(_suggest(outcome, f"{outcome.name}", deadline, "its"))
    for outcome in ldso_outcomes(result, schedule):
        if outcome.shortfall:
            out.append(_suggest(outcome, f"LDSO {outcome.name}", deadline, "the"))
    return out


def _suggest(outcome: Outcome, who: str, deadline: dt.date, its: str) -> RaidSuggestion:
    share = 100 * outcome.shortfall / outcome.portfolio
    causes = "; ".join(b.text for b in outcome.binding) or "no capacity left"
    mitigations: list[str] = []
    for binding in outcome.binding:
        if binding.kind == "tranche":
            mitigations.append(f"Seek a place in a tranche before {binding.subject}")
        elif binding.kind == "no-tranche":
            mitigations.append("Agree a qualification tranche with the Code Bodies")
        elif binding.kind == "ldso-cap":
            mitigations.append(f"Agree more daily migration capacity with LDSO {binding.subject}")
        else:
            mitigations.append("Raise the national daily migration capacity")
    subject = "meter points" if its == "its" else "meter points on its network"
    return RaidSuggestion(
        type="risk",
        theme=MIGRATION_THEME,
        owner=outcome.name,
        description=(
            f"There is a risk that {who} cannot migrate {outcome.shortfall:,} of {its} "
            f"{outcome.portfolio:,} {subject} ({share:.1f}%) by the deadline {deadline}: {causes}"
        ),
        impact=f"{outcome.shortfall:,} meter points not migrated by {deadline}",
        mitigations=tuple(dict.fromkeys(mitigations)),
    )


def cumulative_series(result: PlanResult) -> Series:
    """For the chart of cumulative migrations against the deadline (web page, pack)."""
    return Series(
        days=tuple(_date(day) for day in result.problem.days),
        lp=tuple(int(v) for v in np.cumsum(result.lp.per_day())),
        greedy=tuple(int(v) for v in np.cumsum(result.greedy.per_day())),
        deadline=result.case.deadline,
        total=int(result.problem.portfolio.sum()),
    )


def _schedule_json(result: PlanResult, schedule: Schedule, raid: bool) -> dict[str, Any]:
    suppliers = supplier_outcomes(result, schedule)
    data: dict[str, Any] = {
        "method": schedule.method,
        "seconds": round(schedule.seconds, 3),
        "migrated": schedule.migrated(),
        "stranded": int(result.problem.portfolio.sum()) - schedule.migrated(),
        "completion": {o.name: _iso(o.completion) for o in suppliers},
        "objective": {
            "weighted": schedule.objective(result.problem),
            "time_cost": schedule.time_cost(),
        },
        "suppliers": [_outcome_json(o) for o in suppliers],
        "ldsos": [_outcome_json(o) for o in ldso_outcomes(result, schedule)],
    }
    if schedule.columns:
        data["lp_size"] = {"columns": schedule.columns, "rows": schedule.rows}
    if raid:
        data["raid"] = [asdict(s) for s in raid_suggestions(result, schedule)]
    return data


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    data = asdict(outcome)
    data["completion"] = _iso(outcome.completion)
    data["qualifies"] = _iso(outcome.qualifies)
    if outcome.qualifies is None and outcome.tranche is None:
        del data["qualifies"], data["tranche"]
    return data


def to_json(result: PlanResult) -> dict[str, Any]:
    case, series = result.case, cumulative_series(result)
    return {
        "case": case.name,
        "synthetic": case.synthetic,
        "start": case.start.isoformat(),
        "deadline": case.deadline.isoformat(),
        "working_days": len(result.problem.days),
        "meter_points": series.total,
        "allocation": [
            {
                "participant": name,
                "tranche": tranche,
                "decisions": [
                    {
                        "step": d.step,
                        "date": d.date.isoformat(),
                        "tranche": d.tranche,
                        "reason": d.reason,
                    }
                    for d in result.allocation.reasons(name)
                ],
            }
            for name, tranche in result.allocation.tranche_of.items()
        ],
        "lp": _schedule_json(result, result.lp, raid=True),
        "greedy": _schedule_json(result, result.greedy, raid=False),
        "cumulative": {
            "days": [d.isoformat() for d in series.days],
            "lp": list(series.lp),
            "greedy": list(series.greedy),
        },
    }
