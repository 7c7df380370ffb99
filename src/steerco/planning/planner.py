"""From a case to a plan: allocate tranches, lay the working days, solve, check, compare."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from steerco.core.calendar import calendar_for
from steerco.planning.allocation import Allocation, AllocationError, allocate
from steerco.planning.cases import Case, CaseError, Step
from steerco.planning.migration import (
    Ints,
    PlanError,
    Problem,
    Schedule,
    greedy,
    solve_plain,
    solve_structured,
)

Progress = Callable[[str], None]
SOLVERS: dict[str, Callable[[Problem], Schedule]] = {
    "structured": solve_structured,
    "plain": solve_plain,
}


@dataclass(frozen=True)
class PlanResult:
    case: Case
    allocation: Allocation
    problem: Problem
    lp: Schedule
    greedy: Schedule


def allocation_for(case: Case) -> Allocation:
    applicants = [supplier.applicant for supplier in case.suppliers]
    try:
        return allocate(case.tranches, applicants, case.allocation_date)
    except AllocationError as error:
        raise CaseError(f"allocation: {error}") from None


def build_problem(case: Case, allocation: Allocation) -> Problem:
    """Working days from start to deadline (England & Wales unless the case says otherwise),
    caps per day, and each supplier's release day from the tranche it qualifies in."""
    working = calendar_for(case.country, case.subdivision)
    span = np.arange(np.datetime64(case.start), np.datetime64(case.deadline) + 1)
    days = span[working.is_working_day_bulk(span)]
    ldsos = tuple(case.ldsos)
    suppliers = sorted(case.suppliers, key=lambda s: (s.applicant.intention_date, s.name))
    qualifies = {t.name: np.datetime64(t.qualifies) for t in case.tranches}
    release = np.full(len(suppliers), len(days), dtype=np.int64)
    for row, supplier in enumerate(suppliers):
        tranche = allocation.tranche_of.get(supplier.name)
        if tranche is not None:
            release[row] = np.searchsorted(days, qualifies[tranche])
    portfolio = np.array(
        [[s.portfolio.get(ldso, 0) for ldso in ldsos] for s in suppliers], dtype=np.int64
    ).reshape(len(suppliers), len(ldsos))
    return Problem(
        days=days,
        ldsos=ldsos,
        suppliers=tuple(s.name for s in suppliers),
        national_cap=daily_caps(case.national, days),
        ldso_cap=np.stack([daily_caps(case.ldsos[ldso], days) for ldso in ldsos]),
        release=release,
        portfolio=portfolio,
    )


def daily_caps(steps: tuple[Step, ...], days: np.ndarray) -> Ints:
    starts = np.array([step.start for step in steps], dtype="datetime64[D]")
    per_day = np.array([step.per_day for step in steps], dtype=np.int64)
    return per_day[np.searchsorted(starts, days, side="right") - 1]


def plan(case: Case, progress: Progress | None = None, solver: str = "structured") -> PlanResult:
    say = progress or (lambda _step: None)
    say("allocating qualification tranches")
    allocation = allocation_for(case)
    say("laying out working days and caps")
    problem = build_problem(case, allocation)
    say(f"solving the migration LP ({solver})")
    lp = SOLVERS[solver](problem)
    say("scheduling greedily, first come first served")
    baseline = greedy(problem)
    say("checking both plans against every constraint")
    for schedule in (lp, baseline):
        faults = violations(problem, schedule)
        if faults:
            raise PlanError(f"{schedule.method} breaks its constraints: {'; '.join(faults[:3])}")
    if lp.objective(problem) < baseline.objective(problem):
        raise PlanError("the LP plan is worse than greedy: the solver result is not optimal")
    return PlanResult(case, allocation, problem, lp, baseline)


def violations(problem: Problem, schedule: Schedule) -> list[str]:
    """Every constraint a schedule breaks (a guard on the solver and the split)."""
    flow = schedule.flow
    faults: list[str] = []
    if (flow < 0).any():
        faults.append("negative migration")
    over = np.argwhere(flow.sum(axis=2) > problem.portfolio)
    faults += [
        f"{problem.suppliers[s]} migrates more than its portfolio on {problem.ldsos[ldso]}"
        for s, ldso in over
    ]
    early = np.arange(len(problem.days))[None, :] < problem.release[:, None]
    for s, day in np.argwhere(early & (flow.sum(axis=1) > 0)):
        faults.append(f"{problem.suppliers[s]} migrates on {problem.days[day]}, before release")
    for ldso, day in np.argwhere(flow.sum(axis=0) > problem.ldso_cap):
        faults.append(f"LDSO {problem.ldsos[ldso]} over its cap on {problem.days[day]}")
    for day in np.flatnonzero(flow.sum(axis=(0, 1)) > problem.national_cap):
        faults.append(f"national cap exceeded on {problem.days[day]}")
    return faults
