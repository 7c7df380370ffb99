"""A stored plan run: the case as it was given, who asked, and the plan as `steerco plan
--format json` gives it. Runs are never edited, so they carry no history of their own: a
new case is a new run, and the pack reads the latest run finished by a meeting's cut-off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models

from steerco.core.models import Programme


class PlanRunQuerySet(models.QuerySet["PlanRun"]):
    def finished(self, by: dt.datetime | None = None) -> PlanRunQuerySet:
        """Runs with a result, newest first; with ``by``, those finished at or before it."""
        runs = self.filter(finished__isnull=False, result__isnull=False)
        if by is not None:
            runs = runs.filter(finished__lte=by)
        return runs.order_by("-finished", "-pk")


class PlanRun(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="plan_runs")
    case_name = models.CharField(max_length=200)
    synthetic = models.BooleanField(default=False)
    source = models.CharField(max_length=200, help_text="the file the case came from")
    case_text = models.TextField(help_text="the case file as uploaded or picked")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="plan_runs"
    )
    job = models.ForeignKey(
        "jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="plan_runs"
    )
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)  # null until the plan is stored
    result = models.JSONField(null=True, blank=True)  # steerco.planning.report.to_json

    objects = PlanRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        indexes = [
            # The planning page and the pack: a programme's latest run finished by a time.
            models.Index(fields=["programme", "finished"], name="planrun_programme_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.case_name} (run {self.pk})"

    @property
    def plan(self) -> dict[str, Any]:
        """The stored result ({} until the run has finished)."""
        return self.result or {}
