"""The migration plan: hand-solved cases, constraints checked independently of the solver, the
structured LP against the plain one and the two-solve lexicographic one, and greedy."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from steerco.core.calendar import calendar_for
from steerco.planning.cases import Case, Step, parse_case, read_case
from steerco.planning.migration import (
    Problem,
    Schedule,
    greedy,
    solve_lexicographic,
    solve_plain,
    solve_structured,
    split,
)
from steerco.planning.planner import PlanResult, plan
from steerco.planning.report import (
    cumulative_series,
    ldso_outcomes,
    raid_suggestions,
    supplier_outcomes,
)
from tests.conftest import ROOT

TINY = ROOT / "examples" / "migration" / "tiny.yaml"
CAL = calendar_for("GB", "ENG")


def case_data(**overrides: Any) -> dict[str, Any]:
    """One supplier, one LDSO, one tranche, Monday 2 to Friday 6 March 2026."""
    data: dict[str, Any] = {
        "case": "test",
        "start": "2026-03-02",
        "deadline": "2026-03-06",
        "capacity": {"national": 1000, "ldsos": {"EAST": 100}},
        "tranches": [
            {"name": "T1", "executes": "2025-12-01", "qualifies": "2026-03-02", "max_size": 5}
        ],
        "suppliers": [{"name": "Solo", "tranche": "T1", "portfolio": {"EAST": 250}}],
    }
    data.update(overrides)
    return data


def migrations(result: PlanResult, schedule: Schedule) -> list[tuple[str, str, dt.date, int]]:
    """The plan as (supplier, LDSO, date, meter points) rows, as a reader of the output sees it."""
    p = result.problem
    return [
        (p.suppliers[s], p.ldsos[ldso], p.days[d].astype(dt.date), int(schedule.flow[s, ldso, d]))
        for s, ldso, d in zip(*np.nonzero(schedule.flow), strict=True)
    ]


def cap_on(steps: tuple[Step, ...], day: dt.date) -> int:
    return [step.per_day for step in steps if step.start <= day][-1]


def check_every_constraint(case: Case, result: PlanResult, schedule: Schedule) -> None:
    """Each constraint of the case, checked from the case file's own values, not the LP's."""
    qualifies = {t.name: t.qualifies for t in case.tranches}
    portfolio = {s.name: s.portfolio for s in case.suppliers}
    per_ldso_day: dict[tuple[str, dt.date], int] = defaultdict(int)
    per_day: dict[dt.date, int] = defaultdict(int)
    per_pair: dict[tuple[str, str], int] = defaultdict(int)
    for supplier, ldso, day, count in migrations(result, schedule):
        assert count > 0
        assert CAL.is_working_day(day), f"{supplier} migrates on {day}, not a working day"
        assert case.start <= day <= case.deadline
        tranche = result.allocation.tranche_of[supplier]
        assert tranche is not None and day >= qualifies[tranche], f"{supplier} early on {day}"
        per_ldso_day[ldso, day] += count
        per_day[day] += count
        per_pair[supplier, ldso] += count
    for (ldso, day), count in per_ldso_day.items():
        assert count <= cap_on(case.ldsos[ldso], day), f"LDSO {ldso} over its cap on {day}"
    for day, count in per_day.items():
        assert count <= cap_on(case.national, day), f"national cap exceeded on {day}"
    for (supplier, ldso), count in per_pair.items():
        assert count <= portfolio[supplier][ldso], f"{supplier} over its portfolio on {ldso}"


# -- hand-solved cases --------------------------------------------------------------------


def test_the_tiny_case_strands_ten_under_the_lp_and_fifty_under_greedy() -> None:
    # Worked in docs/planning.md: 4 working days at 100 national = 400 of 410 at best, and the
    # LP reaches it; greedy lets Alpha (first come) fill the national cap on the first two
    # days, so Beta's WEST (50/day) is the only flow on the last two days with Gamma's 60.
    case = read_case(TINY)
    result = plan(case)
    assert [d.isoformat() for d in cumulative_series(result).days] == [
        "2026-04-01", "2026-04-02", "2026-04-07", "2026-04-08",
    ]  # fmt: skip
    assert result.allocation.tranche_of == {
        "Alpha Energy": "T1",
        "Beta Power": "T1",
        "Gamma Supply": "T2",
    }
    assert case.total - result.lp.migrated() == 10
    assert case.total - result.greedy.migrated() == 50
    assert cumulative_series(result).lp == (100, 200, 300, 400)
    assert cumulative_series(result).greedy == (100, 200, 300, 360)
    for schedule in (result.lp, result.greedy):
        check_every_constraint(case, result, schedule)


def test_a_lone_supplier_finishes_on_the_third_day_at_a_hundred_a_day() -> None:
    case = parse_case(case_data())
    result = plan(case)
    for schedule in (result.lp, result.greedy):
        assert [row[2:] for row in migrations(result, schedule)] == [
            (dt.date(2026, 3, 2), 100),
            (dt.date(2026, 3, 3), 100),
            (dt.date(2026, 3, 4), 50),
        ]
    [outcome] = supplier_outcomes(result, result.lp)
    assert outcome.completion == dt.date(2026, 3, 4) and outcome.shortfall == 0
    assert [b.kind for b in outcome.binding] == ["ldso-cap"]
    assert "LDSO EAST cap (100/day) full on 2 of 3 working days" in outcome.binding[0].text
    assert raid_suggestions(result, result.lp) == []


def test_no_migration_on_a_bank_holiday_or_before_the_tranche_qualifies() -> None:
    # Qualifies on Saturday 4 April 2026; Easter Monday is a bank holiday: first day Tue 7.
    tranche = {"name": "T1", "executes": "2026-01-05", "qualifies": "2026-04-04", "max_size": 1}
    case = parse_case(case_data(start="2026-04-01", deadline="2026-04-09", tranches=[tranche]))
    result = plan(case)
    days = [row[2] for row in migrations(result, result.lp)]
    assert days == [dt.date(2026, 4, 7), dt.date(2026, 4, 8), dt.date(2026, 4, 9)]
    check_every_constraint(case, result, result.lp)


def test_a_cap_that_steps_up_is_used_from_its_first_day() -> None:
    national = [{"from": "2026-03-01", "per_day": 50}, {"from": "2026-03-05", "per_day": 200}]
    case = parse_case(case_data(capacity={"national": national, "ldsos": {"EAST": 100}}))
    result = plan(case)
    assert list(cumulative_series(result).lp) == [50, 100, 150, 250, 250]
    check_every_constraint(case, result, result.lp)


def test_a_supplier_short_at_the_deadline_gets_a_suggested_risk_naming_the_binding_cap() -> None:
    case = parse_case(case_data(deadline="2026-03-03"))
    result = plan(case)
    [outcome] = supplier_outcomes(result, result.lp)
    assert (outcome.migrated, outcome.shortfall, outcome.completion) == (200, 50, None)
    [ldso] = ldso_outcomes(result, result.lp)
    assert ldso.shortfall == 50
    risks = raid_suggestions(result, result.lp)
    assert [r.owner for r in risks] == ["Solo", "EAST"]
    assert "cannot migrate 50 of its 250 meter points (20.0%) by the deadline 2026-03-03" in (
        risks[0].description
    )
    assert risks[0].mitigations == ("Agree more daily migration capacity with LDSO EAST",)


def test_a_late_tranche_is_named_when_capacity_went_unused_before_it() -> None:
    tranches = [
        {"name": "T1", "executes": "2025-12-01", "qualifies": "2026-03-02", "max_size": 1},
        {"name": "T2", "executes": "2025-12-01", "qualifies": "2026-03-05", "max_size": 1},
    ]
    case = parse_case(case_data(tranches=tranches, suppliers=[
        {"name": "Late", "tranche": "T2", "portfolio": {"EAST": 300}},
    ]))  # fmt: skip
    result = plan(case)
    [outcome] = supplier_outcomes(result, result.lp)
    assert outcome.shortfall == 100
    assert outcome.binding[0].kind == "tranche"
    assert "tranche T2 qualifies 2026-03-05" in outcome.binding[0].text
    assert (
        "Seek a place in a tranche before T2" in raid_suggestions(result, result.lp)[0].mitigations
    )


# -- the LP against the plain LP, the long way, and greedy ---------------------------------


def random_problem(seed: int) -> Problem:
    rng = np.random.default_rng(seed)
    n_days, n_ldsos, n_suppliers = int(rng.integers(3, 12)), int(rng.integers(1, 4)), 6
    release = rng.integers(0, n_days + 1, n_suppliers)  # n_days: never qualifies
    portfolio = rng.integers(0, 60, (n_suppliers, n_ldsos)) * rng.integers(0, 2, (n_suppliers, 1))
    return Problem(
        days=np.datetime64("2026-01-05") + np.arange(n_days),
        ldsos=tuple(f"L{n}" for n in range(n_ldsos)),
        suppliers=tuple(f"S{n}" for n in range(n_suppliers)),
        national_cap=rng.integers(5, 40, n_days),
        ldso_cap=rng.integers(3, 25, (n_ldsos, n_days)),
        release=release.astype(np.int64),
        portfolio=portfolio.astype(np.int64),
    )


def problem_faults(problem: Problem, schedule: Schedule) -> list[str]:
    flow = schedule.flow
    faults = []
    if (flow < 0).any():
        faults.append("negative")
    if (flow.sum(axis=2) > problem.portfolio).any():
        faults.append("portfolio")
    if (flow.sum(axis=0) > problem.ldso_cap).any():
        faults.append("ldso cap")
    if (flow.sum(axis=(0, 1)) > problem.national_cap).any():
        faults.append("national cap")
    for s in range(len(problem.suppliers)):
        if flow[s, :, : problem.release[s]].any():
            faults.append("before release")
    return faults


@pytest.mark.parametrize("seed", range(40))
def test_structured_plain_and_two_solve_lexicographic_lps_reach_the_same_optimum(seed: int) -> None:
    problem = random_problem(seed)
    structured, plain = solve_structured(problem), solve_plain(problem)
    lexicographic = solve_lexicographic(problem)
    for schedule in (structured, plain, lexicographic):
        assert problem_faults(problem, schedule) == []
    # Same most-migrated, same least time cost: the weighted single objective is lexicographic.
    assert structured.migrated() == plain.migrated() == lexicographic.migrated()
    assert structured.time_cost() == plain.time_cost() == lexicographic.time_cost()
    assert structured.objective(problem) == plain.objective(problem)


@pytest.mark.parametrize("seed", range(40))
def test_the_lp_is_never_behind_greedy_on_any_day(seed: int) -> None:
    problem = random_problem(seed)
    lp, baseline = solve_structured(problem), greedy(problem)
    assert problem_faults(problem, baseline) == []
    # Stronger than "never strands more": the LP's cumulative curve is the earliest possible.
    assert (np.cumsum(lp.per_day()) >= np.cumsum(baseline.per_day())).all()


def test_greedy_can_strand_what_the_lp_migrates() -> None:
    problem = Problem(
        days=np.datetime64("2026-01-05") + np.arange(2),
        ldsos=("A", "B"),
        suppliers=("First", "Second"),
        national_cap=np.array([100, 100]),
        ldso_cap=np.array([[100, 100], [50, 50]]),
        release=np.array([0, 0]),
        portfolio=np.array([[100, 0], [0, 100]]),
    )
    assert greedy(problem).migrated() == 150  # First fills day 1; B's cap holds Second to 50
    assert solve_structured(problem).migrated() == 200  # 50 + 50 each day


def test_a_group_share_is_split_in_proportion_to_what_each_member_has_left() -> None:
    group_of = np.array([0, 0, 0, 1])
    amount = np.array([50, 30, 20, 7])
    flow = split(group_of, amount, np.array([[10, 45, 45], [7, 0, 0]]))
    assert flow[:, 0].tolist() == [5, 3, 2, 7]
    assert flow.sum(axis=1).tolist() == [50, 30, 20, 7]
    assert (flow.sum(axis=0) == [17, 45, 45]).all()


def test_the_gb_sized_sample_plans_within_every_constraint(tmp_path: Path) -> None:
    from steerco.planning import generate

    path = tmp_path / "case.yaml"
    generate.write(path, generate.SAMPLE)
    case = read_case(path)
    assert case.synthetic and "SYNTHETIC" in case.name
    result = plan(case)
    check_every_constraint(case, result, result.lp)
    check_every_constraint(case, result, result.greedy)
    assert result.lp.migrated() >= result.greedy.migrated()
    assert result.lp.objective(result.problem) == solve_plain(result.problem).objective(
        result.problem
    )
