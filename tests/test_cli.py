"""The `steerco` command: Django's commands and steerco's own, each documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

STEERCO = Path(sys.executable).parent / "steerco"
OWN_COMMANDS = [
    "load",
    "export",
    "check",
    "generate",
    "plan",
    "pack",
    "serve",
    "demo-admin",
    "import",
    "demo-users",
    "backup",
    "restore",
    "personal-data",
    "remind",
    "what-if",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(STEERCO), *args], capture_output=True, text=True, check=False)


def test_steerco_lists_its_own_and_djangos_commands() -> None:
    result = run("help")
    assert result.returncode == 0
    for command in [*(c.replace("-", "_") for c in OWN_COMMANDS), "migrate", "createsuperuser"]:
        assert command in result.stdout


@pytest.mark.parametrize("command", OWN_COMMANDS)
def test_every_own_command_has_help_and_is_in_the_readme(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout
    assert f"steerco {command}" in (ROOT / "README.md").read_text()


def test_a_bad_setting_is_an_error_not_a_silent_default() -> None:
    result = subprocess.run(
        [str(STEERCO), "check"],
        capture_output=True,
        text=True,
        check=False,
        env={"STEERCO_DEBUG": "maybe", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "STEERCO_DEBUG='maybe' is not a boolean" in result.stderr


def test_an_unsupported_database_url_is_refused() -> None:
    result = subprocess.run(
        [str(STEERCO), "check"],
        capture_output=True,
        text=True,
        check=False,
        env={"STEERCO_DATABASE_URL": "mysql://x/y", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode != 0
    assert "only sqlite:/// and postgresql:// URLs" in result.stderr
