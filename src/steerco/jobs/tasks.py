"""Long work run outside the web request, in the queue that lives in the database."""

from __future__ import annotations

import traceback

from django_tasks import task

from steerco.core.models import Meeting
from steerco.jobs.models import Job


def _progress(job_id: int, total: int) -> object:
    done = 0

    def step(stage: str) -> None:
        nonlocal done
        done += 1
        # Outside any transaction of the job's own, so the page sees it at once.
        Job.objects.filter(pk=job_id).update(stage=stage, done=min(done, total), total=total)

    return step


@task()
def run_job(job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(state=Job.State.RUNNING, stage="starting")
    try:
        if job.kind == Job.Kind.PACK:
            result = _build_pack(job)
        else:  # pragma: no cover - a kind added without a runner
            raise ValueError(f"no runner for job kind {job.kind}")
    except Exception as error:
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, error=f"{error}\n{traceback.format_exc(limit=5)}"
        )
        raise
    Job.objects.filter(pk=job_id).update(state=Job.State.DONE, stage="done", result=result)


def _build_pack(job: Job) -> dict[str, str]:
    from steerco.pack import service

    meeting = Meeting.objects.get(programme=job.programme, code=job.params["meeting"])
    step = _progress(job.pk, len(service.STEPS))
    rendered = service.render(job.programme, meeting, step)  # type: ignore[arg-type]
    step("write")  # type: ignore[operator]
    written = service.write(rendered, service.default_dir(job.programme))
    return {"pdf": str(written.pdf), "html": str(written.html)}


def start_pack(job: Job) -> Job:
    """Queue a pack build; the worker runs it (the immediate backend runs it now)."""
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job
