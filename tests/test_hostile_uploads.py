"""Hostile spreadsheets are refused before anything reads their cells: by `steerco import`
in a process that stays small, by the import page and by the background import, each with a
message naming the file and why, and nothing written."""

from __future__ import annotations

import os
import re
import resource
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse

from steerco.io import packages
from steerco.jobs.models import Job
from steerco.transfers import uploads
from tests.conftest import ROOT
from tests.hostile_support import CORPUS, build_corpus
from tests.test_cli import STEERCO
from tests.test_transfers_jobs import registers, work
from tests.transfers_support import upload
from tests.web_support import make_cast

NAMES = [hostile.name for hostile in CORPUS]
REFUSAL = {hostile.name: hostile.refusal for hostile in CORPUS}
PEAK_RSS_LIMIT = 300 * 1024 * 1024


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return build_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="session")
def scratch_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A migrated SQLite file with the MHHS example, for `steerco import` in a subprocess."""
    path = tmp_path_factory.mktemp("cli") / "steerco.sqlite3"
    env = {**os.environ, "STEERCO_DATABASE_URL": f"sqlite:///{path}"}
    for args in (["migrate", "-v0"], ["load", "examples/mhhs"]):
        subprocess.run([str(STEERCO), *args], cwd=ROOT, env=env, check=True, capture_output=True)
    yield path


def row_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


# Runs a command and writes its peak RSS (KiB) to a file. The measure is taken in this small
# launcher, since Linux carries a process's peak RSS across fork and exec: measured from the
# test process, the child would report the test process's size.
LAUNCHER = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[2:]).returncode; "
    "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
    "sys.exit(code)"
)


def run_measured(args: list[str], env: dict[str, str], scratch: Path) -> tuple[int, str, int]:
    """(exit code, stdout and stderr, the command's peak RSS in bytes). It may use at most
    4 GiB of address space, so a regression fails the test, not the machine."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))

    peak = scratch / "peak"
    result = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(peak), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        preexec_fn=cap,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr, int(peak.read_text()) * 1024


def test_the_peak_rss_measure_sees_a_large_child(tmp_path: Path) -> None:
    code, _, peak = run_measured(
        [sys.executable, "-c", "x = bytearray(200 * 2**20)"], dict(os.environ), tmp_path
    )
    assert code == 0 and 200 * 2**20 < peak < PEAK_RSS_LIMIT + 50 * 2**20
    code, _, small = run_measured([sys.executable, "-c", "pass"], dict(os.environ), tmp_path)
    assert small < 50 * 2**20


@pytest.mark.parametrize("name", NAMES)
def test_the_import_command_refuses_each_hostile_file_in_a_small_process(
    name: str, corpus: dict[str, Path], scratch_database: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "STEERCO_DATABASE_URL": f"sqlite:///{scratch_database}"}
    before = row_counts(scratch_database)
    code, output, peak = run_measured(
        [str(STEERCO), "import", "raid", str(corpus[name]), "--commit"], env, tmp_path
    )
    print(f"\n{name}: exit {code}, peak RSS {peak / 2**20:.1f} MiB")
    assert code == 1, output
    assert f"{name} " in output and REFUSAL[name] in output and "Nothing was written" in output
    assert "Traceback" not in output
    assert peak < PEAK_RSS_LIMIT
    assert row_counts(scratch_database) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_the_import_page_refuses_each_hostile_file_and_writes_nothing(
    name: str, corpus: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uploads, "ROOT", tmp_path / "uploads")
    client = make_cast().client("pmo")
    before = registers()
    response = upload(client, name, corpus[name].read_bytes(), register="raid")
    html = response.content.decode()
    assert response.status_code == 400
    assert name in html and escaped(REFUSAL[name]) in html and "Nothing was written" in html
    assert registers() == before
    assert not uploads.ROOT.exists() or not any(uploads.ROOT.iterdir())


def escaped(text: str) -> str:
    return text.replace("'", "&#x27;").replace('"', "&quot;")


@pytest.mark.django_db
@pytest.mark.usefixtures("requests_keep_test_connection")
@pytest.mark.parametrize("name", NAMES)
def test_the_background_import_refuses_each_hostile_file_and_writes_nothing(
    name: str,
    corpus: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    monkeypatch.setattr(uploads, "ROOT", tmp_path / "uploads")
    settings.IMPORT_INLINE_BYTES = 0  # every upload goes to the worker
    client = make_cast().client("pmo")
    before = registers()
    response = upload(client, name, corpus[name].read_bytes(), register="raid")
    if response.status_code == 400:  # refused at the upload already (its name lies)
        assert REFUSAL[name] in response.content.decode()
        assert not Job.objects.exists()
    else:
        work()
        job = Job.objects.get()
        result = client.get(reverse("transfers:import-job", args=["mhhs", job.pk]))
        html = result.content.decode()
        assert job.state in ("done", "failed")
        assert result.status_code == 400, html[:2000]
        assert name in html and escaped(REFUSAL[name]) in html
        assert 'name="ticket"' not in html
    assert registers() == before
    assert not uploads.ROOT.exists() or not any(uploads.ROOT.iterdir())


def test_every_limit_is_a_documented_setting() -> None:
    readme = (ROOT / "README.md").read_text()
    source = Path(packages.__file__).read_text()
    settings = set(re.findall(r'env_int\("(STEERCO_[A-Z_]+)"', source))
    assert len(settings) == 5
    for setting in settings:
        assert f"`{setting}`" in readme, setting


@pytest.mark.django_db
def test_a_register_export_is_within_every_limit_and_lower_limits_refuse_it(
    tmp_path: Path,
) -> None:
    target = tmp_path / "raid.xlsx"
    call_command("export", "raid", "--format", "xlsx", "-o", str(target))
    packages.inspect(target)
    generous = packages.Limits.configured()
    for change, message in (
        ({"rows": 3}, "over the limit of 3 rows"),
        ({"columns": 3}, "over the limit of 3 columns"),
        ({"cells": 30}, "over the limit of 30 cells"),
        ({"entries": 8}, "over the limit of 8"),
        ({"unpacked_bytes": 4096}, "over the limit of 4,096 bytes"),
    ):
        limits = packages.Limits(**{**generous.__dict__, **change})
        with pytest.raises(packages.PackageError, match=message):
            packages.inspect(target, limits)
