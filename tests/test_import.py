"""`steerco import`: dry run, all-or-nothing commit, round trips, other layouts, bad input."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from steerco.core.models import Programme
from steerco.io import importer, spreadsheets
from steerco.io.mapping import Mapping, MappingError
from steerco.milestones.models import Milestone
from steerco.raid.models import RaidItem
from steerco.registers import REGISTERS as SPEC
from tests.test_load import state

pytestmark = pytest.mark.django_db


def model_of(slug: str) -> Any:
    return next(r.model for r in SPEC if r.slug == slug)


# Every register with its own file section: a register kept inside another is imported there.
REGISTERS = [register.slug for register in SPEC if not register.part_of]


def mhhs() -> Programme:
    return Programme.objects.get(code="mhhs")


def exported(register: str, fmt: str, tmp_path: Path) -> Path:
    target = tmp_path / f"{register}.{fmt}"
    call_command("export", register, "--format", fmt, "-o", str(target))
    return target


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("register", REGISTERS)
def test_importing_an_export_changes_nothing(register: str, fmt: str, tmp_path: Path) -> None:
    path = exported(register, fmt, tmp_path)
    before = state()
    if not model_of(register).objects.filter(programme=mhhs()).exists():
        # An empty register exports its columns only: a form to fill in, not an import.
        with pytest.raises(importer.ImportError_, match="has a header but no rows"):
            importer.plan(register, path, mhhs())
        return
    result = importer.plan(register, path, mhhs())
    assert result.problems == []
    assert result.count("create") == 0 and result.count("change") == 0
    assert result.count("unchanged") > 0
    importer.commit(result, mhhs(), "tests")
    assert state() == before


def test_a_changed_row_is_shown_in_the_dry_run_and_written_by_the_commit(tmp_path: Path) -> None:
    path = exported("milestones", "csv", tmp_path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["code"] == "T2-TE-0250":
            row["rag"] = "red"
            row["commentary"] = "Core providers not ready"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = importer.plan("milestones", path, mhhs())
    changed = [r for r in result.rows if r.action == "change"]
    assert [(r.key, r.changed) for r in changed] == [(("T2-TE-0250",), ["commentary", "rag"])]
    assert Milestone.objects.get(code="T2-TE-0250").rag == "yellow"  # a dry run writes nothing
    importer.commit(result, mhhs(), "pmo@example")
    milestone = Milestone.objects.get(code="T2-TE-0250")
    assert milestone.rag == "red"
    newest = milestone.history.first()
    assert newest.history_change_reason == "import milestones.csv"
    assert newest.history_actor == "pmo@example"
    assert importer.plan("milestones", path, mhhs()).count("change") == 0


def test_new_rows_are_created_and_missing_ones_left_alone(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "new.csv",
        ["code", "tier", "title", "baseline_date", "forecast_date", "rag"],
        [["T3-TE-0999", "T3", "A new milestone", "2023-12-01", "2023-12-01", "green"]],
    )
    result = importer.plan("milestones", path, mhhs())
    assert (result.count("create"), result.left_alone) == (1, 27)
    importer.commit(result, mhhs(), "tests")
    assert Milestone.objects.filter(code="T3-TE-0999").exists()
    assert Milestone.objects.count() == 28


def test_a_commit_that_fails_halfway_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_csv(
        tmp_path / "three.csv",
        ["code", "title", "rag"],
        [[f"T3-XX-000{n}", f"Milestone {n}", "green"] for n in (1, 2, 3)],
    )
    result = importer.plan("milestones", path, mhhs())
    assert result.count("create") == 3
    original = importer._apply
    calls = []

    def failing(*args: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "_apply", failing)
    before = state()
    with pytest.raises(RuntimeError, match="disk full"):
        importer.commit(result, mhhs(), "tests")
    assert len(calls) == 3
    assert state() == before


def problems_of(path: Path, register: str = "milestones") -> list[str]:
    return [str(p) for p in importer.plan(register, path, mhhs()).problems]


def test_a_wrong_type_is_named_by_row_column_value_and_reason(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "m.csv",
        ["code", "title", "baseline_date"],
        [["T3-XX-0001", "Fine", "2023-12-01"], ["T3-XX-0002", "Bad", "soon"]],
    )
    (problem,) = problems_of(path)
    assert problem.startswith("m, row 3, column 'baseline_date' (value 'soon'):")
    assert "invalid date format" in problem


def test_an_unknown_reference_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv", ["ref", "theme", "description"], [["R999", "9", "There is a risk"]]
    )
    (problem,) = problems_of(path, "raid")
    assert "column 'theme'" in problem and "no raid theme '9'" in problem


def test_a_duplicate_ref_in_the_file_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv", ["code", "title"], [["T3-XX-0001", "One"], ["T3-XX-0001", "Two"]]
    )
    (problem,) = problems_of(path)
    assert "row 3" in problem and "a second row for the same record" in problem


def test_an_unknown_column_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "u.csv", ["code", "title", "colour"], [["T3-XX-1", "A", "red"]])
    (problem,) = problems_of(path)
    assert "Milestone has no field 'colour'" in problem


def xlsx(path: Path, build: object) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "milestones"
    sheet.append(["code", "title", "rag"])
    sheet.append(["T3-XX-0001", "One", "green"])
    build(book)  # type: ignore[operator]
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda b: b.active.__setitem__("C2", '=LOWER("GREEN")'), "holds formula cells"),
        (lambda b: b.active.merge_cells("A3:B3"), "has merged cells"),
        (lambda b: setattr(b.create_sheet("secret"), "sheet_state", "hidden"), "hidden sheets"),
    ],
    ids=["formula", "merged", "hidden"],
)
def test_unsafe_workbooks_are_refused_whole(tmp_path: Path, build: object, message: str) -> None:
    path = xlsx(tmp_path / "bad.xlsx", build)
    with pytest.raises(importer.ImportError_, match=message):
        importer.plan("milestones", path, mhhs())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("header.csv", b"code,title\n", "has a header but no rows"),
        ("fake.xlsx", b"code,title\nT3-XX-1,A\n", "named .xlsx but is not an xlsx"),
        ("zip.csv", b"PK\x03\x04garbage", "named .csv but is a ZIP package"),
        ("broken.xlsx", b"PK\x03\x04garbage", "not a valid xlsx"),
        ("binary.csv", b"code\x00,title\n", "not text"),
        ("latin.csv", "code,title\nT3-XX-1,Caf\xe9\n".encode("latin-1"), "not UTF-8"),
        ("notes.txt", b"code,title\n", "only .xlsx and .csv"),
        ("twice.csv", b"code,code\nA,B\n", "appears twice in the header"),
    ],
)
def test_bad_files_get_a_clear_error_and_nothing_is_written(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = state()
    with pytest.raises(importer.ImportError_, match=message):
        importer.plan("milestones", path, mhhs())
    assert state() == before


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", ["code", "title"], [["T3", "x" * 5000]])
    with pytest.raises(spreadsheets.SpreadsheetError, match="over the 2,048-byte limit"):
        spreadsheets.read(path, max_bytes=2048)


OTHER_TOOL = {
    "register": "raid",
    "columns": {
        "Risk ID": "ref",
        "Title": "description",
        "Owner": "owner",
        "Raised": "type",
        "Theme": "theme",
    },
    "values": {"type": {"R": "risk", "I": "issue"}},
    "score": {
        "target": "current_score",
        "method": "product",
        "columns": {"probability": "Likelihood", "impact": "Impact"},
        "probability": {"Rare": 1, "Unlikely": 2, "Possible": 3, "Likely": 4, "Almost certain": 5},
        "impact": {"Minor": 1, "Moderate": 2, "Major": 3, "Severe": 4, "Critical": 5},
        "max": 25,
    },
}


def test_another_tools_raid_log_maps_on_with_its_stated_scoring_rule(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "acme.csv",
        ["Risk ID", "Title", "Owner", "Raised", "Theme", "Likelihood", "Impact"],
        [
            ["A-1", "Supplier late", "PMO", "R", "1", "Likely", "Severe"],
            ["A-2", "Data gap", "Data", "I", "3", "2", "Minor"],
        ],
    )
    result = importer.plan("raid", path, mhhs(), Mapping.parse(OTHER_TOOL))
    assert result.problems == []
    importer.commit(result, mhhs(), "tests")
    first, second = RaidItem.objects.get(ref="A-1"), RaidItem.objects.get(ref="A-2")
    assert (first.current_score, first.type, first.theme.number) == (19, "risk", 1)  # 4×5×30/25
    assert (second.current_score, second.type) == (2, "issue")  # 2×1×30/25 = 2.4


def test_a_mapped_value_outside_its_words_is_a_problem(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "acme.csv",
        ["Risk ID", "Title", "Owner", "Raised", "Theme", "Likelihood", "Impact"],
        [["A-1", "Supplier late", "PMO", "R", "1", "Sometimes", "Severe"]],
    )
    (problem,) = importer.plan("raid", path, mhhs(), Mapping.parse(OTHER_TOOL)).problems
    assert "probability 'Sometimes' is not one of Rare" in problem.reason


@pytest.mark.parametrize(
    ("score", "cells", "expected"),
    [
        (
            {"method": "rating", "column": "RAG", "ratings": {"High": 25, "Medium": 15, "Low": 5}},
            {"RAG": "Medium"},
            15,
        ),
        ({"method": "scale", "column": "Score", "max": 100}, {"Score": "50"}, 15),
        ({"method": "scale", "column": "Score", "max": 100}, {"Score": "1"}, 1),
        (
            {"method": "product", "columns": {"probability": "P", "impact": "I"}, "max": 9},
            {"P": "3", "I": "3"},
            30,
        ),
    ],
)
def test_score_rules_turn_other_scales_into_1_to_30(
    score: dict[str, object], cells: dict[str, str], expected: int
) -> None:
    mapping = Mapping.parse(
        {"columns": {"Ref": "ref"}, "score": {"target": "current_score", **score}}
    )
    record, _ = mapping.apply({"Ref": "X", **cells})
    assert record["current_score"] == expected


def test_a_mapping_with_a_bad_rule_is_refused() -> None:
    with pytest.raises(MappingError, match=r"score\.method must be one of"):
        Mapping.parse({"columns": {"A": "ref"}, "score": {"method": "vibes", "target": "x"}})
    with pytest.raises(MappingError, match="'columns' must map"):
        Mapping.parse({"columns": {}})


def test_dates_in_other_formats_are_read_by_the_mappings_formats(tmp_path: Path) -> None:
    mapping = Mapping.parse(
        {
            "columns": {"ID": "code", "Name": "title", "Due": "baseline_date"},
            "date_formats": ["%d/%m/%Y", "%d-%b-%y"],
        }
    )
    path = write_csv(
        tmp_path / "plan.csv",
        ["ID", "Name", "Due"],
        [["T3-YY-1", "One", "05/10/2023"], ["T3-YY-2", "Two", "06-Oct-23"]],
    )
    result = importer.plan("milestones", path, mhhs(), mapping)
    assert result.problems == []
    importer.commit(result, mhhs(), "tests")
    assert str(Milestone.objects.get(code="T3-YY-2").baseline_date) == "2023-10-06"


def test_the_import_command_dry_runs_then_commits(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cli.csv", ["code", "title"], [["T3-ZZ-0001", "Via the CLI"]])
    out = io.StringIO()
    call_command("import_", "milestones", str(path), stdout=out)
    assert "1 to create" in out.getvalue() and "Dry run: nothing was written" in out.getvalue()
    assert not Milestone.objects.filter(code="T3-ZZ-0001").exists()
    call_command("import_", "milestones", str(path), "--commit", stdout=out)
    assert Milestone.objects.filter(code="T3-ZZ-0001").exists()


def test_the_import_command_lists_problems_and_writes_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", ["code", "title", "rag"], [["T3-ZZ-1", "A", "purple"]])
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problems: nothing was written"):
        call_command("import_", "milestones", str(path), "--commit", stdout=out)
    assert "purple" in out.getvalue()
    assert not Milestone.objects.filter(code="T3-ZZ-1").exists()
