"""The pack's background job: build every edition of a meeting's pack."""

from __future__ import annotations

from typing import Any

from steerco.core.models import Meeting
from steerco.jobs.models import Job
from steerco.jobs.tasks import progress


def build_pack(job: Job) -> dict[str, Any]:
    # Imported here so that registering the runner at start-up loads no pack machinery.
    from steerco.pack import service
    from steerco.pack.editions import Edition

    meeting = Meeting.objects.get(programme=job.programme, code=job.params["meeting"])
    step = progress(job, len(service.STEPS) * len(Edition))
    written = service.build_editions(
        job.programme, meeting, progress=lambda edition, name: step(f"{edition.value}: {name}")
    )
    return {"files": [str(path) for w in written for path in (w.pdf, w.html)]}
