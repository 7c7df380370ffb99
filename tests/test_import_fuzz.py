"""Malformed rows never break the importer: a problem list or a clean plan, never a
traceback, and a commit is all or nothing."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from steerco.core.models import Programme
from steerco.io import importer
from steerco.io.loader import load
from steerco.milestones.models import Milestone
from tests.conftest import EXAMPLE

COLUMNS = [
    "code",
    "tier",
    "title",
    "baseline_date",
    "forecast_date",
    "rag",
    "order",
    "predecessors",
]
cell = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "green",
            "T9",
            "2023-02-30",
            "2023-10-04",
            "-1",
            "1e9",
            "=1+1",
            "[]",
            "[{}]",
            '[{"predecessor_code": 5}]',
            "null",
            "None",
            "\u202e",
        ]
    ),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
rows = st.lists(st.lists(cell, min_size=len(COLUMNS), max_size=len(COLUMNS)), max_size=6)


class MalformedRows(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        if not Programme.objects.filter(code="mhhs").exists():
            load(EXAMPLE, actor="tests")

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(rows=rows)
    def test_malformed_rows_give_problems_or_a_whole_commit(self, rows: list[list[str]]) -> None:
        programme = Programme.objects.get(code="mhhs")
        before = Milestone.history.count()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "fuzz.csv"
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(COLUMNS)
                writer.writerows(rows)
            try:
                result = importer.plan("milestones", path, programme)
            except importer.ImportError_:
                assert Milestone.history.count() == before
                return
            if result.problems:
                with self.assertRaises(importer.ImportError_):
                    importer.commit(result, programme, "fuzz")
                assert Milestone.history.count() == before
                return
            try:
                importer.commit(result, programme, "fuzz")
            except Exception:
                assert Milestone.history.count() == before
                raise
            written = result.count("create") + result.count("change")
            assert Milestone.history.count() >= before + written
