"""Participants' monthly delivery reports and the SIT status tables built from them."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from steerco.core.choices import RAG, Confidence, RaidType, ReportStatus
from steerco.core.history import history
from steerco.core.models import Meeting, Programme, Register
from steerco.organisations.models import Organisation
from steerco.reports.dimensions import DIMENSIONS


def _rag(help_text: str = "") -> models.CharField[str, str]:
    return models.CharField(max_length=10, choices=RAG.choices, blank=True, help_text=help_text)


def validate_dimensions(value: object) -> None:
    if not isinstance(value, list) or not set(value) <= set(DIMENSIONS):
        raise ValidationError(f"a list of dimensions among {', '.join(DIMENSIONS)}")


class DeliveryReport(Register):
    """One organisation's monthly delivery report. A blank RAG is unknown, not green."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="delivery_reports"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reports")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, blank=True, help_text="core provider, LDSO…")
    report_date = models.DateField(null=True, blank=True)
    report_date_stated = models.CharField(max_length=40, blank=True)
    status = models.CharField(
        max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    overall_rag = _rag()
    approach_rag = _rag()
    plan_rag = _rag()
    resources_rag = _rag()
    budget_rag = _rag()
    risk_rag = _rag()
    stakeholders_rag = _rag()
    suppliers_rag = _rag()
    rated = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_dimensions],
        help_text="The dimensions the report's RAG row rates, in its order; empty: all seven.",
    )
    progress_last_month = models.TextField(blank=True, help_text="Markdown.")
    progress_next_month = models.TextField(blank=True, help_text="Markdown.")
    notes = models.TextField(blank=True, help_text="Other content of the report, Markdown.")
    order = models.PositiveIntegerField(default=0)
    history = history()

    NATURAL_KEY = "title"

    class Meta:
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.title


class ReportMilestone(Register):
    report = models.ForeignKey(DeliveryReport, on_delete=models.CASCADE, related_name="milestones")
    ACCESS_PARENT = "report"  # seen with its report: accounts.access
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=300)
    baseline_date = models.DateField(null=True, blank=True)
    baseline_stated = models.CharField(max_length=60, blank=True)
    forecast_date = models.DateField(null=True, blank=True)
    forecast_stated = models.CharField(max_length=60, blank=True)
    rag = _rag()
    confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    comment = models.TextField(blank=True)
    history = history()

    class Meta:
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.name


class ReportRaidEntry(Register):
    report = models.ForeignKey(DeliveryReport, on_delete=models.CASCADE, related_name="raid")
    ACCESS_PARENT = "report"  # seen with its report: accounts.access
    order = models.PositiveIntegerField()
    type = models.CharField(max_length=20, choices=RaidType.choices)
    description = models.TextField()
    impact = models.TextField(blank=True)
    action = models.TextField(blank=True, help_text="Mitigating, resolving or managing action.")
    owner = models.CharField(max_length=200, blank=True)
    due_stated = models.CharField(max_length=60, blank=True)
    impact_date_stated = models.CharField(max_length=60, blank=True)
    rag = _rag()
    history = history()

    class Meta:
        ordering = ["report", "order"]
        verbose_name_plural = "report RAID entries"

    def __str__(self) -> str:
        return self.description[:60]


class ReportDecision(Register):
    class Direction(models.TextChoices):
        REQUIRED = "required", "Required from others"
        OWN = "own", "To be made by the party"

    report = models.ForeignKey(DeliveryReport, on_delete=models.CASCADE, related_name="decisions")
    ACCESS_PARENT = "report"  # seen with its report: accounts.access
    order = models.PositiveIntegerField()
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.REQUIRED
    )
    description = models.TextField()
    from_whom = models.CharField(max_length=200, blank=True)
    impact = models.TextField(blank=True)
    by_when_stated = models.CharField(max_length=60, blank=True)
    history = history()

    class Meta:
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.description[:60]


class ReportEscalation(Register):
    report = models.ForeignKey(DeliveryReport, on_delete=models.CASCADE, related_name="escalations")
    ACCESS_PARENT = "report"  # seen with its report: accounts.access
    order = models.PositiveIntegerField()
    text = models.TextField()
    by_when_stated = models.CharField(max_length=60, blank=True)
    history = history()

    class Meta:
        ordering = ["report", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class SitAreaStatus(Register):
    """A row of the SIT readiness table: one test area (CIT, Functional…)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sit_areas")
    order = models.PositiveIntegerField()
    area = models.CharField(max_length=100)
    rag = _rag()
    comment = models.TextField(blank=True, help_text="Markdown.")
    history = history()

    NATURAL_KEY = "area"

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "SIT area statuses"

    def __str__(self) -> str:
        return self.area


class ProviderStatus(Register):
    """A row of a core capability provider status table, as printed on one slide."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="provider_statuses"
    )
    table = models.CharField(max_length=60, help_text="Which slide's table: sit-readiness…")
    order = models.PositiveIntegerField()
    stated_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="statuses"
    )
    rag = _rag()
    comment = models.TextField(blank=True)
    updated_to = models.DateField(null=True, blank=True)
    history = history()

    class Meta:
        ordering = ["table", "order"]
        verbose_name_plural = "provider statuses"

    def __str__(self) -> str:
        return self.stated_name
