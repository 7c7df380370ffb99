"""Milestones, the decision choreography (gates and criteria), decisions and timetables."""

from __future__ import annotations

from django.db import models

from steerco.core.choices import RAG, CriterionState, Tier
from steerco.core.history import history
from steerco.core.models import Meeting, Programme, Register, Stated


class Milestone(Register):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    code = models.CharField(max_length=40, help_text="T1-TE-1000: tier, workstream, number.")
    tier = models.CharField(max_length=2, choices=Tier.choices, blank=True)
    workstream = models.CharField(max_length=10, blank=True)
    title = models.TextField()
    governing_body = models.CharField(max_length=20, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    forecast_date = models.DateField(null=True, blank=True)
    actual_date = models.DateField(null=True, blank=True)
    rag = models.CharField(max_length=10, choices=RAG.choices, blank=True)
    forecast_rag = models.CharField(
        max_length=10, choices=RAG.choices, blank=True, help_text="RAG forecast for next meeting."
    )
    commentary = models.TextField(blank=True)
    reporting_table = models.CharField(max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = history()

    NATURAL_KEY = "code"
    IDENTITY_FIELDS = ("code", "tier", "workstream", "title", "governing_body", "order")

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.code


class MilestoneDependency(Register):
    """A predecessor link, by code, so that a link to a missing milestone is kept and found."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="predecessors")
    ACCESS_PARENT = "milestone"  # seen with its milestone: accounts.access
    predecessor_code = models.CharField(max_length=40)
    note = models.CharField(max_length=200, blank=True)
    history = history()

    def __str__(self) -> str:
        return f"after {self.predecessor_code}"


class Gate(Stated):
    """The approval criteria of a milestone: ready only when every criterion is met."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="gates")
    milestone_code = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    governing_body = models.CharField(max_length=20, blank=True)
    stated_ready = models.BooleanField(
        null=True,
        blank=True,
        help_text="Whether the pack shows the gate as ready (unknown: blank).",
    )
    note = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    history = history()

    NATURAL_KEY = "milestone_code"
    STATED_FIELDS = ("stated_ready",)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.title


class GateCriterion(Register):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", "Milestone"
        DECISION = "decision", "Decision"
        REPORT = "report", "Report"
        RECOMMENDATION = "recommendation", "Recommendation"
        CONDITION = "condition", "Condition"

    gate = models.ForeignKey(Gate, on_delete=models.CASCADE, related_name="criteria")
    ACCESS_PARENT = "gate"  # seen with its gate: accounts.access
    order = models.PositiveIntegerField()
    group = models.CharField(max_length=40, blank=True, help_text="For example SI or PPs.")
    text = models.TextField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONDITION)
    target_code = models.CharField(
        max_length=40, blank=True, help_text="The milestone (or other record) it points at."
    )
    state = models.CharField(
        max_length=10, choices=CriterionState.choices, default=CriterionState.UNKNOWN
    )
    history = history()

    class Meta:
        ordering = ["gate", "order"]
        verbose_name_plural = "gate criteria"

    def __str__(self) -> str:
        return self.text[:60]


class Decision(Register):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="decisions")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    ref = models.CharField(max_length=40)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    decided_by = models.CharField(max_length=100, blank=True)
    outcome = models.CharField(max_length=200, blank=True)
    history = history()

    NATURAL_KEY = "ref"

    def __str__(self) -> str:
        return self.ref


class DecisionOption(Register):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="options")
    ACCESS_PARENT = "decision"  # seen with its decision: accounts.access
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    meaning = models.TextField(blank=True)
    implications = models.TextField(blank=True)
    history = history()

    class Meta:
        ordering = ["decision", "order"]

    def __str__(self) -> str:
        return self.name


class Timetable(Register):
    """A grid of activities × intervals whose cells are dates bound by stated rules."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="timetables")
    code = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True, help_text="Footnotes under the grid, Markdown.")
    history = history()

    NATURAL_KEY = "code"

    def __str__(self) -> str:
        return self.title


class TimetableInterval(Register):
    timetable = models.ForeignKey(Timetable, on_delete=models.CASCADE, related_name="intervals")
    ACCESS_PARENT = "timetable"  # seen with its timetable: accounts.access
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    history = history()

    class Meta:
        ordering = ["timetable", "order"]

    def __str__(self) -> str:
        return self.name


class TimetableActivity(Register):
    timetable = models.ForeignKey(Timetable, on_delete=models.CASCADE, related_name="activities")
    ACCESS_PARENT = "timetable"  # seen with its timetable: accounts.access
    order = models.PositiveIntegerField()
    key = models.SlugField(max_length=60, help_text="Short name that rules refer to.")
    name = models.TextField()
    rule_text = models.TextField(blank=True, help_text="The rule as the pack's Notes state it.")
    rules = models.JSONField(
        default=list,
        blank=True,
        help_text="The stated rule as data: relations to other activities in the same interval.",
    )
    history = history()

    class Meta:
        ordering = ["timetable", "order"]
        verbose_name_plural = "timetable activities"

    def __str__(self) -> str:
        return self.name[:60]


class TimetableCell(Register):
    activity = models.ForeignKey(TimetableActivity, on_delete=models.CASCADE, related_name="cells")
    ACCESS_PARENT = "activity"  # seen with its activity: accounts.access
    interval = models.ForeignKey(TimetableInterval, on_delete=models.RESTRICT, related_name="cells")
    date = models.DateField(null=True, blank=True)
    stated = models.CharField(max_length=100, help_text="The cell's text as the pack prints it.")
    history = history()

    class Meta:
        ordering = ["activity", "interval"]

    def __str__(self) -> str:
        return self.stated
