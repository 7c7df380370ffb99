"""The smaller trackers of the pack: code drafting, workstreams, horizon scanning, assurance,
readiness-assessment rounds, and stated counts (DIN log, assurance actions, webinars…)."""

from __future__ import annotations

from typing import Any

from django.db import models

from steerco.core.history import history
from steerco.core.models import Programme, Register, Stated


class CodeDraftingMilestone(Register):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="code_drafting_milestones"
    )
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    target_date = models.DateField(null=True, blank=True)
    target_stated = models.CharField(max_length=40, blank=True)
    forecast_date = models.DateField(null=True, blank=True)
    forecast_stated = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=40, blank=True, help_text="Complete, or a RAG word.")
    history = history()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class WorkstreamUpdate(Register):
    """A row of the SI workstream update: progress, and the next step with owner and date."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="workstream_updates"
    )
    order = models.PositiveIntegerField()
    workstream = models.CharField(max_length=60)
    progress = models.TextField(blank=True, help_text="Markdown.")
    next_steps = models.JSONField(
        default=list, blank=True, help_text="List of {what, owner, by_when} as stated."
    )
    history = history()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.workstream


class HorizonItem(Register):
    """An industry change monitored through horizon scanning, with its linked RAID refs."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="horizon_items")
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=40)
    title = models.CharField(max_length=200, blank=True)
    criticality = models.CharField(max_length=30, blank=True)
    linked_raid = models.JSONField(default=list, blank=True)
    history = history()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.code


class TrackerMetric(Stated):
    """A count the pack states, grouped so that parts and totals can be checked.

    ``group`` names a set of parts; a metric whose ``part_of`` names a group is that group's
    stated total. Blank value: unknown.
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="tracker_metrics"
    )
    tracker = models.CharField(max_length=60, help_text="horizon-scanning, assurance, design…")
    group = models.CharField(max_length=60, blank=True)
    order = models.PositiveIntegerField()
    label = models.CharField(max_length=200)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    stated = models.CharField(max_length=100, blank=True)
    approximate = models.BooleanField(default=False, help_text="The pack says about / ~.")
    total_of = models.CharField(
        max_length=60, blank=True, help_text="The group this metric is the stated total of."
    )
    history = history()

    STATED_FIELDS = ("stated",)

    class Meta:
        ordering = ["tracker", "order"]

    @classmethod
    def unstated(cls, row: dict[str, Any]) -> dict[str, Any]:
        """A stated total is a statement as a whole: its value too."""
        blanks = super().unstated(row)
        if row["total_of"]:
            blanks["value"] = None
        return blanks

    def __str__(self) -> str:
        return f"{self.label}: {self.stated}"


class AssuranceActivity(Register):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="assurance_activities"
    )
    order = models.PositiveIntegerField()
    stage = models.CharField(max_length=60, help_text="Theme-based, stage-based, upcoming.")
    work_package = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=40, blank=True)
    text = models.TextField(blank=True)
    history = history()

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "assurance activities"

    def __str__(self) -> str:
        return self.title


class ReadinessRound(Register):
    """A readiness-assessment round (RA3): questionnaire window and deep-dive window."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="readiness_rounds"
    )
    code = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    opens = models.DateField(null=True, blank=True)
    closes = models.DateField(null=True, blank=True)
    deep_dives_from = models.DateField(null=True, blank=True)
    deep_dives_to = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    history = history()

    NATURAL_KEY = "code"

    def __str__(self) -> str:
        return self.code
