"""The pack and the dashboards import no module that imports them back: the builder, its
section modules and the dashboard computations form no cycle, counting imports inside
functions and under ``TYPE_CHECKING`` alike. No database, no Django."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import steerco

ROOT = Path(steerco.__file__).parent
OWN = ("steerco.pack", "steerco.dashboards", "steerco.charts", "steerco.web.dashboards")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str]) -> set[str]:
    """The steerco modules a file imports anywhere in it (``from x import y`` counts as
    ``x.y`` where that is a module, else ``x``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
    return {name for name in found if name in modules}


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in ROOT.rglob("*.py") if "migrations" not in p.parts}
    modules = set(paths)
    return {name: imports(path, modules) - {name} for name, path in paths.items()}


def own(name: str) -> bool:
    return any(name == prefix or name.startswith(f"{prefix}.") for prefix in OWN)


def test_the_pack_and_the_dashboards_import_each_other_in_no_circle() -> None:
    edges = graph()
    mine = {name: {d for d in deps if own(d)} for name, deps in edges.items() if own(name)}
    graphlib.TopologicalSorter(mine).prepare()  # raises CycleError naming the circle


def test_the_cycle_check_finds_a_function_level_import_circle(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("def f():\n    from b import g\n")
    (tmp_path / "b.py").write_text("import a\n")
    names = {"a", "b"}
    edges = {p.stem: imports(p, names) for p in tmp_path.glob("*.py")}
    sorter = graphlib.TopologicalSorter(edges)
    try:
        sorter.prepare()
    except graphlib.CycleError:
        return
    raise AssertionError("a function-level import circle went unnoticed")
