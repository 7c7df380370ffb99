"""Running it for real: production refusals, health, request ids, backup and restore,
personal data."""

from __future__ import annotations

import gzip
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from steerco.core.history import acting
from steerco.core.models import Meeting, Paper, Programme
from steerco.core.setup import set_logo
from steerco.ops import backup, personal
from steerco.ops.logs import JsonFormatter, RequestIdFilter
from steerco.ops.production import unsafe
from steerco.raid.models import Action
from steerco.registers import SLUGS as REGISTERS

STEERCO = str(Path(sys.executable).parent / "steerco")
SAFE = {
    "DEBUG": False,
    "SECRET_KEY": "k" * 30 + "0123456789abcdefghijklmnopqrstuv",
    "ALLOWED_HOSTS": ["steerco.example.org"],
    "DATABASE_ENGINE": "django.db.backends.postgresql",
}
SAFE_ENV = {"STEERCO_SECRET_KEY": "set", "STEERCO_ALLOWED_HOSTS": "steerco.example.org"}


def test_production_accepts_safe_settings() -> None:
    assert unsafe(SAFE, SAFE_ENV) == []


@pytest.mark.parametrize(
    ("change", "env", "named"),
    [
        ({"DEBUG": True}, SAFE_ENV, "STEERCO_DEBUG is on"),
        ({}, {"STEERCO_ALLOWED_HOSTS": "x"}, "STEERCO_SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, SAFE_ENV, "STEERCO_SECRET_KEY is too weak"),
        ({}, {"STEERCO_SECRET_KEY": "set"}, "STEERCO_ALLOWED_HOSTS is not set"),
        ({"ALLOWED_HOSTS": ["*"]}, SAFE_ENV, "STEERCO_ALLOWED_HOSTS contains '*'"),
        ({"DATABASE_ENGINE": "django.db.backends.sqlite3"}, SAFE_ENV, "is SQLite"),
    ],
)
def test_production_refuses_each_unsafe_setting_by_name(
    change: dict[str, object], env: dict[str, str], named: str
) -> None:
    problems = unsafe({**SAFE, **change}, env)
    assert len(problems) == 1 and named in problems[0]


def test_sqlite_in_production_needs_an_explicit_override() -> None:
    sqlite = {**SAFE, "DATABASE_ENGINE": "django.db.backends.sqlite3"}
    assert unsafe(sqlite, {**SAFE_ENV, "STEERCO_ALLOW_SQLITE_IN_PRODUCTION": "true"}) == []


def test_steerco_refuses_to_start_in_production_with_defaults() -> None:
    env = {"PATH": os.environ["PATH"], "STEERCO_PRODUCTION": "true"}
    result = subprocess.run(
        [STEERCO, "check", "--system"], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 2
    assert "refuses to start" in result.stderr and "STEERCO_SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_health_reports_a_reachable_database_and_a_request_id() -> None:
    response = Client().get("/health/", HTTP_X_REQUEST_ID="proxy-id-12345")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}
    assert response["X-Request-ID"] == "proxy-id-12345"
    assert len(Client().get("/health/", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"]) == 32


def test_health_says_503_when_the_database_is_unreachable() -> None:
    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/health/'); "
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "steerco.settings",
        "STEERCO_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    status, body = result.stdout.strip().split(" ", 1)
    assert status == "503" and json.loads(body)["status"] == "unavailable"


def test_log_lines_are_json_with_the_request_id() -> None:
    record = logging.LogRecord("steerco.requests", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.status_code = 200
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET / 200" and line["status_code"] == 200
    assert line["request_id"] == "-"  # outside a request


def exports() -> dict[str, str]:
    """Every register as of every meeting, and now."""
    result = {}
    codes = [None, *Meeting.objects.values_list("code", flat=True)]
    for register in REGISTERS:
        for code in codes:
            out = io.StringIO()
            args = ["export", register] + (["--as-of", code] if code else [])
            call_command(*args, stdout=out)
            result[f"{register}@{code}"] = out.getvalue()
    return result


def flush() -> None:
    for model in reversed(backup._models()):
        model._default_manager.all().delete()


@pytest.mark.django_db
def test_backup_then_restore_into_an_empty_database_reproduces_every_register_at_every_meeting(
    tmp_path: Path,
) -> None:
    paper = _a_paper()
    kept = Path(paper.file.path)
    programme = set_logo(Programme.objects.get(code="mhhs"), LOGO, "tests", "a logo to back up")
    logo = Path(programme.logo.path)
    before = exports()
    history_rows = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    target = tmp_path / "steerco.backup.gz"
    out = io.StringIO()
    call_command("backup", str(target), stdout=out)
    assert "and 2 files" in out.getvalue()
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(target), stdout=io.StringIO())
    flush()
    kept.unlink()  # the paper's and the logo's files are lost with the database
    logo.unlink()
    assert not Meeting.objects.exists()
    call_command("restore", str(target), stdout=io.StringIO())
    assert exports() == before
    restored = Paper.objects.get()
    assert restored.file.name == paper.file.name
    assert kept.read_bytes() == b"%PDF-1.4\nthe paper\n"
    assert Programme.objects.get(code="mhhs").logo.name == programme.logo.name
    assert logo.read_bytes() == LOGO
    after = {m._meta.label: m._default_manager.count() for m in apps.get_models()}
    assert {
        k: v
        for k, v in after.items()
        if k in history_rows and "ontenttype" not in k and "ermission" not in k
    } == {k: v for k, v in history_rows.items() if "ontenttype" not in k and "ermission" not in k}


LOGO = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><rect width="9"/></svg>'


def _a_paper() -> Paper:
    from django.core.files.base import ContentFile

    with acting("tests", "a paper to back up"):
        paper = Paper(meeting=Meeting.objects.get(code="PSG-25"), title="Readiness")
        paper.file.save("readiness.pdf", ContentFile(b"%PDF-1.4\nthe paper\n"), save=True)
    return paper


@pytest.mark.django_db
def test_a_backup_naming_a_file_outside_the_media_directory_is_refused(
    tmp_path: Path, settings: Any
) -> None:
    fake = tmp_path / "hostile.backup.gz"
    lines = [{"format": backup.FORMAT}, {"file": "../escaped.txt", "data": "eA=="}]
    with gzip.open(fake, "wt", encoding="utf-8") as out:
        out.write("\n".join(json.dumps(line) for line in lines) + "\n")
    flush()
    with pytest.raises(backup.BackupError, match="outside MEDIA_ROOT"):
        backup.restore(fake)
    assert not (Path(settings.MEDIA_ROOT).parent / "escaped.txt").exists()


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "x.gz"
    fake.write_bytes(b"not gzip")
    with pytest.raises(backup.BackupError):
        flush()
        backup.restore(fake)


@pytest.mark.django_db
def test_personal_data_export_finds_the_account_its_changes_and_its_mentions() -> None:
    user = get_user_model().objects.create_user("jbrogden", email="jb@example.org")
    with acting("jbrogden", "updated"):
        action = Action.objects.get(ref="PSG17-05")
        action.status = "closed"
        action.save()
    found = personal.find("jbrogden", "Jason Brogden")
    assert found.account["email"] == "jb@example.org"
    assert [h["record"] for h in found.history] == ["raid.HistoricalAction"]
    mentioned = {(m["record"], m["field"]) for m in found.mentions}
    assert ("raid.Action", "owners") in mentioned and (
        "raid.HistoricalAction",
        "owners",
    ) in mentioned
    assert user.pk


@pytest.mark.django_db
def test_erasure_removes_the_person_and_keeps_every_change() -> None:
    user = get_user_model().objects.create_user("jbrogden", email="jb@example.org")
    with acting("jbrogden", "updated"):
        action = Action.objects.get(ref="PSG17-05")
        action.status = "closed"
        action.save()
    rows_before = Action.history.count()
    out = io.StringIO()
    with pytest.raises(CommandError, match="add --confirm"):
        call_command("personal_data", "erase", "--user", "jbrogden", stdout=out)
    call_command(
        "personal_data",
        "erase",
        "--user",
        "jbrogden",
        "--name",
        "Jason Brogden",
        "--confirm",
        stdout=out,
    )
    assert Action.history.count() == rows_before
    assert not Action.history.filter(owners__contains="Jason Brogden").exists()
    assert not Action.objects.filter(owners__contains="Jason Brogden").exists()
    assert Action.objects.get(ref="PSG17-05").owners == "Programme ([name erased])"
    assert not Action.history.filter(history_actor="jbrogden").exists()
    assert Action.history.filter(history_actor=f"erased-user-{user.pk}").count() == 1
    user.refresh_from_db()
    assert (user.username, user.email, user.is_active) == (f"erased-user-{user.pk}", "", False)
    assert personal.find(None, "Jason Brogden").mentions == []
