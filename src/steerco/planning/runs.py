"""Plan runs: the cases steerco bundles, queuing a run as a background job, and running it.

The web page checks a case before it stores anything (`check`), then `queue` stores the run
and its job; the worker calls `execute`, which plans the case as `steerco plan` does and
stores the plan on the run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from steerco.core.models import Programme
from steerco.jobs.models import Job
from steerco.jobs.tasks import start
from steerco.planning.cases import Case, CaseError, read_case_text
from steerco.planning.migration import PlanError
from steerco.planning.models import PlanRun
from steerco.planning.planner import allocation_for, plan
from steerco.planning.report import to_json

__all__ = ["PLAN_FAILURES", "STEPS", "PlanRun", "bundled", "check", "execute", "queue"]

# Reading the case, planner.plan's five steps, storing the plan.
STEPS = 7
PLAN_FAILURES = (CaseError, PlanError)
EXAMPLES = Path(settings.PROJECT_DIR) / "examples" / "migration"
# What a case run from the web may ask of the shared worker (`steerco plan` on the command
# line takes any size): ten years of days, and ten times the GB case's supplier × LDSO pairs.
MAX_YEARS = 10
MAX_PAIRS = 20_000


@dataclass(frozen=True)
class Bundled:
    key: str  # the path under examples/migration/, as the form offers it
    path: Path


def bundled() -> dict[str, Bundled]:
    """The example cases shipped with steerco (and the generated GB case, once written), by
    their path under examples/migration/. A form offers these keys; no path a user types is
    ever opened."""
    if not EXAMPLES.is_dir():
        return {}
    found = sorted(EXAMPLES.rglob("*.yaml"))
    return {
        key: Bundled(key, path)
        for path in found
        if path.is_file() and not path.is_symlink()
        for key in [path.relative_to(EXAMPLES).as_posix()]
    }


def check(text: str | bytes, source: str) -> Case:
    """The case, or a CaseError naming what is wrong: read it and allocate its tranches (both
    quick), so a bad case is refused before anything is stored or queued."""
    case = read_case_text(text, source)
    if case.deadline > case.start.replace(year=case.start.year + MAX_YEARS):
        raise CaseError(
            f"{source}: start {case.start} to deadline {case.deadline} is more than "
            f"{MAX_YEARS} years; plan a case that long with `steerco plan`"
        )
    pairs = len(case.suppliers) * len(case.ldsos)
    if pairs > MAX_PAIRS:
        raise CaseError(
            f"{source}: {len(case.suppliers)} suppliers × {len(case.ldsos)} LDSOs is "
            f"{pairs:,} pairs, more than the {MAX_PAIRS:,} a web run may plan; "
            "use `steerco plan`"
        )
    allocation_for(case)
    return case


def queue(
    programme: Programme,
    case: Case,
    text: str,
    source: str,
    user: User | None,
) -> Job:
    """Store a run of ``case`` (checked) and queue the job that plans it."""
    with transaction.atomic():
        job = Job.objects.create(
            programme=programme, kind=Job.Kind.PLAN, params={}, requested_by=user
        )
        run = PlanRun.objects.create(
            programme=programme,
            case_name=case.name[:200],
            synthetic=case.synthetic,
            source=Path(source).name[:200],
            case_text=text,
            requested_by=user,
            job=job,
        )
        job.params = {"run": run.pk, "case": run.case_name}
        job.save(update_fields=["params"])
    return start(job)


def execute(run: PlanRun, progress: Callable[[str], None]) -> None:
    """Plan the run's case and store the plan; a bad case or a failed plan raises
    (PLAN_FAILURES) and leaves the run without a result."""
    progress("reading the case")
    case = read_case_text(run.case_text, run.source)
    result = plan(case, progress)
    progress("storing the plan")
    run.result = to_json(result)
    run.finished = timezone.now()
    run.save(update_fields=["result", "finished"])
