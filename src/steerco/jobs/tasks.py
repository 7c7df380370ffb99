"""Long work run outside the web request, in the queue that lives in the database.

`jobs` knows no feature: each feature owns its task (`pack/tasks.py`, `planning/tasks.py`,
`transfers/tasks.py`) and registers its runner for its kind of job from its
`AppConfig.ready()`; the runner reports its progress through `progress`.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from django.db.models import F
from django_tasks import task

from steerco.jobs.models import Job

Step = Callable[[str], None]
Runner = Callable[[Job], dict[str, Any]]

_RUNNERS: dict[Job.Kind, Runner] = {}


class JobFailed(Exception):
    """A job that cannot be done for a reason its requester can act on (a bad case file):
    the message is shown on the job page as it is, without a traceback."""


def register(kind: Job.Kind, runner: Runner) -> None:
    """Name the runner of one kind of job; a kind has one runner, registered once."""
    known = _RUNNERS.get(kind)
    if known is not None and known is not runner:
        raise ValueError(f"job kind {kind.value} already runs {known.__qualname__}")
    _RUNNERS[kind] = runner


def runner_for(kind: Job.Kind) -> Runner | None:
    return _RUNNERS.get(kind)


def progress(job: Job, total: int) -> Step:
    """A step function for a job of ``total`` steps: each call records the stage reached."""
    done = 0

    def step(stage: str) -> None:
        nonlocal done
        done += 1
        # Outside any transaction of the job's own, so the page sees it at once.
        Job.objects.filter(pk=job.pk).update(stage=stage, done=min(done, total), total=total)

    return step


@task()
def run_job(job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(state=Job.State.RUNNING, stage="starting")
    try:
        runner = runner_for(Job.Kind(job.kind))
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


def start(job: Job) -> Job:
    """Queue a job; the worker runs it (the immediate backend runs it now)."""
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db()
    return job
