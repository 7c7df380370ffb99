"""`steerco check --deploy` is Django's deployment check, as Django's convention has it, and
never the programme checker run silently in its place."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

pytestmark = pytest.mark.django_db


def run_check(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_check_deploy_runs_djangos_deployment_checks_not_the_programme_checker() -> None:
    out, err = run_check("--deploy")
    # The development secret key and plain-HTTP cookies are deployment warnings.
    assert "security.W" in err
    assert "findings at" not in out + err


def test_check_deploy_fails_at_the_warning_level_asked_for() -> None:
    with pytest.raises(SystemCheckError, match=r"security\.W"):
        run_check("--deploy", "--fail-level", "WARNING")


def test_check_system_deploy_is_the_same_check() -> None:
    _, err = run_check("--system", "--deploy")
    assert "security.W" in err


def test_djangos_other_check_options_run_the_system_checks_too() -> None:
    out, _ = run_check("--list-tags")
    assert "models" in out.split() and "findings at" not in out
    out, err = run_check("--tag", "models")
    assert "System check identified no issues" in out and not err


def test_programme_and_system_options_together_are_refused() -> None:
    with pytest.raises(CommandError, match=r"--meeting.*--deploy.*separately"):
        run_check("--deploy", "--meeting", "PSG-24")


def test_plain_check_is_still_the_programme_checker() -> None:
    with pytest.raises(SystemExit):  # the MHHS example has error findings
        run_check("--meeting", "PSG-24")
