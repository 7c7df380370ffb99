"""A SYNTHETIC migration case sized like GB, for the benchmark and for trying `steerco plan`.

Real supplier portfolios by LDSO are not public, so every number here is made up, and the
case says so in its name, its ``synthetic`` flag and a comment at the top of the file. The
shape follows what is known of GB: about 33 million meter points; 100 suppliers whose
portfolios fall off roughly as 1/rank (a few with millions, a long tail of small ones); 20
LDSOs (14 large distribution areas, 6 small independent networks); 8 qualification tranches
from the start of migration to M14; about 400 working days to the deadline; a national cap
that ramps up, and per-LDSO caps in proportion to each network's size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from steerco.core.calendar import calendar_for
from steerco.io import yamlfile
from steerco.planning.allocation import months_before

HEADER = (
    "# SYNTHETIC migration case written by `steerco plan --generate` (steerco.planning.generate).\n"
    "# Every supplier, network and number in it is made up; none is real GB data.\n"
)


@dataclass(frozen=True)
class Shape:
    label: str = "GB-sized"
    suppliers: int = 100
    ldsos: int = 20
    large_ldsos: int = 14
    tranches: int = 8
    working_days: int = 400
    meter_points: int = 33_000_000
    start: dt.date = dt.date(2025, 3, 10)
    last_tranche: dt.date = dt.date(2026, 3, 16)  # M14: suppliers qualified
    national_per_day: int = 90_000
    ramp_days: int = 60  # the first working days run at half the national cap
    ldso_headroom: float = 1.2  # LDSO caps add up to this times the national cap


GB = Shape()
SAMPLE = Shape(
    label="small sample, GB-like",
    suppliers=12,
    ldsos=4,
    large_ldsos=3,
    tranches=3,
    working_days=60,
    meter_points=120_000,
    last_tranche=dt.date(2025, 4, 14),
    national_per_day=2_400,
    ramp_days=10,
)


def generate(shape: Shape = GB, seed: int = 8) -> dict[str, Any]:
    """The case as plain data (what `parse_case` reads), the same for the same seed."""
    rng = np.random.default_rng(seed)
    working = calendar_for("GB", "ENG")
    deadline = working.add_working_days(shape.start, shape.working_days - 1)
    ldsos = _ldso_names(shape)
    sizes = _ldso_sizes(shape, rng)
    tranches = _tranches(shape)
    return {
        "case": f"SYNTHETIC {shape.label} migration (seed {seed})",
        "synthetic": True,
        "start": shape.start.isoformat(),
        "deadline": deadline.isoformat(),
        "allocation_date": months_before(
            dt.date.fromisoformat(tranches[0]["executes"]), 7
        ).isoformat(),
        "capacity": {
            "national": [
                {"from": shape.start.isoformat(), "per_day": shape.national_per_day // 2},
                {
                    "from": working.add_working_days(shape.start, shape.ramp_days).isoformat(),
                    "per_day": shape.national_per_day,
                },
            ],
            "ldsos": {
                name: max(1, round(shape.national_per_day * shape.ldso_headroom * share))
                for name, share in zip(ldsos, sizes / sizes.sum(), strict=True)
            },
        },
        "tranches": tranches,
        "suppliers": _suppliers(shape, rng, ldsos, sizes, tranches),
    }


def _ldso_names(shape: Shape) -> list[str]:
    large = [f"DNO-{n:02d}" for n in range(1, shape.large_ldsos + 1)]
    small = [f"IDNO-{n:02d}" for n in range(1, shape.ldsos - shape.large_ldsos + 1)]
    return large + small


def _ldso_sizes(shape: Shape, rng: np.random.Generator) -> np.ndarray:
    large = rng.uniform(1.5, 3.5, shape.large_ldsos)
    small = rng.uniform(0.1, 0.6, shape.ldsos - shape.large_ldsos)
    return np.concatenate([large, small])


def _tranches(shape: Shape) -> list[dict[str, Any]]:
    span = (shape.last_tranche - shape.start).days
    working = calendar_for("GB", "ENG")
    out = []
    for n in range(shape.tranches):
        offset = span * n // max(1, shape.tranches - 1)
        qualifies = working.roll(shape.start + dt.timedelta(days=offset))
        out.append(
            {
                "name": f"T{n + 1}",
                "executes": working.roll(qualifies - dt.timedelta(weeks=13)).isoformat(),
                "qualifies": qualifies.isoformat(),
                "max_size": -(-shape.suppliers * 5 // (4 * shape.tranches)),  # 25% spare
            }
        )
    return out


def _portfolios(shape: Shape, rng: np.random.Generator, sizes: np.ndarray) -> np.ndarray:
    """(suppliers, LDSOs) meter points adding up to ``shape.meter_points`` exactly."""
    weights = rng.uniform(0.8, 1.2, shape.suppliers) / np.arange(1, shape.suppliers + 1)
    totals = np.floor(weights / weights.sum() * shape.meter_points).astype(np.int64)
    totals[0] += shape.meter_points - totals.sum()
    rows = []
    for rank, total in enumerate(totals):
        # Large suppliers spread nationally; small ones are more regional.
        concentration = 200.0 if rank < 10 else 5.0
        shares = rng.dirichlet(concentration * sizes / sizes.sum())
        rows.append(rng.multinomial(total, shares))
    return np.array(rows, dtype=np.int64)


def _suppliers(
    shape: Shape,
    rng: np.random.Generator,
    ldsos: list[str],
    sizes: np.ndarray,
    tranches: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    portfolios = _portfolios(shape, rng, sizes)
    intention_start = dt.date(2023, 10, 2)
    groups = {n: f"Synthetic Group {n // 3 + 1}" for n in range(0, min(15, shape.suppliers))}
    out = []
    for n in range(shape.suppliers):
        record: dict[str, Any] = {
            "name": f"Synthetic Supplier {n + 1:03d}",
            "intention_date": (
                intention_start + dt.timedelta(days=int(rng.integers(0, 240)))
            ).isoformat(),
        }
        if rng.random() < 0.7:
            record["preferred_tranche"] = tranches[int(rng.integers(0, len(tranches)))]["name"]
        if n in groups:
            record["group"] = groups[n]
            record["group_with_related"] = bool(n % 2 == 0)
        # Red readiness and late PIT among the smaller suppliers only: the large ones are
        # assumed resourced to be ready (and a case dominated by them being out is dull).
        roll = rng.random() if n >= 10 else 1.0
        pit = dt.date.fromisoformat(tranches[0]["executes"]) - dt.timedelta(days=120)
        if roll < 0.04:
            record["readiness"] = {"assessment": "red"}
        elif roll < 0.10:  # PIT late: not confirmed for an early tranche
            late = pit + dt.timedelta(days=int(rng.integers(150, 300)))
            record["readiness"] = {"assessment": "amber", "pit_complete_by": late.isoformat()}
        else:
            record["readiness"] = {"assessment": "green", "pit_complete_by": pit.isoformat()}
        if 0.10 <= roll < 0.13:
            record["drops_out"] = tranches[len(tranches) // 2]["executes"]
        record["portfolio"] = {
            ldso: int(count) for ldso, count in zip(ldsos, portfolios[n], strict=True) if count
        }
        out.append(record)
    return out


def write(path: Path, shape: Shape = GB, seed: int = 8) -> dict[str, Any]:
    case = generate(shape, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + yamlfile.dump(case), encoding="utf-8")
    return case
