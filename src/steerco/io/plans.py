"""Programme plans from MS Project (.mpp, MSPDI .xml) and Primavera P6 (.xer, PMXML), read
through MPXJ as the rows of a milestones import.

A plan file becomes one sheet whose columns are task fields under the names MS Project shows
("Name", "Finish", "Baseline3 Finish", "Text1"…; see ``steerco.io.plan_java.getters``) and
whose rows are tasks, each numbered by its task ID as the plan shows it. From there it is an
import like any spreadsheet's — the same mapping, dry-run preview and all-or-nothing commit
(``steerco.io.importer``). The mapping says which field holds the milestone code and tier and
which baseline is "the baseline", and its ``plan`` key which tasks are milestones:

    register: milestones
    plan: {tasks: milestones}      # milestones (flagged so), all, or coded (a code given)
    columns: {Text1: code, Name: title, Text2: tier, Baseline Finish: baseline_date,
              Finish: forecast_date, Actual Finish: actual_date, Predecessors: predecessors}

"Predecessors" is made here: the codes of each task's predecessors that have one.

The file is checked before Java starts (its size, what it really is, no XML entity or DTD
declarations); MPXJ then reads it in a child process with a bounded heap and a time limit
(``steerco.io.plan_java``), so a hostile or huge plan costs that process alone.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from steerco.env import env_int
from steerco.io.mapping import Mapping
from steerco.io.spreadsheets import MAX_BYTES, Sheet, size_problem

SUFFIXES = (".mpp", ".xer", ".xml", ".pmxml")
TASK_CHOICES = ("milestones", "all", "coded")
TIMEOUT = env_int("STEERCO_PLAN_TIMEOUT", 300, minimum=10)
PREDECESSORS = "Predecessors"
OLE2 = bytes.fromhex("d0cf11e0a1b11ae1")  # the compound file an .mpp is


class PlanError(ValueError):
    """The plan file as a whole cannot be read; the message says why."""


def is_plan(path: Path) -> bool:
    return path.suffix.lower() in SUFFIXES


def kind_of(path: Path) -> str:
    """What the file really is, by its content; refuses what is not a plan file."""
    problem = size_problem(path, MAX_BYTES)
    if problem:
        raise PlanError(problem)
    with path.open("rb") as handle:
        head = handle.read(4096)
    suffix = path.suffix.lower()
    if head.startswith(OLE2):
        found = "MS Project (.mpp)"
    elif head.lstrip(b"\xef\xbb\xbf").startswith(b"ERMHDR"):
        found = "Primavera P6 (.xer)"
    elif b"schemas.microsoft.com/project" in head:
        found = "MS Project XML (MSPDI)"
    elif b"APIBusinessObjects" in head:
        found = "Primavera P6 XML (PMXML)"
    else:
        raise PlanError(
            f"{path.name} is not a plan file MS Project or Primavera P6 writes "
            "(.mpp, MSPDI .xml, .xer or PMXML)"
        )
    expected = {
        ".mpp": "MS Project (.mpp)",
        ".xer": "Primavera P6 (.xer)",
        ".pmxml": "Primavera P6 XML (PMXML)",
    }.get(suffix)
    if expected and expected != found:
        raise PlanError(f"{path.name} is named {suffix} but is {found}")
    if suffix == ".xml" and "XML" not in found:
        raise PlanError(f"{path.name} is named .xml but is {found}")
    if "XML" in found:
        _refuse_declarations(path)
    return found


def _refuse_declarations(path: Path) -> None:
    """No DTD or entity declarations: neither MS Project nor P6 writes them, and they are
    how an XML file reaches for other files or expands to fill the memory."""
    with path.open("rb") as handle:
        tail = b""
        while chunk := handle.read(1 << 20):
            window = tail + chunk
            if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
                raise PlanError(f"{path.name} declares a DTD or entities: refused")
            tail = chunk[-16:]


def read(path: Path, mapping: Mapping | None) -> list[Sheet]:
    """The plan's tasks as one sheet of the columns ``mapping`` names."""
    if mapping is None:
        raise PlanError(
            f"{path.name} is a plan file: choose a mapping that says which task field holds "
            "the milestone code (for example Text1: code)"
        )
    kind_of(path)
    tasks_wanted = str(mapping.plan.get("tasks", "milestones"))
    if tasks_wanted not in TASK_CHOICES:
        raise PlanError(f"plan.tasks must be one of {', '.join(TASK_CHOICES)}")
    code_column = next((c for c, name in mapping.columns.items() if name == "code"), None)
    if code_column is None:
        raise PlanError("the mapping must say which task field holds the milestone code")
    named = set(mapping.columns) | set(mapping.ignore)
    if mapping.score:
        named |= set(mapping.score.source_columns())
    columns = sorted((named - {PREDECESSORS}) | {code_column})
    tasks = run("read", str(path), json.dumps(columns))["tasks"]
    code_of = {task["uid"]: _code(task["columns"].get(code_column)) for task in tasks}
    rows: list[tuple[int, dict[str, Any]]] = []
    for task in tasks:
        if task["summary"] or not _wanted(task, tasks_wanted, code_column):
            continue
        cells = {name: _cell(value) for name, value in task["columns"].items() if name in named}
        cells[code_column] = _code(cells.get(code_column))  # a task's ID may be the code
        if PREDECESSORS in named:
            codes = [code_of.get(uid) for uid in task["predecessors"]]
            cells[PREDECESSORS] = json.dumps([{"predecessor_code": c} for c in codes if c])
        rows.append((task["id"] if task["id"] is not None else task["uid"], cells))
    if not rows:
        raise PlanError(f"{path.name} has no tasks to import (plan.tasks: {tasks_wanted})")
    return [Sheet(path.name, sorted(named), rows)]


def write(path: Path, milestones: list[dict[str, Any]]) -> None:
    """An MSPDI XML plan of ``milestones`` (code, title, tier, baseline, forecast, actual as
    ISO dates, predecessors as codes), written by MPXJ's own writer."""
    run("write", str(path), stdin=json.dumps({"tasks": milestones}))


def _wanted(task: dict[str, Any], which: str, code_column: str) -> bool:
    if which == "milestones":
        return bool(task["milestone"])
    if which == "coded":
        return bool(task["columns"].get(code_column))
    return True


def _code(value: Any) -> Any:
    """A milestone code is text, even where the plan's field is a number (Unique ID)."""
    return str(value) if isinstance(value, int) else value


def _cell(value: Any) -> Any:
    """A task's value as a spreadsheet cell: blank for none, a date for a day."""
    if value is None:
        return ""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def java_available() -> bool:
    home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (home and Path(home, "bin", "java").exists()))


def run(*args: str, stdin: str | None = None) -> dict[str, Any]:
    if not java_available():
        raise PlanError(
            "reading MS Project and P6 files needs a Java runtime, and none is installed "
            "(Debian: apt-get install default-jre-headless)"
        )
    try:
        done = subprocess.run(
            [sys.executable, "-m", "steerco.io.plan_java", *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PlanError(f"reading the plan took over {TIMEOUT} s (STEERCO_PLAN_TIMEOUT)") from None
    lines = done.stdout.strip().splitlines()
    try:
        answer: dict[str, Any] = json.loads(lines[-1]) if lines else {}
    except json.JSONDecodeError:
        answer = {}
    if "error" in answer:
        raise PlanError(f"{Path(args[1]).name}: {answer['error']}")
    if done.returncode != 0 or not answer:
        detail = (done.stderr.strip().splitlines() or ["no answer"])[-1]
        raise PlanError(f"{Path(args[1]).name} could not be read: {detail}")
    return answer
