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
def psg24_pmo_pack(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The folder `steerco pack` wrote PSG-24's PMO edition to (HTML, PDF and .pptx), built
    once per test process for every test that reads the pack back."""
    from django.core.management import call_command

    out = tmp_path_factory.mktemp("psg24-pmo")
    with django_db_blocker.unblock():
        call_command(
            "pack", "--programme", "mhhs", "--meeting", "PSG-24", "--edition", "pmo", "--out", out
        )
    return out


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def requests_keep_test_connection(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep the test's database connection across requests made outside Django's test client.

    Django closes a connection whose autocommit differs from its settings when a request
    starts or finishes (`close_old_connections`), and so does the task worker's loop. Inside a
    test's transaction that is always so, and on PostgreSQL the closed connection loses the
    test's data (SQLite's in-memory database never closes). Django's test client disconnects
    the signal handler for the same reason; this does the same for the WSGI application called
    directly (schemathesis) and for `steerco db_worker` run in the test's process.
    """
    from django.core import signals
    from django.db import close_old_connections
    from django_tasks_db.management.commands import db_worker

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _papers_in_a_temporary_directory(
    settings: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Meeting papers written by a test go to a directory of its own, never to var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
