"""Case files: bad input named clearly; `steerco plan` in table and JSON form; the generator."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from steerco.planning.cases import CaseError, parse_case, read_case, read_case_text
from steerco.planning.migration import PlanError, Problem
from tests.conftest import ROOT
from tests.test_planning_migration import TINY, case_data


def run_plan(*args: str) -> str:
    out = io.StringIO()
    call_command("plan", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"capacity": {"national": 0, "ldsos": {"EAST": 100}}},
            "national cap must be a positive whole number per working day, not 0",
        ),
        (
            {"capacity": {"national": 100, "ldsos": {"EAST": -5}}},
            "cap of LDSO 'EAST' must be a positive whole number per working day, not -5",
        ),
        (
            {"capacity": {"national": [{"from": "2026-03-02", "per_day": 0}], "ldsos": {"E": 1}}},
            "national cap from 2026-03-02 must be a positive whole number",
        ),
        (
            {"suppliers": [{"name": "Solo", "tranche": "T1", "portfolio": {"NORTH": 5}}]},
            "supplier 'Solo': portfolio on unknown LDSO 'NORTH' \\(capacity.ldsos has EAST\\)",
        ),
        (
            {"suppliers": [{"name": "Solo", "tranche": "T1", "portfolio": {"EAST": -1}}]},
            "supplier 'Solo': portfolio on EAST must be a whole number ≥ 0, not -1",
        ),
        (
            {
                "tranches": [
                    {
                        "name": "T9",
                        "executes": "2026-01-05",
                        "qualifies": "2026-03-09",
                        "max_size": 1,
                    }
                ]
            },
            "tranche T9 qualifies 2026-03-09, after the deadline 2026-03-06",
        ),
        (
            {"start": "2026-03-07", "deadline": "2026-03-08"},
            "impossible case: no working day from start 2026-03-07 to deadline 2026-03-08",
        ),
        ({"deadline": "2026-02-27"}, "deadline 2026-02-27 is before start 2026-03-02"),
        (
            {"suppliers": [{"name": "Solo", "tranche": "T7", "portfolio": {"EAST": 1}}]},
            "supplier 'Solo': tranche 'T7' is not a tranche \\(T1\\)",
        ),
        (
            {"suppliers": [{"name": "New", "intention_date": "2024-01-01", "portfolio": {}}]},
            "allocation_date is needed",
        ),
        ({"capacty": {}}, "unknown field 'capacty'"),
        ({"calendar": {"subdivision": "XXX"}}, "calendar: no bank holidays for GB/XXX"),
        ({"deadline": "2041-01-04"}, "calendar: 2041-01-05 is outside the calendar's years"),
        ({"start": "2026-02-30"}, "start must be a date \\(YYYY-MM-DD\\), not '2026-02-30'"),
    ],
)
def test_bad_input_is_refused_naming_the_constraint_or_record(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(CaseError, match=message):
        parse_case(case_data(**change), "case.yaml")


def test_a_fault_in_a_yaml_file_names_its_line(tmp_path: Path) -> None:
    text = TINY.read_text().replace("portfolio: {WEST: 150}", "portfolio: {NORTH: 150}")
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "name: Beta Power" in row)
    with pytest.raises(CaseError, match=f"bad.yaml, line {line}: supplier 'Beta Power'"):
        read_case(path)


def test_a_case_given_as_text_reads_as_its_file_does_and_names_the_upload() -> None:
    assert read_case_text(TINY.read_bytes(), "tiny.yaml") == read_case(TINY)
    text = TINY.read_text().replace("portfolio: {WEST: 150}", "portfolio: {NORTH: 150}")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "name: Beta Power" in row)
    with pytest.raises(CaseError, match=rf"^upload\.yaml, line {line}: supplier 'Beta Power'"):
        read_case_text(text, "some/dir/upload.yaml")
    with pytest.raises(CaseError, match=r"^upload\.yaml: not UTF-8 text"):
        read_case_text(b"case: \xff", "upload.yaml")
    with pytest.raises(CaseError, match=r"^upload\.yaml, line 2: not valid YAML"):
        read_case_text("case: [\n", "upload.yaml")


def test_a_problem_with_a_zero_cap_is_refused_even_when_built_directly() -> None:
    with pytest.raises(PlanError, match="cap of LDSO 'A' must be positive, not 0 on 2026-01-05"):
        Problem(
            days=np.array(["2026-01-05"], dtype="datetime64[D]"),
            ldsos=("A",),
            suppliers=("S",),
            national_cap=np.array([10]),
            ldso_cap=np.array([[0]]),
            release=np.array([0]),
            portfolio=np.array([[5]]),
        )


def test_plan_prints_the_verdict_and_both_plans_as_tables() -> None:
    out = run_plan(str(TINY))
    assert "Not every meter point can migrate by 2026-04-08: at best 10 are stranded." in out
    assert "structured LP" in out and "greedy, first come first served" in out
    assert "Suggested RAID entries" in out


def test_plan_json_has_lp_and_greedy_with_stranded_and_completion_per_supplier() -> None:
    data = json.loads(run_plan(str(TINY), "--format", "json"))
    assert data["lp"]["stranded"] == 10 and data["greedy"]["stranded"] == 50
    assert set(data["lp"]["completion"]) == {"Alpha Energy", "Beta Power", "Gamma Supply"}
    assert data["greedy"]["completion"]["Beta Power"] is None  # 50 short under greedy
    assert data["greedy"]["completion"]["Alpha Energy"] == "2026-04-02"
    assert data["lp"]["raid"] and data["cumulative"]["lp"] == [100, 200, 300, 400]
    assert data["allocation"][2]["decisions"][0]["reason"].endswith("T2 has room")


def test_the_plain_solver_gives_the_same_stranded_count() -> None:
    data = json.loads(run_plan(str(TINY), "--format", "json", "--solver", "plain"))
    assert data["lp"]["method"] == "plain LP" and data["lp"]["stranded"] == 10


def test_plan_reports_a_bad_case_as_a_command_error(tmp_path: Path) -> None:
    path = tmp_path / "zero.yaml"
    path.write_text(TINY.read_text().replace("national: 100 ", "national: 0 "))
    with pytest.raises(CommandError, match="national cap must be a positive whole number"):
        run_plan(str(path))
    with pytest.raises(CommandError, match="cannot read the case"):
        run_plan(str(tmp_path / "missing.yaml"))


def test_generate_writes_a_synthetic_case_that_plans(tmp_path: Path) -> None:
    out = run_plan("--generate", str(tmp_path), "--sample")
    assert "Wrote a SYNTHETIC case" in out and "120,000 meter points" in out
    text = (tmp_path / "sample.yaml").read_text()
    assert text.startswith("# SYNTHETIC") and "synthetic: true" in text
    data = json.loads(run_plan(str(tmp_path / "sample.yaml"), "--format", "json"))
    assert data["synthetic"] is True
    assert data["lp"]["stranded"] <= data["greedy"]["stranded"]


def test_the_gb_sized_generator_matches_the_issue_shape() -> None:
    from steerco.planning.generate import generate

    case = parse_case(generate(), "gb")
    assert case.total == 33_000_000
    assert (len(case.suppliers), len(case.ldsos), len(case.tranches)) == (100, 20, 8)
    assert case.synthetic


def test_the_committed_sample_case_is_the_generators_output() -> None:
    from steerco.planning import generate

    sample = ROOT / "examples" / "migration" / "gb-synthetic" / "sample.yaml"
    expected = generate.HEADER + generate.yamlfile.dump(generate.generate(generate.SAMPLE))
    assert sample.read_text() == expected
