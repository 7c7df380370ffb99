"""Plan runs for the web and pack tests: the bundled example cases planned once per worker
and stored as finished runs."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.utils import timezone

from steerco.core.models import Programme
from steerco.planning.cases import read_case
from steerco.planning.models import PlanRun
from steerco.planning.planner import plan
from steerco.planning.report import to_json
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples" / "migration"
TINY = EXAMPLES / "tiny.yaml"
SAMPLE = EXAMPLES / "gb-synthetic" / "sample.yaml"


@cache
def _planned(path: str) -> dict[str, Any]:
    return to_json(plan(read_case(EXAMPLES / path)))


def result_of(path: str) -> dict[str, Any]:
    """`to_json` of a bundled case (``tiny.yaml``, ``gb-synthetic/sample.yaml``), planned once."""
    return _planned(path)


def finished_run(
    programme: Programme,
    path: str = "tiny.yaml",
    *,
    finished: dt.datetime | None = None,
    case_name: str | None = None,
    requested_by: AbstractUser | None = None,
) -> PlanRun:
    result = result_of(path)
    return PlanRun.objects.create(
        programme=programme,
        case_name=case_name or result["case"],
        synthetic=result["synthetic"],
        source=path.rsplit("/", 1)[-1],
        case_text=(EXAMPLES / path).read_text(encoding="utf-8"),
        finished=finished or timezone.now(),
        result=result,
        requested_by=requested_by,
    )
