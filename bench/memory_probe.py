"""Where a server's memory goes under the soak's edits, in one process under tracemalloc.

A scratch SQLite database with the MHHS example; a PMO editor saves N edits of RAID items
(the soak's write: open the edit form, change the owner, save with the form's version). It
prints what Python still holds after the edits that it did not before — leaving out the
bookkeeping Django's test client itself leaves behind (a weak reference per signal
connection) — and, for each page the soak reads, the peak memory of one request before and
after the edits, since a page that reads history does more work as history grows.

    .venv/bin/python bench/memory_probe.py --writes 1000
    .venv/bin/python bench/memory_probe.py --writes 300 --database-url postgresql://…/empty
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from _machine import describe  # noqa: E402
from soak import READS  # noqa: E402

TEST_CLIENT_BOOKKEEPING = ("dispatcher.py", "weakref.py")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument(
        "--database-url",
        help="an empty database to migrate and use (default: a scratch SQLite file)",
    )
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="steerco-memory-")
    os.environ["STEERCO_DATABASE_URL"] = args.database_url or f"sqlite:///{scratch}/db.sqlite3"
    os.environ.setdefault("STEERCO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steerco.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from tests.servers import Forms

    from steerco.io.loader import load
    from steerco.raid.models import RaidItem

    call_command("migrate", verbosity=0)
    load(ROOT / "examples" / "mhhs", actor="memory probe")
    user = get_user_model().objects.create_superuser("probe", password="a-long-password-77")
    client = Client()
    client.force_login(user)
    risks = list(RaidItem.objects.values_list("pk", flat=True))
    rng = random.Random(3)

    def write() -> None:
        url = f"/p/mhhs/registers/raid/{rng.choice(risks)}/edit/"
        form = max(
            (f for f in Forms(client.get(url).content.decode()).forms if "version" in f), key=len
        )
        form.update(owner=f"probe {time.time_ns()}", reason="memory probe")
        assert client.post(url, form).status_code in (302, 303)

    def peaks() -> dict[str, float]:
        found = {}
        for page in READS:
            client.get(page)  # warm
            tracemalloc.reset_peak()
            before = tracemalloc.get_traced_memory()[0]
            assert client.get(page).status_code == 200
            found[page] = (tracemalloc.get_traced_memory()[1] - before) / 2**20
        return found

    for _ in range(50):
        write()  # warm every code path first
    tracemalloc.start(12)
    first = peaks()
    gc.collect()
    base = tracemalloc.take_snapshot()
    started = time.perf_counter()
    for _ in range(args.writes):
        write()
    seconds = time.perf_counter() - started
    gc.collect()
    grown = tracemalloc.take_snapshot().compare_to(base, "traceback")
    ours = [
        s
        for s in grown
        if not any(f.filename.endswith(TEST_CLIENT_BOOKKEEPING) for f in s.traceback)
    ]
    then = peaks()
    print(f"machine: {describe()}; database: {django.db.connection.vendor}")
    print(f"{args.writes} edits in {seconds:.0f} s (history rows grew by as many)")
    print(
        "held by Python after the edits, outside the test client's bookkeeping: "
        f"{sum(s.size_diff for s in ours) / 1024:.0f} KiB "
        f"({sum(s.size_diff for s in grown) / 1024:.0f} KiB with it)"
    )
    print("peak memory of one request (MiB), before → after the edits:")
    for page in READS:
        print(f"  {page:40} {first[page]:6.2f} → {then[page]:6.2f}")


if __name__ == "__main__":
    main()
