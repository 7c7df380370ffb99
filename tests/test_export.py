"""`steerco export`: any register, now or as of a meeting, in JSON, CSV and xlsx."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from steerco.registers import SLUGS as REGISTERS
from tests import seed

pytestmark = pytest.mark.django_db


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def rags_from(payload: str) -> dict[str, str]:
    rows = json.loads(payload)["sections"]["milestones"]
    return {row["code"]: row["rag"] for row in rows}


def test_milestones_as_of_psg23_give_the_august_rags_the_pack_states(
    seed_lines: list[str],
) -> None:
    stated = seed.milestone_rags(seed_lines)
    assert rags_from(export("milestones", "--as-of", "PSG-23")) == {
        code: previous.lower() for code, (previous, _, _) in stated.items()
    }


def test_milestones_as_of_psg24_give_the_september_rags(seed_lines: list[str]) -> None:
    stated = seed.milestone_rags(seed_lines)
    assert rags_from(export("milestones", "--as-of", "PSG-24")) == {
        code: current.lower() for code, (_, current, _) in stated.items()
    }


def test_values_not_stated_for_psg23_are_unknown_as_of_psg23() -> None:
    rows = json.loads(export("milestones", "--as-of", "PSG-23"))["sections"]["milestones"]
    assert all(row["forecast_date"] is None and row["commentary"] == "" for row in rows)
    assert all(row["title"] for row in rows)


def test_records_the_pack_first_shows_at_psg24_are_absent_as_of_psg23() -> None:
    then = json.loads(export("raid", "--as-of", "PSG-23"))["sections"]["items"]
    now = json.loads(export("raid", "--as-of", "PSG-24"))["sections"]["items"]
    refs_then = {row["ref"] for row in then}
    assert "R653" not in refs_then and "R653" in {row["ref"] for row in now}
    r040 = next(row for row in then if row["ref"] == "R040")
    assert r040["current_score"] == 9


@pytest.mark.parametrize("register", REGISTERS)
def test_every_register_exports_in_every_format(register: str, tmp_path: Path) -> None:
    data = json.loads(export(register))
    assert data["register"] == register and data["sections"]
    text = export(register, "--format", "csv")
    assert next(csv.reader(io.StringIO(text)))
    target = tmp_path / f"{register}.xlsx"
    export(register, "--format", "xlsx", "-o", str(target))
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == list(data["sections"])[: len(book.sheetnames)]


def test_csv_of_actions_keeps_both_rows_of_a_repeated_ref() -> None:
    rows = list(csv.DictReader(io.StringIO(export("actions", "--format", "csv"))))
    assert [row["ref"] for row in rows].count("PSG23-02") == 2


def test_an_unknown_meeting_is_refused_with_the_known_ones() -> None:
    with pytest.raises(CommandError, match=r"no meeting 'PSG-99'.*PSG-23"):
        export("milestones", "--as-of", "PSG-99")


def test_export_help_documents_every_register() -> None:
    from steerco.io.management.commands.export import Command

    text = Command().create_parser("steerco", "export").format_help()
    for register in REGISTERS:
        assert register in text
