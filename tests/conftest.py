"""Shared fixtures: the MHHS example is loaded once per test database (per xdist worker)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from steerco.io.loader import load

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mhhs"
SEED = EXAMPLE / "source" / "psg-24-2023-09-06.txt"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        load(EXAMPLE, actor="tests")
    yield


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()
