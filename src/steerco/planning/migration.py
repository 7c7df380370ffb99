"""Migration capacity: the optimal plan (a linear program solved by HiGHS) and the
spreadsheet way (greedy, first come first served, day by day).

The problem: supplier s holds ``portfolio[s, l]`` meter points on LDSO l and may migrate them
from its tranche's qualification day ``release[s]`` onwards, on working days only, under a
daily cap per LDSO and a national daily cap. Variables x[s, l, d] ≥ 0:

    Σ_d x[s,l,d] ≤ portfolio[s,l]      Σ_s x[s,l,d] ≤ ldso_cap[l,d]
    Σ_s,l x[s,l,d] ≤ national_cap[d]

Objective. Wanted: most meter points migrated by the deadline, then earliest completion. We
maximise Σ_d w_d·y_d with y_d = Σ_s,l x[s,l,d] and w_d = D − d (positive, strictly falling).
Why that is lexicographically right: the vectors y that a feasible plan can put through the
days form a polymatroid (the flows a network can deliver into a set of sink arcs, here the
days; Edmonds), with rank f(T) = the most that can migrate on the days in T. Edmonds' greedy
theorem gives an optimum y* with prefix sums Y*_d = f({0..d}) for every d at once — the
most that can have migrated by each day. By Abel summation Σ_d w_d·y_d = Σ_d (w_d − w_{d+1})·Y_d
(w_D = 0) with every coefficient positive, and each Y_d ≤ f({0..d}); so *every* optimum has
Y_d = f({0..d}) for all d. In particular Y_{D−1} is the most that can migrate by the
deadline, and Σ_d d·y_d = (D−1)·Y_{D−1} − Σ_{d<D−1} Y_d is the least among plans that migrate
that much: the lexicographic optimum, and the earliest possible cumulative curve besides.
``solve_lexicographic`` does it the long way (two solves) and the tests check they agree.

Integrality. The constraint rows are two laminar families — {per (s,l)} and {per (l,d)} ⊂
{per d} (⊂ the whole, for the lexicographic second phase) — so the matrix is totally
unimodular and a simplex vertex is integral for integral caps and portfolios: the plan is
in whole meter points without rounding games.

Structure (why ``solve_structured`` is fast). Suppliers released on the same day on the same
LDSO are interchangeable for every cap, so the LP over groups (release day, LDSO) — at most
tranches × LDSOs of them — has the same optimal y as the plain LP over (supplier, LDSO).
Each group's daily flow is then shared among its suppliers in proportion to what each has
left (largest remainder, in whole meter points), so each supplier on that LDSO drains at the
group's pace and no cap is touched. The plain LP stays here for the benchmark to compare.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time
from dataclasses import dataclass

import highspy
import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


class PlanError(ValueError):
    pass


@dataclass(frozen=True)
class Problem:
    days: npt.NDArray[np.datetime64]  # (D,) working days from start to deadline inclusive
    ldsos: tuple[str, ...]  # (L,)
    suppliers: tuple[str, ...]  # (S,) in first-come-first-served order
    national_cap: Ints  # (D,) meter points per day
    ldso_cap: Ints  # (L, D)
    release: Ints  # (S,) first day index a supplier may migrate; D means never
    portfolio: Ints  # (S, L) meter points

    def __post_init__(self) -> None:
        d, n_l, n_s = len(self.days), len(self.ldsos), len(self.suppliers)
        shapes = {
            "national_cap": (self.national_cap.shape, (d,)),
            "ldso_cap": (self.ldso_cap.shape, (n_l, d)),
            "release": (self.release.shape, (n_s,)),
            "portfolio": (self.portfolio.shape, (n_s, n_l)),
        }
        for name, (got, want) in shapes.items():
            if got != want:
                raise PlanError(f"{name} has shape {got}, expected {want}")
        if d == 0:
            raise PlanError("impossible case: no working day before the deadline")
        if (self.national_cap <= 0).any():
            raise PlanError(f"national cap must be positive on every day: {self._bad_day()}")
        if (self.ldso_cap <= 0).any():
            l_bad, d_bad = np.argwhere(self.ldso_cap <= 0)[0]
            raise PlanError(
                f"cap of LDSO {self.ldsos[l_bad]!r} must be positive, "
                f"not {self.ldso_cap[l_bad, d_bad]} on {self.days[d_bad]}"
            )
        if (self.portfolio < 0).any():
            s_bad, l_bad = np.argwhere(self.portfolio < 0)[0]
            raise PlanError(
                f"supplier {self.suppliers[s_bad]!r}: negative portfolio on LDSO "
                f"{self.ldsos[l_bad]!r}"
            )

    def _bad_day(self) -> str:
        day = int(np.argmax(self.national_cap <= 0))
        return f"{self.national_cap[day]} on {self.days[day]}"

    @property
    def weights(self) -> Ints:
        """w_d = D − d: the single objective that is lexicographically right (see above)."""
        return np.arange(len(self.days), 0, -1, dtype=np.int64)


@dataclass(frozen=True)
class Schedule:
    flow: Ints  # (S, L, D) meter points migrated per supplier, LDSO and day
    method: str
    seconds: float  # wall time to produce it (building, solving, splitting)
    columns: int = 0  # LP size, where an LP was solved
    rows: int = 0

    def per_day(self) -> Ints:
        return self.flow.sum(axis=(0, 1))

    def migrated(self) -> int:
        return int(self.flow.sum())

    def objective(self, problem: Problem) -> int:
        return int(self.per_day() @ problem.weights)

    def time_cost(self) -> int:
        """Σ_d d·y_d: the second objective of the lexicographic pair."""
        per_day = self.per_day()
        return int(per_day @ np.arange(len(per_day), dtype=np.int64))


# -- the linear program over "groups" (each a pool on one LDSO with one release day) --------


@dataclass(frozen=True)
class _Groups:
    ldso: Ints  # (G,)
    release: Ints  # (G,)
    amount: Ints  # (G,)


@dataclass(frozen=True)
class _Lp:
    col_group: Ints
    col_day: Ints
    rows: int


def _build(groups: _Groups, problem: Problem) -> tuple[highspy.Highs, _Lp]:
    """One column per (group, day on or after its release); three unit entries per column."""
    n_days, n_ldsos, n_groups = len(problem.days), len(problem.ldsos), len(groups.amount)
    lengths = n_days - groups.release
    col_group = np.repeat(np.arange(n_groups, dtype=np.int64), lengths)
    first_col = np.repeat(np.cumsum(lengths) - lengths, lengths)
    col_day = np.arange(len(col_group), dtype=np.int64) - first_col + groups.release[col_group]
    index = np.empty((len(col_group), 3), dtype=np.int32)
    index[:, 0] = col_group
    index[:, 1] = n_groups + groups.ldso[col_group] * n_days + col_day
    index[:, 2] = n_groups + n_ldsos * n_days + col_day
    upper = np.concatenate([groups.amount, problem.ldso_cap.ravel(), problem.national_cap])
    lp = highspy.HighsLp()
    lp.num_col_ = len(col_group)
    lp.num_row_ = len(upper)
    lp.col_cost_ = -problem.weights[col_day].astype(np.float64)  # HiGHS minimises
    lp.col_lower_ = np.zeros(len(col_group))
    lp.col_upper_ = np.full(len(col_group), highspy.kHighsInf)
    lp.row_lower_ = np.full(len(upper), -highspy.kHighsInf)
    lp.row_upper_ = upper.astype(np.float64)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = np.arange(0, 3 * len(col_group) + 1, 3, dtype=np.int32)
    lp.a_matrix_.index_ = index.ravel()
    lp.a_matrix_.value_ = np.ones(3 * len(col_group))
    highs = _quiet_highs()
    highs.passModel(lp)
    return highs, _Lp(col_group, col_day, len(upper))


_banner_shown = False


def _quiet_highs() -> highspy.Highs:
    """A solver that prints nothing. HiGHS writes its banner to the C-level standard output
    when the process makes its first solver, before any option can be set; ``steerco plan
    --format json`` needs standard output to hold the JSON alone."""
    global _banner_shown
    if _banner_shown:
        highs = highspy.Highs()  # type: ignore[no-untyped-call]
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 1)
                highs = highspy.Highs()  # type: ignore[no-untyped-call]
                ctypes.CDLL(None).fflush(None)  # push the banner out while 1 is /dev/null
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
    highs.setOptionValue("output_flag", False)
    return highs


def _run(highs: highspy.Highs) -> None:
    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise PlanError(f"HiGHS did not find an optimal plan: {highs.modelStatusToString(status)}")


def _flows(highs: highspy.Highs, lp: _Lp, n_groups: int, n_days: int) -> Ints:
    values = np.asarray(highs.getSolution().col_value)
    whole = np.rint(values)
    worst = float(np.abs(values - whole).max(initial=0.0))
    if worst > 1e-4:  # a simplex vertex of a totally unimodular LP is integral
        raise PlanError(f"HiGHS returned a fractional plan (off by {worst:g})")
    flows = np.zeros((n_groups, n_days), dtype=np.int64)
    flows[lp.col_group, lp.col_day] = whole.astype(np.int64)
    return flows


def _solve_groups(groups: _Groups, problem: Problem, lexicographic: bool) -> tuple[Ints, _Lp]:
    if not len(groups.amount):  # nobody can migrate anything: HiGHS calls that model empty
        empty = np.zeros(0, dtype=np.int64)
        return np.zeros((0, len(problem.days)), dtype=np.int64), _Lp(empty, empty, 0)
    highs, lp = _build(groups, problem)
    columns = len(lp.col_group)
    if lexicographic:
        # Phase 1: most meter points; phase 2: that many, at the least Σ d·x.
        highs.changeColsCost(columns, np.arange(columns, dtype=np.int32), -np.ones(columns))
        _run(highs)
        most = round(-highs.getObjectiveValue())
        everything = np.arange(columns, dtype=np.int32)
        highs.addRow(most, highspy.kHighsInf, columns, everything, np.ones(columns))
        highs.changeColsCost(columns, everything, lp.col_day.astype(np.float64))
    _run(highs)
    return _flows(highs, lp, len(groups.amount), len(problem.days)), lp


def _pairs(problem: Problem) -> tuple[Ints, Ints]:
    """The (supplier, LDSO) pairs that have something to migrate and may ever migrate it."""
    can = (problem.portfolio > 0) & (problem.release < len(problem.days))[:, None]
    supplier, ldso = np.nonzero(can)
    return supplier.astype(np.int64), ldso.astype(np.int64)


def solve_plain(problem: Problem, lexicographic: bool = False) -> Schedule:
    """The plain LP, one column per (supplier, LDSO, day): the reference for the benchmark."""
    began = time.perf_counter()
    supplier, ldso = _pairs(problem)
    groups = _Groups(ldso, problem.release[supplier], problem.portfolio[supplier, ldso])
    flows, lp = _solve_groups(groups, problem, lexicographic)
    flow = np.zeros((*problem.portfolio.shape, len(problem.days)), dtype=np.int64)
    flow[supplier, ldso] = flows
    method = "plain LP (lexicographic, two solves)" if lexicographic else "plain LP"
    return Schedule(flow, method, time.perf_counter() - began, len(lp.col_group), lp.rows)


def solve_lexicographic(problem: Problem) -> Schedule:
    """Max migrated, then min Σ d·x with the first optimum fixed: the objective the long way."""
    return solve_plain(problem, lexicographic=True)


def solve_structured(problem: Problem) -> Schedule:
    """The LP over (release day, LDSO) groups, split back to suppliers (same optimum)."""
    began = time.perf_counter()
    supplier, ldso = _pairs(problem)
    release = problem.release[supplier]
    keys, group_of = np.unique(release * len(problem.ldsos) + ldso, return_inverse=True)
    group_of = group_of.astype(np.int64)
    amount = problem.portfolio[supplier, ldso]
    groups = _Groups(
        ldso=(keys % len(problem.ldsos)).astype(np.int64),
        release=(keys // len(problem.ldsos)).astype(np.int64),
        amount=np.bincount(group_of, weights=amount, minlength=len(keys)).astype(np.int64),
    )
    flows, lp = _solve_groups(groups, problem, lexicographic=False)
    flow = np.zeros((*problem.portfolio.shape, len(problem.days)), dtype=np.int64)
    flow[supplier, ldso] = split(group_of, amount, flows)
    seconds = time.perf_counter() - began
    return Schedule(flow, "structured LP", seconds, len(lp.col_group), lp.rows)


def split(group_of: Ints, amount: Ints, group_flow: Ints) -> Ints:
    """Share each group's daily flow among its members in proportion to what each has left.

    Whole meter points by largest remainder: share_p = ⌊g·r_p/R⌋, then one more to as many
    members as the group's leftover, largest remainders first (ties to the earlier member).
    A member with a positive remainder has share_p < g·r_p/R ≤ r_p, so the extra one never
    takes it past its portfolio; the remainders add up to the leftover, so there are enough.
    """
    n_groups, n_days = group_flow.shape
    remaining = amount.copy()
    out = np.zeros((len(amount), n_days), dtype=np.int64)
    for day in np.flatnonzero(group_flow.sum(axis=0)):
        need = group_flow[group_of, day]
        total = np.bincount(group_of, weights=remaining, minlength=n_groups).astype(np.int64)
        pool = total[group_of]
        if (need > pool).any():
            raise PlanError("a group is asked for more than its members hold")
        safe = np.maximum(pool, 1)
        share = need * remaining // safe
        numerator = need * remaining % safe
        leftover = group_flow[:, day] - np.bincount(
            group_of, weights=share, minlength=n_groups
        ).astype(np.int64)
        order = np.lexsort((-numerator, group_of))
        starts = np.searchsorted(group_of[order], np.arange(n_groups))
        position = np.empty(len(amount), dtype=np.int64)
        position[order] = np.arange(len(amount)) - starts[group_of[order]]
        share += position < leftover[group_of]
        remaining -= share
        out[:, day] = share
    return out


# -- the spreadsheet way ------------------------------------------------------------------


def greedy(problem: Problem) -> Schedule:
    """Day by day, suppliers in first-come-first-served order take all they can."""
    began = time.perf_counter()
    n_s, n_l = problem.portfolio.shape
    n_days = len(problem.days)
    remaining = problem.portfolio.tolist()
    flow = np.zeros((n_s, n_l, n_days), dtype=np.int64)
    releases = problem.release.tolist()
    held = [[ldso for ldso in range(n_l) if remaining[s][ldso] > 0] for s in range(n_s)]
    for day in range(n_days):
        national = int(problem.national_cap[day])
        ldso_left = problem.ldso_cap[:, day].tolist()
        for supplier in range(n_s):  # the problem lists suppliers first come first served
            if national == 0:
                break
            if releases[supplier] > day:
                continue
            for ldso in held[supplier]:
                take = min(remaining[supplier][ldso], ldso_left[ldso], national)
                if take > 0:
                    remaining[supplier][ldso] -= take
                    ldso_left[ldso] -= take
                    national -= take
                    flow[supplier, ldso, day] = take
            held[supplier] = [ldso for ldso in held[supplier] if remaining[supplier][ldso]]
    return Schedule(flow, "greedy, first come first served", time.perf_counter() - began)
