"""Long work run outside the web request, in the queue that lives in the database."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from django.db.models import F
from django_tasks import task

from steerco.core.models import Meeting
from steerco.jobs.models import Job

Step = Callable[[str], None]


class JobFailed(Exception):
    """A job that cannot be done for a reason its requester can act on (a bad case file):
    the message is shown on the job page as it is, without a traceback."""


def _progress(job_id: int, total: int) -> Step:
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
        runner = RUNNERS.get(Job.Kind(job.kind))
        if runner is None:  # pragma: no cover - a kind added without a runner
            raise ValueError(f"no runner for job kind {job.kind}")
        result = runner(job)
    except JobFailed as error:
        Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, error=str(error))
        return
    except Exception as error:
        Job.objects.filter(pk=job_id).update(
            state=Job.State.FAILED, error=f"{error}\n{traceback.format_exc(limit=5)}"
        )
        raise
    # Done is all of it, even where a step was skipped (a file refused as it was read).
    Job.objects.filter(pk=job_id).update(
        state=Job.State.DONE, stage="done", result=result, done=F("total")
    )


def _build_pack(job: Job) -> dict[str, Any]:
    from steerco.pack import service
    from steerco.pack.editions import Edition

    meeting = Meeting.objects.get(programme=job.programme, code=job.params["meeting"])
    step = _progress(job.pk, len(service.STEPS) * len(Edition))
    written = service.build_editions(
        job.programme, meeting, progress=lambda edition, name: step(f"{edition.value}: {name}")
    )
    return {"files": [str(path) for w in written for path in (w.pdf, w.html)]}


def _run_plan(job: Job) -> dict[str, Any]:
    from steerco.planning import runs

    run = runs.PlanRun.objects.get(pk=job.params["run"], programme=job.programme)
    try:
        runs.execute(run, _progress(job.pk, runs.STEPS))
    except runs.PLAN_FAILURES as error:
        raise JobFailed(str(error)) from None
    return {"run": run.pk}


def _run_import(job: Job) -> dict[str, Any]:
    from steerco.transfers import import_jobs

    try:
        return import_jobs.execute(job, _progress(job.pk, import_jobs.STEPS))
    except import_jobs.IMPORT_FAILURES as error:
        raise JobFailed(str(error)) from None


RUNNERS: dict[Job.Kind, Callable[[Job], dict[str, Any]]] = {
    Job.Kind.PACK: _build_pack,
    Job.Kind.PLAN: _run_plan,
    Job.Kind.IMPORT: _run_import,
}


def start(job: Job) -> Job:
    """Queue a job; the worker runs it (the immediate backend runs it now)."""
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job
