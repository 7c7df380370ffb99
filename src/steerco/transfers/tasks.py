"""Transfers' background job: preview or commit a large spreadsheet import."""

from __future__ import annotations

from typing import Any

from steerco.jobs.models import Job
from steerco.jobs.tasks import JobFailed, progress


def run_import(job: Job) -> dict[str, Any]:
    # Imported here so that registering the runner at start-up loads no importer.
    from steerco.transfers import import_jobs

    try:
        return import_jobs.execute(job, progress(job, import_jobs.STEPS))
    except import_jobs.IMPORT_FAILURES as error:
        raise JobFailed(str(error)) from None
