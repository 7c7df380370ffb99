"""The decision choreography: columns in topological order, and a cycle named, not a hang."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from steerco.pack.diagram import choreography

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg: str) -> list[str]:
    return [el.text or "" for el in ET.fromstring(svg).iter(f"{SVG}text")]


def _milestone(code: str, *before: str, forecast: str = "2023-10-02") -> dict[str, Any]:
    return {
        "code": code, "title": f"Step {code}", "rag": "green", "governing_body": "PSG",
        "forecast_date": forecast, "predecessors": [{"predecessor_code": b} for b in before],
    }  # fmt: skip


def _columns(svg: str) -> dict[str, float]:
    """Each box's code → its x, the column it was laid in."""
    root = ET.fromstring(svg)
    return {
        el.text or "": float(el.get("x", "0"))
        for el in root.iter(f"{SVG}text")
        if el.get("font-weight") == "bold" and (el.text or "").startswith("M")
    }


def test_the_choreography_lays_each_milestone_right_of_its_longest_chain_of_predecessors() -> None:
    svg = choreography([_milestone("M1"), _milestone("M2", "M1"), _milestone("M3", "M1", "M2")], [])
    x = _columns(svg)
    assert x["M1"] < x["M2"] < x["M3"]
    assert not [t for t in texts(svg) if "cycle" in t]


def test_a_cycle_of_predecessors_is_named_in_the_diagram_and_does_not_hang() -> None:
    milestones = [
        _milestone("M1", "M3"),
        _milestone("M2", "M1"),
        _milestone("M3", "M2"),
        _milestone("M4", "M4"),  # its own predecessor
        _milestone("M5", "M2"),
    ]
    svg = choreography(milestones, [])
    words = texts(svg)
    assert any(w.startswith("Not an order, a cycle: M1 → M2 → M3 → M1.") for w in words)
    assert any(w.startswith("Not an order, a cycle: M4 → M4.") for w in words)
    x = _columns(svg)
    assert x["M1"] < x["M2"] < x["M3"]  # laid out without the link that closes the cycle
    assert x["M5"] > x["M2"]


def test_a_cycle_through_a_gate_criterion_is_named_too() -> None:
    milestones = [_milestone("M1", "M2"), _milestone("M2")]
    gates = [
        {"milestone_code": "M2", "governing_body": "PSG", "criteria": [
            {"order": 1, "text": "M1 approved", "state": "met", "target_code": "M1"},
        ]},
    ]  # fmt: skip
    words = texts(choreography(milestones, gates))
    assert any(w.startswith("Not an order, a cycle: M1 → M2 → M1.") for w in words)
