"""A background job as people see it: what was asked, by whom, and how far it has got.

The queue itself is django-tasks' database backend (a table in the same database, worked
by `steerco db_worker`); this record carries the progress the web pages show.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steerco.core.models import Programme


class Job(models.Model):
    class Kind(models.TextChoices):
        PACK = "pack", "Build a meeting's pack"
        PLAN = "plan", "Run a migration plan"
        IMPORT = "import", "Import a spreadsheet"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="jobs"
    )
    created = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
