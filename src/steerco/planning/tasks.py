"""Planning's background job: plan a stored run's case."""

from __future__ import annotations

from typing import Any

from steerco.jobs.models import Job
from steerco.jobs.tasks import JobFailed, progress


def run_plan(job: Job) -> dict[str, Any]:
    # Imported here so that registering the runner at start-up loads no planner.
    from steerco.planning import runs

    run = runs.PlanRun.objects.get(pk=job.params["run"], programme=job.programme)
    try:
        runs.execute(run, progress(job, runs.STEPS))
    except runs.PLAN_FAILURES as error:
        raise JobFailed(str(error)) from None
    return {"run": run.pk}
