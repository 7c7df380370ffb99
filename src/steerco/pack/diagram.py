"""The decision choreography as an SVG graph: milestones (with their RAG) and the gates that
approve them (each criterion with its state), drawn in columns from the milestones'
predecessor links and the criteria's targets. State is shown by colour and by its word.

The layout is a plain layered one — the graph of a steering group's gates is a handful of
nodes — so no graph-layout dependency is needed: a node's column is the length of the
longest chain of predecessors before it (in graphlib's topological order); within a column,
nodes run by forecast date. Links that go round in a cycle are a data error: the diagram
names each cycle above the boxes and draws the link that closes it right to left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from xml.sax.saxutils import escape

from steerco.charts import FONT, GRID, INK, MUTED, ink_for, text_width, wrap
from steerco.core.choices import RAG, CriterionState
from steerco.io.exporter import Row

NODE_W, GAP_X, GAP_Y, PAD = 240.0, 70.0, 18.0, 8.0
TOP, LANE = 44.0, 32.0  # boxes start at TOP; links that skip a column run along LANE
SIZE, SMALL, LINE = 10.0, 8.5, 12.5


@dataclass
class Node:
    code: str
    milestone: Row | None
    gate: Row | None
    rank: int = 0
    x: float = 0.0
    y: float = 0.0
    height: float = 0.0
    criterion_y: dict[int, float] = field(default_factory=dict)  # criterion order → y


def choreography(milestones: list[Row], gates: list[Row]) -> str:
    """The diagram as one ``<svg>``, or "" when there are no gates and no predecessor links."""
    nodes, edges = _graph(milestones, gates)
    if not nodes:
        return ""
    cycles = _rank(nodes, edges)
    columns: dict[int, list[Node]] = {}
    for node in sorted(nodes.values(), key=_order):
        columns.setdefault(node.rank, []).append(node)
    parts: list[str] = []
    height = 0.0
    for rank, column in sorted(columns.items()):
        y = TOP
        for node in column:
            node.x, node.y = rank * (NODE_W + GAP_X) + 4, y
            parts.extend(_draw(node))
            y += node.height + GAP_Y
        height = max(height, y)
    width = len(columns) * (NODE_W + GAP_X) - GAP_X + 8
    # Edges first, so that the boxes (filled white) sit over any line that crosses them.
    parts = _edges(nodes, edges) + parts
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart diagram" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'font-family="{FONT}" font-size="{SIZE:g}" fill="{INK}">'
        "<title>Decision choreography: milestones, gates and their criteria</title>"
        '<defs><marker id="choreo-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/></marker></defs>'
        f'<text x="4" y="14" font-size="11" fill="{MUTED}">Earlier steps left, '
        "what they gate to the right</text>"
    )
    warnings = "".join(
        f'<text x="4" y="{26 + 11 * n}" font-size="{SMALL:g}" font-weight="bold">'
        f"{escape(_cycle_text(cycle))}</text>"
        for n, cycle in enumerate(cycles)
    )
    return head + warnings + "".join(parts) + "</svg>"


Edge = tuple[str, str, int | None]  # from code, to code, criterion order (None: predecessor)


def _graph(milestones: list[Row], gates: list[Row]) -> tuple[dict[str, Node], list[Edge]]:
    by_code = {m["code"]: m for m in milestones}
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []

    def node(code: str) -> Node:
        if code not in nodes:
            nodes[code] = Node(code, by_code.get(code), None)
        return nodes[code]

    for gate in gates:
        node(gate["milestone_code"]).gate = gate
        for criterion in gate["criteria"]:
            target = criterion["target_code"]
            if target in by_code and target != gate["milestone_code"]:
                node(target)
                edges.append((target, gate["milestone_code"], criterion["order"]))
    for milestone in milestones:
        for link in milestone["predecessors"]:
            code = link["predecessor_code"]
            if code in by_code:
                node(code)
                node(milestone["code"])
                edges.append((code, milestone["code"], None))
    return nodes, edges


def _rank(nodes: dict[str, Node], edges: list[Edge]) -> list[list[str]]:
    """Longest-path layering in topological order. Each cycle (a data error) is returned, from
    its first code round to it again, and the link that closes it is left out of the layering,
    so it is drawn as a backward link."""
    before: dict[str, set[str]] = {code: set() for code in nodes}
    cycles: list[list[str]] = []
    for source, target, _order in edges:
        if source == target:  # its own predecessor
            if [source, source] not in cycles:
                cycles.append([source, source])
        else:
            before[target].add(source)
    while True:
        try:
            order = list(TopologicalSorter(before).static_order())
        except CycleError as error:
            found: list[str] = error.args[1][:-1]  # each comes before the next; closed
            start = found.index(min(found))
            cycle = [*found[start:], *found[:start]]
            cycles.append([*cycle, cycle[0]])
            before[cycle[0]].discard(cycle[-1])  # the link back to the first code
            continue
        break
    for code in order:
        nodes[code].rank = max((nodes[p].rank + 1 for p in before[code]), default=0)
    return cycles


def _cycle_text(cycle: list[str]) -> str:
    return (
        f"Not an order, a cycle: {' → '.join(cycle)}. Each waits for the one before it; "
        "the link back is drawn right to left."
    )


def _order(node: Node) -> tuple[int, str, str]:
    forecast = str((node.milestone or {}).get("forecast_date") or "9999")
    return (node.rank, forecast, node.code)


def _chip(x: float, y: float, label: str, colour: str) -> tuple[str, float]:
    width = text_width(label, SMALL, bold=True) + 8
    svg = (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="12" rx="3" '
        f'fill="{colour}" stroke="{INK}" stroke-width="0.4"/>'
        f'<text x="{x + 4:.1f}" y="{y + 9:.1f}" font-size="{SMALL:g}" font-weight="bold" '
        f'fill="{ink_for(colour)}">{escape(label)}</text>'
    )
    return svg, width


def _draw(node: Node) -> list[str]:
    x, y = node.x, node.y
    milestone = node.milestone
    inner = NODE_W - 2 * PAD
    lines = [
        f'<text x="{x + PAD:.1f}" y="{y + 14:.1f}" font-weight="bold">{escape(node.code)}</text>'
    ]
    cursor = y + 16
    if milestone is None:
        lines.append(_line(x, cursor, "not in the milestone register", MUTED))
        cursor += LINE
    else:
        for text in _clip(wrap(milestone["title"], inner, SIZE), 3):
            lines.append(_line(x, cursor, text))
            cursor += LINE
        rag = milestone["rag"]
        chip, width = _chip(
            x + PAD,
            cursor + 2,
            RAG(rag).label if rag else "Unknown",
            RAG.colour(rag) if rag else "#ffffff",
        )
        lines.append(chip)
        detail = f"{milestone['governing_body'] or 'body unknown'} · forecast "
        detail += str(milestone["forecast_date"] or "unknown")
        lines.append(_line(x + width + 6, cursor + 1, detail, MUTED, SMALL))
        cursor += 18
    box_h = cursor - y + 2
    shapes = [
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{NODE_W:g}" height="{box_h:.1f}" rx="5" '
        f'fill="#ffffff" stroke="{INK}" stroke-width="1"/>'
    ]
    node.height = box_h
    if node.gate is not None:
        shapes.extend(_gate(node, y + box_h + 4))
    return shapes + lines


def _gate(node: Node, top: float) -> list[str]:
    gate = node.gate or {}
    x = node.x + 10
    width = NODE_W - 10
    criteria = gate.get("criteria", [])
    met = sum(1 for c in criteria if c["state"] == "met")
    ready = bool(criteria) and met == len(criteria)
    parts: list[str] = []
    header = f"Gate ({gate.get('governing_body') or '?'}): {met} of {len(criteria)} met"
    chip, chip_w = _chip(
        x + width - 66,
        top + 4,
        "Ready" if ready else "Not ready",
        RAG.colour("green") if ready else RAG.colour("red"),
    )
    parts.append(_line(x - PAD + 6, top, header, INK, SMALL, bold=True))
    parts.append(chip)
    cursor = top + 20
    for criterion in criteria:
        state = criterion["state"] or "unknown"
        label = CriterionState(state).label if state in CriterionState.values else state
        chip, chip_w = _chip(x + 6, cursor, str(label), CriterionState.colour(state))
        parts.append(chip)
        node.criterion_y[criterion["order"]] = cursor + 6
        text = criterion["text"]
        for line in _clip(wrap(text, width - chip_w - 20, SMALL), 3):
            parts.append(_line(x + chip_w + 4 - PAD + 6, cursor - 3, line, INK, SMALL))
            cursor += SMALL + 2.5
        cursor = max(cursor, node.criterion_y[criterion["order"]] + 8) + 3
    height = cursor - top + 2
    parts.insert(
        0,
        f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="4" '
        f'fill="#fafafa" stroke="{GRID}" stroke-dasharray="4 2"/>'
        f'<line x1="{node.x + 5:.1f}" y1="{top - 4:.1f}" x2="{node.x + 5:.1f}" '
        f'y2="{top + 10:.1f}" stroke="{GRID}"/>',
    )
    node.height += 4 + height
    return parts


def _line(
    x: float, y: float, text: str, fill: str = INK, size: float = SIZE, bold: bool = False
) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x + PAD:.1f}" y="{y + size + 1:.1f}" font-size="{size:g}" fill="{fill}"'
        f"{weight}>{escape(text)}</text>"
    )


def _clip(lines: list[str], most: int) -> list[str]:
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], lines[most - 1] + " …"]


def _edges(nodes: dict[str, Node], edges: list[Edge]) -> list[str]:
    parts = []
    for source, target, order in edges:
        a, b = nodes[source], nodes[target]
        x1, y1 = a.x + NODE_W, a.y + 16
        x2 = b.x + (10 if order is not None else 0)
        y2 = b.criterion_y.get(order, b.y + 16) if order is not None else b.y + 16
        if b.rank - a.rank > 1:
            # Skipping a column: up to the lane above the boxes, across, then down.
            path = (
                f"M{x1:.1f},{y1:.1f} C{x1 + 25:.1f},{y1:.1f} {x1 + 5:.1f},{LANE:.1f} "
                f"{x1 + 30:.1f},{LANE:.1f} L{x2 - 30:.1f},{LANE:.1f} "
                f"C{x2 - 12:.1f},{LANE:.1f} {x2 - 25:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
            )
        else:
            if b.rank <= a.rank:  # a backward link: leave from the left, enter on the right
                x1, x2 = a.x, b.x + NODE_W
            bend = max(abs(x2 - x1) / 2, 30)
            path = (
                f"M{x1:.1f},{y1:.1f} C{x1 + bend:.1f},{y1:.1f} {x2 - bend:.1f},{y2:.1f} "
                f"{x2:.1f},{y2:.1f}"
            )
        parts.append(
            f'<path d="{path}" fill="none" stroke="{MUTED}" stroke-width="1.2" '
            f'marker-end="url(#choreo-arrow)"/>'
        )
    return parts
