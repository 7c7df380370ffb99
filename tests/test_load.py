"""`steerco load` is all or nothing: a fault names file, row and field and changes nothing."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from steerco.io.loader import LoadError, load
from steerco.registers import SLUGS as REGISTERS
from tests.conftest import EXAMPLE

pytestmark = pytest.mark.django_db


def state() -> dict[str, object]:
    """Every table's row count and every register's full export: the database's content."""
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    exports = {}
    for register in REGISTERS:
        out = io.StringIO()
        call_command("export", register, stdout=out)
        exports[register] = out.getvalue()
    return {"counts": counts, "exports": exports}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "mhhs"
    shutil.copytree(EXAMPLE, target)
    return target


def break_file(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text()
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1))


def test_a_bad_date_names_file_row_and_field_and_changes_nothing(copy: Path) -> None:
    break_file(copy, "milestones.yaml", "2023-10-04", "2023-13-04")
    before = state()
    with pytest.raises(LoadError) as caught:
        load(copy, actor="tests", replace=True)
    error = caught.value
    assert error.file == "milestones.yaml" and error.ref == "T3-DB-0083"
    assert error.field in ("baseline_date", "forecast_date") and error.row == 8
    assert "milestones.yaml, row 8 (T3-DB-0083)" in str(error)
    assert state() == before


def test_a_fault_in_the_last_file_undoes_everything_loaded_before_it(copy: Path) -> None:
    break_file(copy, "trackers.yaml", "status: Complete", "status: [not, text]")
    before = state()
    with pytest.raises(LoadError, match=r"trackers.yaml, row 1.*field 'status'"):
        load(copy, actor="tests", replace=True)
    assert state() == before


def test_broken_yaml_names_the_line(copy: Path) -> None:
    (copy / "changes.yaml").write_text("changes:\n  - ref: CR019\n    title: [unclosed\n")
    with pytest.raises(LoadError, match=r"changes.yaml, line \d+: not valid YAML"):
        load(copy, actor="tests", replace=True)


def test_an_unknown_field_is_refused(copy: Path) -> None:
    break_file(copy, "changes.yaml", "change_type:", "chnage_type:")
    with pytest.raises(LoadError, match="ChangeRequest has no field 'chnage_type'"):
        load(copy, actor="tests", replace=True)


def test_a_reference_to_a_missing_record_is_refused(copy: Path) -> None:
    break_file(copy, "reports.yaml", "meeting: PSG-24", "meeting: PSG-99")
    with pytest.raises(LoadError, match="field 'meeting': no meeting 'PSG-99'"):
        load(copy, actor="tests", replace=True)


def test_a_score_outside_1_to_30_is_refused(copy: Path) -> None:
    break_file(copy, "raid.yaml", "current_score: 8", "current_score: 31")
    with pytest.raises(LoadError, match="field 'current_score'"):
        load(copy, actor="tests", replace=True)


def test_loading_a_loaded_programme_again_needs_replace() -> None:
    with pytest.raises(LoadError, match="already loaded; use --replace"):
        load(EXAMPLE, actor="tests")


def test_replace_reloads_to_the_same_content() -> None:
    before = state()
    load(EXAMPLE, actor="tests", replace=True)
    assert state()["exports"] == before["exports"]


def test_the_load_command_reports_a_fault_and_says_nothing_was_loaded(copy: Path) -> None:
    break_file(copy, "actions.yaml", "due_date: 2023-07-05", "due_date: soon")
    from django.core.management.base import CommandError

    with pytest.raises(
        CommandError, match=r"(?s)actions.yaml, row 2 .*due_date.*Nothing was loaded"
    ):
        call_command("load", str(copy), "--replace", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("old", "new", "field", "words"),
    [
        ("    state: published\n", "", "cutoff", "an open meeting has none yet"),
        ("    state: closed\n", "    state: held\n", None, None),
        ('    cutoff: "2023-09-06T10:00:00+01:00"\n', "", "state", "needs its cut-off"),
    ],
)
def test_a_meeting_s_state_and_cut_off_must_agree(
    copy: Path, old: str, new: str, field: str | None, words: str | None
) -> None:
    break_file(copy, "meetings.yaml", old, new)
    if field is None:  # any state after open, with its cut-off, is fine
        load(copy, actor="tests", replace=True)
        return
    with pytest.raises(LoadError) as caught:
        load(copy, actor="tests", replace=True)
    assert caught.value.file == "meetings.yaml" and caught.value.field == field
    assert words in str(caught.value)
