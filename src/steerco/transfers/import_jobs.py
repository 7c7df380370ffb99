"""Large imports from the web as background jobs.

An upload over ``settings.IMPORT_INLINE_BYTES`` is previewed, and once confirmed imported,
by the worker (`steerco db_worker`) instead of inside the request: a large RAID log takes
longer to read, check and write than a web worker may wait. Each step is a job whose params
name the kept upload's ticket and the step; its result is what the page shows afterwards:
the preview as `imports.shown` gives it (with the signed confirm ticket), or the commit's
outcome. The commit plans again and compares the fingerprint, as the request does, and
writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from steerco.core.models import Programme
from steerco.io import importer
from steerco.jobs.models import Job
from steerco.jobs.tasks import start
from steerco.transfers import imports, uploads
from steerco.transfers.models import ColumnMapping

PREVIEW = "preview"
COMMIT = "commit"
# The importer's stages, then storing the preview or writing the import.
STEPS = len(importer.STAGES) + 1
CHANGED = "The register changed since your preview: check this one and confirm again."


class ImportFailed(Exception):
    """The job cannot go on, for a reason its requester can act on; nothing was written."""


IMPORT_FAILURES = (ImportFailed,)


def runs_inline(path: Path) -> bool:
    """Whether an upload is small enough to preview and import inside the request."""
    return path.stat().st_size <= settings.IMPORT_INLINE_BYTES


def queue(
    programme: Programme,
    ticket: uploads.Ticket,
    source: str,
    step: str,
    user: User | None,
) -> Job:
    """Queue the preview of a kept upload, or the commit of a confirmed ``ticket``."""
    params = {
        "step": step,
        "register": ticket.register,
        "source": source,
        "upload": ticket.upload,
        "ticket": asdict(ticket),
    }
    job = Job.objects.create(
        programme=programme, kind=Job.Kind.IMPORT, params=params, requested_by=user
    )
    return start(job)


def commit_queued(upload: str) -> Job | None:
    """The commit of an upload still waiting or running (a confirm form sent twice). Once it
    has run, the upload is gone, or (the register changed) its new preview is confirmed anew."""
    jobs = Job.objects.filter(kind=Job.Kind.IMPORT, params__step=COMMIT, params__upload=upload)
    return jobs.filter(state__in=[Job.State.QUEUED, Job.State.RUNNING]).first()


def execute(job: Job, progress: Callable[[str], None]) -> dict[str, Any]:
    """Run an import job's step and return what its page shows; ImportFailed when the upload
    or its mapping is gone, or the import cannot be written (nothing was)."""
    ticket = uploads.Ticket(**job.params["ticket"])
    path = uploads.path_of(ticket.upload)
    if path is None:
        raise ImportFailed(
            "The uploaded file is no longer kept (uploads expire after two hours, and are "
            "deleted once imported): upload it again. Nothing was written."
        )
    saved = _mapping(job.programme, ticket)
    result = imports.preview(job.programme, ticket.register, path, saved, ticket, progress)
    if job.params["step"] == PREVIEW:
        progress("storing the preview")
        if not result.importable:
            uploads.discard(ticket.upload)  # nothing to confirm: keep nothing
        return {"step": PREVIEW, "preview": imports.shown(result)}
    return _commit(job, ticket, result, progress)


def _commit(
    job: Job, ticket: uploads.Ticket, result: imports.Preview, progress: Callable[[str], None]
) -> dict[str, Any]:
    if result.plan is None or not result.importable:
        uploads.discard(ticket.upload)
        progress("storing the preview")
        return {"step": COMMIT, "outcome": "problems", "preview": imports.shown(result)}
    if imports.fingerprint(result.plan) != ticket.fingerprint:
        progress("storing the new preview")
        return {"step": COMMIT, "outcome": "changed", "preview": imports.shown(result)}
    if job.requested_by is None:
        uploads.discard(ticket.upload)
        raise ImportFailed("The account that confirmed this import no longer exists.")
    progress("writing (all of it or none of it)")
    try:
        counts = imports.commit(job.programme, result.plan, job.requested_by.get_username())
    except importer.ImportError_ as error:
        raise ImportFailed(f"{error} Nothing was written.") from None
    finally:
        uploads.discard(ticket.upload)
    return {"step": COMMIT, "outcome": "imported", "counts": counts, "source": result.plan.source}


def _mapping(programme: Programme, ticket: uploads.Ticket) -> ColumnMapping | None:
    if ticket.mapping_id is None:
        return None
    saved = ColumnMapping.objects.filter(programme=programme, pk=ticket.mapping_id).first()
    if saved is None:
        raise ImportFailed(
            "The saved column mapping chosen for this upload has been deleted since: "
            "upload the file again. Nothing was written."
        )
    return saved
