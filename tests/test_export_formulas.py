"""No export is a formula: text a spreadsheet program would run (= + - @, tab, CR at the
start) stays text in every CSV and xlsx a person can take away, and comes back unchanged."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from steerco.core.history import acting
from steerco.core.models import Programme
from steerco.io import importer
from steerco.io.cells import FORMULA_START, csv_escape, csv_unescape
from steerco.raid.models import RaidItem
from steerco.registers import SLUGS as REGISTERS
from tests.api_support import make_callers
from tests.test_load import state
from tests.web_support import make_cast

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://x","y")'
# A participant's submission, as the security review found it, and its neighbours.
PLANTED = {
    "R040": HYPERLINK,
    "R653": "@SUM(A1)",
    "R272": "\tIndented by a tab",
    "R273": "+44 20 7946 0000",
    "R331": "'=already quoted",
}


@pytest.fixture
def planted() -> dict[str, str]:
    with acting("participant", "raised through the portal"):
        for ref, text in PLANTED.items():
            item = RaidItem.objects.get(programme__code="mhhs", ref=ref)
            item.description = text
            item.save()
    return PLANTED


def export(register: str, fmt: str, tmp_path: Path) -> bytes:
    target = tmp_path / f"{register}.{fmt}"
    call_command("export", register, "--format", fmt, "-o", str(target))
    return target.read_bytes()


def xlsx_cells(content: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows() for cell in row]


def csv_cells(content: bytes) -> list[Any]:
    """The CSV as a spreadsheet program opens it: each cell's text typed into a sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(content.decode("utf-8"), newline="")):
        sheet.append(row)
    return [cell for row in sheet.iter_rows() for cell in row]


def is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


def assert_no_formula(content: bytes, fmt: str) -> list[Any]:
    cells = xlsx_cells(content) if fmt == "xlsx" else csv_cells(content)
    formulas = [(cell.coordinate, cell.value) for cell in cells if cell.data_type == "f"]
    assert formulas == []
    if fmt == "csv":  # no type to say "text": nothing may start like a formula but a number
        starts = [
            c.value for c in cells if isinstance(c.value, str) and c.value.startswith(FORMULA_START)
        ]
        assert [text for text in starts if not is_number(text)] == []
    return cells


def assert_planted_text_kept(cells: list[Any], fmt: str) -> None:
    if fmt == "xlsx":
        kept = [c for c in cells if c.value == HYPERLINK]
        assert kept and all(c.data_type == "s" and c.quotePrefix for c in kept)
    else:
        assert "'" + HYPERLINK in [c.value for c in cells]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("register", REGISTERS)
def test_no_export_of_any_register_holds_a_formula_cell(
    planted: dict[str, str], register: str, fmt: str, tmp_path: Path
) -> None:
    cells = assert_no_formula(export(register, fmt, tmp_path), fmt)
    if register == "raid":
        assert_planted_text_kept(cells, fmt)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("page", ["raid", "raid-themes", "milestones"])
def test_no_download_from_a_register_page_holds_a_formula_cell(
    planted: dict[str, str], page: str, fmt: str
) -> None:
    client = make_cast().client("pmo")
    url = reverse("transfers:download", args=["mhhs", page])
    for query in (f"?format={fmt}", f"?format={fmt}&as_of=PSG-24"):
        response = client.get(url + query)
        assert response.status_code == 200
        cells = assert_no_formula(response.content, fmt)
        if page == "raid" and "as_of" not in query:
            assert_planted_text_kept(cells, fmt)


def test_the_api_export_is_json_with_the_text_exactly_as_written(planted: dict[str, str]) -> None:
    callers = make_callers()
    url = reverse("api:export", args=["mhhs", "raid"])
    response = callers.client("pmo").get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    items = {row["ref"]: row["description"] for row in response.json()["sections"]["items"]}
    assert {ref: items[ref] for ref in PLANTED} == PLANTED


ROUND_TRIP = {
    **PLANTED,
    "R432": "-1 (9 to 8)",
    "R119": "''-2 with two apostrophes",
    "R525": "'tis plain text with an apostrophe",
    "R415": "-",
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_formula_like_text_imported_back_changes_nothing(
    fmt: str, tmp_path: Path
) -> None:
    with acting("participant", "raised through the portal"):
        for ref, text in ROUND_TRIP.items():
            item = RaidItem.objects.get(programme__code="mhhs", ref=ref)
            item.description = text
            item.stated_movement = text[:20]
            item.save()
    path = tmp_path / f"raid.{fmt}"
    path.write_bytes(export("raid", fmt, tmp_path))
    before = state()
    mhhs = Programme.objects.get(code="mhhs")
    result = importer.plan("raid", path, mhhs)
    assert result.problems == []
    assert (result.count("create"), result.count("change")) == (0, 0)
    importer.commit(result, mhhs, "tests")
    assert state() == before
    items = RaidItem.objects.filter(programme=mhhs, ref__in=ROUND_TRIP)
    assert {item.ref: item.description for item in items} == ROUND_TRIP


@pytest.mark.parametrize(
    "text",
    [HYPERLINK, "-1 (9 to 8)", "@SUM(A1)", "\tx", "\rx", "+1", "'=x", "''@x", "'tis", "", "-"],
)
def test_the_csv_escape_is_undone_exactly(text: str) -> None:
    escaped = csv_escape(text)
    assert not escaped.startswith(FORMULA_START)
    assert csv_unescape(escaped) == text


def test_numbers_stay_numbers_in_both_formats(tmp_path: Path) -> None:
    assert csv_escape(-1) == -1 and csv_escape(-2.5) == -2.5
    book = openpyxl.load_workbook(io.BytesIO(export("raid", "xlsx", tmp_path)))
    items = book["items"]
    header = [cell.value for cell in items[1]]
    scores = [row[header.index("current_score")] for row in items.iter_rows(min_row=2)]
    assert all(cell.data_type == "n" for cell in scores if cell.value is not None)


def test_an_unescaped_formula_in_a_csv_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f'ref,theme,description\nR999,1,"{HYPERLINK.replace(chr(34), chr(34) * 2)}"\n')
    (problem,) = importer.plan("raid", path, Programme.objects.get(code="mhhs")).problems
    assert "holds a formula" in problem.reason
