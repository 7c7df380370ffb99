"""The pack's background job: build every edition of a frozen meeting's pack.

An open meeting has no cut-off, so nothing is built for it: its draft editions are rendered
when downloaded. A published meeting's editions are never rebuilt: only an edition missing
from disk is built (from the same frozen state, so it is the edition that was published).
"""

from __future__ import annotations

from typing import Any

from steerco.core.choices import MeetingState
from steerco.core.models import Meeting
from steerco.jobs.models import Job
from steerco.jobs.tasks import JobFailed, progress


def build_pack(job: Job) -> dict[str, Any]:
    # Imported here so that registering the runner at start-up loads no pack machinery.
    from steerco.pack import service
    from steerco.pack.editions import Edition, pack_path

    meeting = Meeting.objects.get(programme=job.programme, code=job.params["meeting"])
    if meeting.cutoff is None:
        raise JobFailed(
            f"{meeting.code} is open: it has no cut-off to build from. Its draft editions "
            "are built when downloaded; freeze it to build the pack."
        )
    wanted = tuple(Edition)
    if meeting.state not in (MeetingState.OPEN, MeetingState.FROZEN):
        wanted = tuple(
            e
            for e in Edition
            if not pack_path(job.programme.code, meeting.code, e, "pdf").is_file()
        )
    step = progress(job, max(1, len(service.STEPS) * len(wanted)))
    found: list[Any] = []
    written = service.build_editions(
        job.programme,
        meeting,
        wanted,
        progress=lambda edition, name: step(f"{edition.value}: {name}"),
        found=found,
    )
    return {
        "files": [str(path) for w in written for path in (w.pdf, w.html, w.pptx)],
        "cutoff": meeting.cutoff.isoformat(),
        "findings": [finding.as_dict() for finding in found],
        "skipped": [e.value for e in Edition if e not in wanted],
    }
