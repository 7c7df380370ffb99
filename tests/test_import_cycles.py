"""The import-cycle check: it finds cycles hidden in functions and TYPE_CHECKING blocks, between
modules and between top-level packages, and steerco has none."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from steerco.devtools import import_cycles
from steerco.devtools.import_cycles import components, find_breaches, find_cycles

Plant = Callable[[dict[str, str]], str]


@pytest.fixture
def plant(tmp_path: Path) -> Iterator[Plant]:
    """Writes a throwaway package (file path → source) importable for this test only."""
    planted: list[str] = []

    def write(files: dict[str, str]) -> str:
        name = f"planted{len(planted)}_{abs(hash(tmp_path)) % 10**8}"
        root = tmp_path / name
        for relative, source in {"__init__.py": "", **files}.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            for folder in path.relative_to(tmp_path).parents:
                if folder != Path(".") and not (tmp_path / folder / "__init__.py").exists():
                    (tmp_path / folder / "__init__.py").write_text("")
            path.write_text(textwrap.dedent(source).replace("PKG", name))
        planted.append(name)
        return name

    sys.path.insert(0, str(tmp_path))
    yield write
    sys.path.remove(str(tmp_path))
    for name in planted:
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]


def test_two_modules_importing_each_other_inside_functions_are_a_cycle(plant: Plant) -> None:
    package = plant(
        {
            "a.py": """
                def late():
                    from PKG import b
                    return b
            """,
            "b.py": """
                def later():
                    import PKG.a
                    return PKG.a
            """,
        }
    )
    [cycle] = find_cycles(package)
    assert cycle.level == "module"
    assert cycle.members == (f"{package}.a", f"{package}.b")
    described = cycle.describe()
    assert f"{package}.a:3: from {package} import b" in described
    assert f"{package}.b:3: import {package}.a" in described


def test_an_import_under_type_checking_counts_towards_a_cycle(plant: Plant) -> None:
    package = plant(
        {
            "models.py": "from PKG.views import page\n",
            "views.py": """
                from typing import TYPE_CHECKING
                if TYPE_CHECKING:
                    from PKG.models import Record
                page = 1
            """,
        }
    )
    [cycle] = find_cycles(package)
    assert cycle.members == (f"{package}.models", f"{package}.views")


def test_packages_that_import_each_other_are_a_cycle_though_no_two_modules_are(
    plant: Plant,
) -> None:
    package = plant(
        {
            "low/models.py": "from PKG.high.names import NAME\n",
            "high/names.py": "NAME = 'x'\n",
            "high/views.py": "from PKG.low.models import NAME\n",
        }
    )
    [cycle] = find_cycles(package)
    assert cycle.level == "package"
    assert cycle.members == (f"{package}.high", f"{package}.low")
    assert [(source, target) for source, target, _ in cycle.edges] == [
        (f"{package}.high", f"{package}.low"),
        (f"{package}.low", f"{package}.high"),
    ]


def test_migrations_are_left_out_of_the_package_cycles(plant: Plant) -> None:
    package = plant(
        {
            "low/models.py": "X = 1\n",
            "low/migrations/0001_initial.py": "from PKG.high import views\n",
            "high/views.py": "from PKG.low.models import X\n",
        }
    )
    assert find_cycles(package) == []


def test_the_check_prints_each_cycle_and_fails_on_a_planted_cycle(
    plant: Plant, capsys: pytest.CaptureFixture[str]
) -> None:
    package = plant({"a.py": "from PKG import b\n", "b.py": "from PKG import a\n"})
    assert import_cycles.main([package]) == 1
    printed = capsys.readouterr().out
    assert f"module cycle: {package}.a ↔ {package}.b" in printed
    assert f"{package}.a:1: from {package} import b" in printed
    assert "1 between modules, 0 between top-level packages" in printed


def test_the_check_passes_a_package_without_cycles(plant: Plant) -> None:
    package = plant({"a.py": "from PKG import b\n", "b.py": "import json\n"})
    assert import_cycles.main([package]) == 0


def test_components_are_the_strongly_connected_parts_and_a_self_import() -> None:
    graph = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["e"], "e": ["d"], "f": ["f", "a"]}
    assert components(graph) == [["a", "b", "c"], ["d", "e"], ["f"]]


def test_a_long_chain_is_walked_without_recursion() -> None:
    chain = {str(n): [str(n + 1)] for n in range(5000)}
    chain["5000"] = ["0"]
    assert components(chain) == [sorted(str(n) for n in range(5001))]


def test_steerco_has_no_import_cycles() -> None:
    found = find_cycles("steerco")
    assert not found, "\n\n".join(cycle.describe() for cycle in found)


def test_an_import_up_a_layer_or_across_an_independent_layer_is_a_breach(plant: Plant) -> None:
    package = plant(
        {
            "base/models.py": "from PKG.top.views import page\n",  # up: a breach
            "top/views.py": "from PKG.base.models import X\npage = 1\n",
            "left/a.py": "from PKG.right import b\n",  # across an independent layer
            "right/b.py": "from PKG.base import models\n",
            "one/c.py": "from PKG.two import d\n",  # across a layer that is not independent
            "two/d.py": "",
            "stray/e.py": "",  # in no layer
        }
    )
    layers = ((True, ("top",)), (True, ("left", "right")), (False, ("one", "two", "base")))
    found = find_breaches(package, layers)
    assert [(b.importer, b.imported, b.reason) for b in found] == [
        (f"{package}.stray", "", "in no layer: place it in LAYERS"),
        (f"{package}.base", f"{package}.top", "imports a higher layer"),
        (f"{package}.left", f"{package}.right", "imports another member of an independent layer"),
    ]
    assert f"{package}.base.models:1: from {package}.top.views import page" in found[1].describe()


def test_every_top_level_package_of_steerco_is_in_a_layer_and_no_import_goes_up() -> None:
    found = find_breaches("steerco")
    assert not found, "\n\n".join(breach.describe() for breach in found)


def test_the_layers_name_each_top_level_package_once() -> None:
    names = [name for _, members in import_cycles.LAYERS for name in members]
    assert len(names) == len(set(names))
