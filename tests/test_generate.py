"""`steerco generate` writes a synthetic programme that loads, with 36 meetings of history."""

from __future__ import annotations

from pathlib import Path

import pytest

from steerco.core.models import Meeting, Programme
from steerco.io.generator import MEETINGS, Generator
from steerco.io.loader import load
from steerco.milestones.models import Milestone

pytestmark = pytest.mark.django_db


def test_a_generated_programme_loads_marked_synthetic_with_its_history(tmp_path: Path) -> None:
    Generator(scale=2).write(tmp_path / "g")
    result = load(tmp_path / "g", actor="tests")
    programme = result.programme
    assert programme.synthetic and "SYNTHETIC" in programme.name
    assert Meeting.objects.filter(programme=programme).count() == MEETINGS
    milestones = Milestone.objects.filter(programme=programme)
    assert milestones.count() == 2 * 27
    ids = list(milestones.values_list("id", flat=True))
    states = Milestone.history.filter(id__in=ids).count()
    assert states > 2 * milestones.count()  # earlier meetings' states were written
    first = Meeting.objects.filter(programme=programme).order_by("date").first()
    assert first is not None
    early = Milestone.history.as_of(first.cutoff).filter(programme_id=programme.pk).count()
    assert 0 < early < milestones.count()


def test_generation_is_reproducible(tmp_path: Path) -> None:
    Generator(scale=1, seed=5).write(tmp_path / "a")
    Generator(scale=1, seed=5).write(tmp_path / "b")
    for path in (tmp_path / "a").iterdir():
        assert path.read_text() == (tmp_path / "b" / path.name).read_text()


def test_the_mhhs_example_is_not_marked_synthetic() -> None:
    assert not Programme.objects.get(code="mhhs").synthetic
