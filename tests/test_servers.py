"""Several application servers on one PostgreSQL: stateless, no lost updates, and faults
survived. Real gunicorn processes on loopback ports; PostgreSQL only."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.servers import (
    BIN,
    PASSWORD,
    ROOT,
    Browser,
    environment,
    free_port,
    postgres_url,
    scratch_database,
    servers,
    wait_until_up,
)

pytestmark = pytest.mark.skipif(postgres_url() is None, reason="needs PostgreSQL")


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    url = postgres_url()
    assert url is not None
    with scratch_database(url) as target:
        yield target


def risk_pk(database: str, ref: str) -> int:
    with psycopg.connect(database) as connection:
        row = connection.execute("SELECT id FROM raid_raiditem WHERE ref = %s", [ref]).fetchone()
    assert row is not None
    return int(row[0])


def edit_url(base: str, pk: int) -> str:
    return f"{base}/p/mhhs/registers/raid/{pk}/edit/"


def test_an_edit_through_one_server_is_seen_through_the_other(database: str) -> None:
    pk = risk_pk(database, "R622")
    with servers(database) as (first, second):
        browser = Browser()
        browser.log_in(first.base)  # the session lives in the database: both servers know it
        fields = browser.form(edit_url(first.base, pk), "version")
        fields.update(owner="Test data lead", reason="owner agreed at RAID review")
        status, _ = browser.request(edit_url(first.base, pk), fields)
        assert status in (302, 303)
        status, page = browser.request(f"{second.base}/p/mhhs/registers/raid/{pk}/")
        assert status == 200 and "Test data lead" in page


def test_concurrent_edits_through_two_servers_give_one_conflict_and_no_lost_update(
    database: str,
) -> None:
    pk = risk_pk(database, "R181")
    with psycopg.connect(database) as connection:
        before = connection.execute(
            "SELECT count(*) FROM raid_historicalraiditem WHERE id = %s", [pk]
        ).fetchone()[0]
    with servers(database) as (first, second):
        alice, bob = Browser(), Browser()
        alice.log_in(first.base)
        bob.log_in(second.base)
        form_a = alice.form(edit_url(first.base, pk), "version")
        form_b = bob.form(edit_url(second.base, pk), "version")
        assert form_a["version"] == form_b["version"]
        form_a.update(current_score="12", reason="Alice: rescored")
        form_b.update(current_score="20", reason="Bob: rescored")
        status_a, _ = alice.request(edit_url(first.base, pk), form_a)
        status_b, page_b = bob.request(edit_url(second.base, pk), form_b)
    assert status_a in (302, 303)
    assert status_b == 409 and "conflict" in page_b.lower()
    with psycopg.connect(database) as connection:
        score = connection.execute(
            "SELECT current_score FROM raid_raiditem WHERE id = %s", [pk]
        ).fetchone()[0]
        after = connection.execute(
            "SELECT count(*) FROM raid_historicalraiditem WHERE id = %s", [pk]
        ).fetchone()[0]
    assert score == 12  # Alice's save stands; Bob was shown the conflict, nothing overwritten
    assert after == before + 1


def test_wrong_passwords_through_two_servers_lock_the_username_out_on_both(
    database: str,
) -> None:
    # An account of its own, so that its lock-out leaves the other tests' `pmo` alone.
    subprocess.run(
        [
            str(BIN / "steerco"),
            "createsuperuser",
            "--noinput",
            "--username",
            "target",
            "--email",
            "t@example.org",
        ],
        cwd=ROOT,
        env=environment(database),
        check=True,
        capture_output=True,
    )
    limit = {"STEERCO_LOGIN_FAILURE_LIMIT": "4"}
    with servers(database, extra_env=[limit, limit]) as both:
        for n in range(1, 5):
            # Alternate servers: neither alone sees more than two of the four failures.
            status, _ = Browser().sign_in(both[n % 2].base, "target", "not-the-password")
            assert status == (429 if n == 4 else 200), n
        for server in both:
            status, page = Browser().sign_in(server.base, "target", PASSWORD)
            assert status == 429 and "Try again after" in page, server.base
        status, _ = Browser().sign_in(both[0].base, "pmo", PASSWORD)
        assert status in (302, 303)  # another username is not locked


def own_postgres(port: int) -> dict[str, str]:
    return {
        **os.environ,
        "STEERCO_PG_PORT": str(port),
        "STEERCO_PG_DATA": f"/tmp/steerco-pg-fault-{port}",
    }


def test_requests_fail_clearly_while_the_database_is_down_and_succeed_after() -> None:
    port = free_port()
    env = own_postgres(port)
    url = subprocess.run(
        [str(ROOT / "scripts" / "postgres"), "start"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    try:
        with scratch_database(url) as database, servers(database, count=1) as (server,):
            browser = Browser()
            browser.log_in(server.base)
            pk = risk_pk(database, "R119")
            form = browser.form(edit_url(server.base, pk), "version")
            subprocess.run(
                [str(ROOT / "scripts" / "postgres"), "stop"],
                env=env,
                check=True,
                capture_output=True,
            )
            form.update(owner="Written while the database was down", reason="fault test")
            status, page = browser.request(edit_url(server.base, pk), form)
            assert status == 503 and "cannot reach its database" in page
            status, _ = browser.request(f"{server.base}/health/")
            assert status == 503
            subprocess.run(
                [str(ROOT / "scripts" / "postgres"), "start"],
                env=env,
                check=True,
                capture_output=True,
            )
            wait_until_up(server)
            status, page = browser.request(f"{server.base}/p/mhhs/registers/raid/{pk}/")
            assert status == 200 and "Written while the database was down" not in page
            form = browser.form(edit_url(server.base, pk), "version")
            form.update(owner="Written after the restart", reason="fault test")
            status, _ = browser.request(edit_url(server.base, pk), form)
            assert status in (302, 303)
    finally:
        subprocess.run(
            [str(ROOT / "scripts" / "postgres"), "stop"], env=env, check=False, capture_output=True
        )


def write_rows(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("ref,type,theme,description,owner,current_score\n")
        for n in range(rows):
            handle.write(f"K{n:06d},risk,1,There is a risk numbered {n},PMO,{1 + n % 30}\n")


def test_an_import_killed_midway_leaves_nothing_and_can_run_again(
    database: str, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    write_rows(path, 8_000)
    env = environment(database)
    command = [str(BIN / "steerco"), "import", "raid", str(path), "--commit"]

    def count() -> int:
        with psycopg.connect(database) as connection:
            return int(
                connection.execute(
                    "SELECT count(*) FROM raid_raiditem WHERE ref LIKE 'K%%'"
                ).fetchone()[0]
            )

    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    # Kill it once the commit has begun writing (rows appear only when it commits).
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not _writing(database):
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert count() == 0
    finished = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert count() == 8_000


def _writing(database: str) -> bool:
    """Whether another session holds an open write transaction on the RAID table."""
    with psycopg.connect(database) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "WHERE c.relname = 'raid_raiditem' AND l.mode = 'RowExclusiveLock'"
        ).fetchone()
    return bool(row and row[0])
