"""The side of plan files that runs in Java: MPXJ, through JPype, in a process of its own.

``steerco.io.plans`` runs this module as a child process (``python -m steerco.io.plan_java``)
with a bounded Java heap and a time limit, so that a large or hostile plan file costs that
process, never the web server's, and the Java runtime starts only when a plan is read.

    read  FILE COLUMNS_JSON   prints {"tasks": [...]} (each task's asked-for columns)
    write FILE                reads {"tasks": [...]} on stdin, writes MSPDI XML to FILE

Errors are printed as {"error": "..."} with exit status 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

HEAP = "-Xmx768m"
BASELINES = range(1, 11)
TEXTS = range(1, 31)
OUTLINE_CODES = range(1, 11)


def _date(value: Any) -> str | None:
    return None if value is None else str(value)[:10]  # a LocalDateTime: its day


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def getters() -> dict[str, Callable[[Any], Any]]:
    """Each column a plan import may map, by the name MS Project shows it under."""
    found: dict[str, Callable[[Any], Any]] = {
        "Unique ID": lambda t: _int(t.getUniqueID()),
        "ID": lambda t: _int(t.getID()),
        "Name": lambda t: _text(t.getName()),
        "WBS": lambda t: _text(t.getWBS()),
        "Activity ID": lambda t: _text(t.getActivityID()),
        "Outline Level": lambda t: _int(t.getOutlineLevel()),
        "Milestone": lambda t: "Yes" if t.getMilestone() else "No",
        "Start": lambda t: _date(t.getStart()),
        "Finish": lambda t: _date(t.getFinish()),
        "Actual Start": lambda t: _date(t.getActualStart()),
        "Actual Finish": lambda t: _date(t.getActualFinish()),
        "Baseline Start": lambda t: _date(t.getBaselineStart()),
        "Baseline Finish": lambda t: _date(t.getBaselineFinish()),
        "Percent Complete": lambda t: _number(t.getPercentageComplete()),
        "Notes": lambda t: _text(t.getNotes()) or None,
    }
    for n in BASELINES:
        found[f"Baseline{n} Start"] = _numbered("getBaselineStart", n, _date)
        found[f"Baseline{n} Finish"] = _numbered("getBaselineFinish", n, _date)
    for n in TEXTS:
        found[f"Text{n}"] = _numbered("getText", n, _text)
    for n in OUTLINE_CODES:
        found[f"Outline Code{n}"] = _numbered("getOutlineCode", n, _text)
    return found


def _numbered(getter: str, n: int, shown: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A numbered field's getter (Text3, Baseline2 Finish): the task's ``getter(n)``."""
    return lambda task: shown(getattr(task, getter)(n))


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _number(value: Any) -> float | None:
    return None if value is None else float(value.doubleValue())


def read(path: str, columns: list[str]) -> dict[str, Any]:
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(path)
    if project is None:
        raise ValueError("not a project file MPXJ can read")
    wanted = {name: get for name, get in getters().items() if name in columns}
    tasks = []
    for task in project.getTasks():
        if task.getUniqueID() is None:
            continue
        tasks.append(
            {
                "uid": int(task.getUniqueID()),
                "id": _int(task.getID()),
                "summary": bool(task.getSummary()),
                "milestone": bool(task.getMilestone()),
                "columns": {name: get(task) for name, get in wanted.items()},
                "predecessors": [
                    int(relation.getPredecessorTask().getUniqueID())
                    for relation in task.getPredecessors()
                    if relation.getPredecessorTask() is not None
                ],
            }
        )
    return {"tasks": tasks}


def write(path: str, tasks: list[dict[str, Any]]) -> None:
    """An MSPDI file of milestones: code in Text1, tier in Text2, the baseline as Baseline
    Finish, the forecast as Finish (and Start), the actual as Actual Finish (and Start),
    predecessors as finish-to-start links (by code, among the tasks written)."""
    from java.time import LocalDateTime
    from org.mpxj import Duration, ProjectFile, Relation, RelationType, TimeUnit
    from org.mpxj.writer import FileFormat, UniversalProjectWriter

    def moment(day: str | None) -> Any:
        if not day:
            return None
        year, month, date = (int(part) for part in day.split("-"))
        return LocalDateTime.of(year, month, date, 17, 0)

    project = ProjectFile()
    by_code = {}
    for row in tasks:
        task = project.addTask()
        task.setName(row["title"])
        task.setMilestone(True)
        task.setDuration(Duration.getInstance(0, TimeUnit.DAYS))
        task.setText(1, row["code"])
        task.setText(2, row.get("tier") or None)
        for setter, value in (
            (task.setStart, row.get("forecast")),
            (task.setFinish, row.get("forecast")),
            (task.setBaselineFinish, row.get("baseline")),
            (task.setActualStart, row.get("actual")),
            (task.setActualFinish, row.get("actual")),
        ):
            if value:
                setter(moment(value))
        by_code[row["code"]] = task
    for row in tasks:
        for code in row.get("predecessors") or ():
            if code in by_code:
                by_code[row["code"]].addPredecessor(
                    Relation.Builder()
                    .predecessorTask(by_code[code])
                    .type(RelationType.FINISH_START)
                )
    UniversalProjectWriter(FileFormat.MSPDI).write(project, path)


def main(argv: list[str]) -> int:
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    try:
        jpype.startJVM(HEAP, "-Dlog4j2.level=OFF", convertStrings=False)
        if argv[0] == "read":
            print(json.dumps(read(argv[1], json.loads(argv[2]))))
        elif argv[0] == "write":
            write(argv[1], json.load(sys.stdin)["tasks"])
            print(json.dumps({"written": argv[1]}))
        else:
            raise ValueError(f"unknown command {argv[0]!r}")
    except Exception as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(json.dumps({"error": message}))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
