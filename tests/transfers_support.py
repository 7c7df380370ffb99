"""The import page's requests for the transfers tests: an upload, the confirm form's ticket
and a milestones export with one record changed."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

IMPORT = reverse("transfers:import", args=["mhhs"])
COMMIT = reverse("transfers:import-commit", args=["mhhs"])


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))


def upload(client: Client, name: str, content: bytes, register: str = "milestones") -> Any:
    return client.post(IMPORT, {"register": register, "file": SimpleUploadedFile(name, content)})


def ticket_of(response: Any) -> str:
    found = re.search(r'name="ticket" value="([^"]+)"', response.content.decode())
    assert found, response.content.decode()[:3000]
    return found.group(1)


def milestones_csv(change: dict[str, str]) -> bytes:
    """`steerco export milestones` as CSV, with T2-TE-0250's fields set from ``change``."""
    out = io.StringIO()
    call_command("export", "milestones", "--format", "csv", stdout=out)
    rows = rows_of(out.getvalue().encode())
    for row in rows:
        if row["code"] == "T2-TE-0250":
            row.update(change)
    target = io.StringIO()
    writer = csv.DictWriter(target, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return target.getvalue().encode()
