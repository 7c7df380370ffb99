"""Fails on any import cycle in a package: between its modules, and between its top-level
packages (`steerco.web`, `steerco.rules`, …; migrations left out); and, for steerco, on any
import against its layers (LAYERS below).

grimp reads every import statement, those inside functions and under `if TYPE_CHECKING`
included, so a cycle cannot hide behind a late import. Cycles are the strongly connected
components of the graph, each printed with the import lines that make it.

    python -m steerco.devtools.import_cycles [PACKAGE]    # default: steerco
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import grimp


@dataclass(frozen=True)
class Line:
    """One import statement: where it is and what it says."""

    importer: str
    imported: str
    line_number: int
    contents: str

    def __str__(self) -> str:
        return f"{self.importer}:{self.line_number}: {self.contents}"


@dataclass(frozen=True)
class Cycle:
    """A strongly connected component: every member reaches every other through imports."""

    level: str  # "module" or "package"
    members: tuple[str, ...]
    edges: tuple[tuple[str, str, tuple[Line, ...]], ...]

    def describe(self) -> str:
        lines = [f"{self.level} cycle: {' ↔ '.join(self.members)}"]
        for source, target, imports in self.edges:
            lines.append(f"  {source} → {target}")
            lines.extend(f"      {line}" for line in imports)
        return "\n".join(lines)


Graph = Mapping[str, Iterable[str]]

# steerco's top-level packages and modules, highest first. A package imports only from its
# own layer or those below it; where a layer's members are marked independent, none imports
# another. A new top-level package is placed here, or the check fails.
LAYERS: tuple[tuple[bool, tuple[str, ...]], ...] = (
    # Wiring: the command line, settings, URLs, WSGI; the development tools.
    (True, ("cli", "settings", "urls", "wsgi", "devtools")),
    # Other ways in beside the PMO's pages: the API, the participants' portal, imports and
    # exports of whole registers, operations (backup, personal data, logs), reminders by
    # e-mail, calendar feeds.
    (False, ("api", "portal", "transfers", "ops", "reminders", "calendars")),
    (True, ("web",)),  # the PMO's and the steering group's pages
    (True, ("meetings",)),  # a meeting's life: set up from the cadence, frozen, published…
    (True, ("pack",)),  # the steering-group pack
    (True, ("dashboards",)),  # one computation per dashboard, for the web and the pack
    (True, ("rules",)),  # the checker's findings over a meeting's frozen frame
    (True, ("planning",)),  # qualification tranches and migration plans
    # Background jobs (each feature registers its own task) and register files.
    (True, ("jobs", "io")),
    (True, ("records",)),  # editing with a reason, a record's history, what changed
    (True, ("accounts",)),  # who sees what: access and the audience's reader
    (True, ("registers",)),  # the one specification of every register
    # The registers, one app each.
    (
        False,
        (
            "organisations",
            "milestones",
            "raid",
            "changes",
            "reports",
            "finance",
            "qualification",
            "trackers",
        ),
    ),
    # The programme, meetings, history, working days; charts; the environment.
    (False, ("core", "charts", "env")),
)


def components(graph: Graph) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one member (or a self-import),
    iteratively, each sorted, in a stable order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    successors = {node: sorted(set(targets)) for node, targets in graph.items()}
    for targets in list(successors.values()):
        for target in targets:
            successors.setdefault(target, [])

    for root in sorted(successors):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = successors[node]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:  # back in the caller: carry the low-link up
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                member = ""
                component: list[str] = []
                while member != node:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                if len(component) > 1 or node in successors[node]:
                    found.append(sorted(component))
    return sorted(found)


def top_level(module: str, package: str) -> str:
    """`steerco.web.views.pages` → `steerco.web`; `steerco.charts` stays itself."""
    parts = module.split(".")
    root = package.split(".")
    return ".".join(parts[: len(root) + 1])


def is_migration(module: str, package: str) -> bool:
    return module.split(".")[len(package.split(".")) + 1 : len(package.split(".")) + 2] == [
        "migrations"
    ]


def imports_of(graph: grimp.ImportGraph) -> list[Line]:
    """Every import statement between the graph's modules."""
    lines = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                lines.append(
                    Line(
                        importer=importer,
                        imported=imported,
                        line_number=int(detail["line_number"]),
                        contents=str(detail["line_contents"]),
                    )
                )
    return lines


def package_imports(lines: Iterable[Line], package: str) -> dict[tuple[str, str], list[Line]]:
    """The import lines from one top-level package (or module) to another, migrations left
    out: they import what the models were, not what the code is."""
    by_package: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for line in lines:
        if is_migration(line.importer, package) or is_migration(line.imported, package):
            continue
        source, target = top_level(line.importer, package), top_level(line.imported, package)
        if source != target and package not in (source, target):
            by_package[source, target].append(line)
    return by_package


def cycles_among(level: str, keyed: Mapping[tuple[str, str], Sequence[Line]]) -> list[Cycle]:
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in keyed:
        graph[source].add(target)
    found = []
    for members in components(graph):
        inside = set(members)
        edges = tuple(
            (source, target, tuple(sorted(keyed[source, target], key=str)))
            for source, target in sorted(keyed)
            if source in inside and target in inside
        )
        found.append(Cycle(level=level, members=tuple(members), edges=edges))
    return found


def find_cycles(package: str) -> list[Cycle]:
    """Module cycles first, then cycles between the package's top-level packages."""
    graph = grimp.build_graph(package, cache_dir=None)
    lines = imports_of(graph)
    by_module: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for line in lines:
        by_module[line.importer, line.imported].append(line)
    by_package = package_imports(lines, package)
    # Among plain modules directly in the package (steerco.charts) a cycle is a module cycle,
    # reported as such: a package cycle names at least one package.
    packages = [
        cycle
        for cycle in cycles_among("package", by_package)
        if any(graph.find_children(member) for member in cycle.members)
    ]
    return cycles_among("module", by_module) + packages


@dataclass(frozen=True)
class Breach:
    """An import against the layers, or a top-level package placed in none."""

    importer: str
    imported: str
    reason: str
    lines: tuple[Line, ...]

    def describe(self) -> str:
        head = f"layer breach: {self.importer} → {self.imported}: {self.reason}"
        return "\n".join([head, *(f"      {line}" for line in self.lines)])


def unplaced(
    names: Iterable[str], layers: Sequence[tuple[bool, tuple[str, ...]]], package: str
) -> list[Breach]:
    placed = {f"{package}.{name}" for _, members in layers for name in members}
    return [
        Breach(name, "", "in no layer: place it in LAYERS", ())
        for name in sorted(set(names) - placed)
    ]


def breaches(
    package: str,
    layers: Sequence[tuple[bool, tuple[str, ...]]],
    imports: Mapping[tuple[str, str], Sequence[Line]],
) -> list[Breach]:
    """Every import between top-level packages that goes up a layer, or across a layer whose
    members are independent."""
    rank: dict[str, tuple[int, bool]] = {}
    for height, (independent, members) in enumerate(layers):
        for name in members:
            rank[f"{package}.{name}"] = (height, independent)
    found = []
    for (importer, imported), lines in sorted(imports.items()):
        if importer not in rank or imported not in rank:
            continue  # reported as unplaced
        (high, independent), (low, _) = rank[importer], rank[imported]
        reason = ""
        if low < high:
            reason = "imports a higher layer"
        elif low == high and independent:
            reason = "imports another member of an independent layer"
        if reason:
            found.append(Breach(importer, imported, reason, tuple(sorted(lines, key=str))))
    return found


def find_breaches(
    package: str = "steerco", layers: Sequence[tuple[bool, tuple[str, ...]]] = LAYERS
) -> list[Breach]:
    graph = grimp.build_graph(package, cache_dir=None)
    imports = package_imports(imports_of(graph), package)
    names = {
        top_level(module, package)
        for module in graph.modules
        if module != package and not is_migration(module, package)
    }
    return unplaced(names, layers, package) + breaches(package, layers, imports)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    package = args[0] if args else "steerco"
    found = find_cycles(package)
    for cycle in found:
        print(cycle.describe(), end="\n\n")
    modules = sum(1 for cycle in found if cycle.level == "module")
    print(
        f"import cycles in {package}: {modules} between modules, "
        f"{len(found) - modules} between top-level packages"
    )
    against: list[Breach] = []
    if package == "steerco":  # the layers are steerco's
        against = find_breaches(package)
        for breach in against:
            print(breach.describe(), end="\n\n")
        print(f"imports against the layers of {package}: {len(against)}")
    return 1 if found or against else 0


if __name__ == "__main__":
    sys.exit(main())
