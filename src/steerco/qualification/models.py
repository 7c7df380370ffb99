"""Qualification: tranches, participants' applications, routes and QAD iterations."""

from __future__ import annotations

from django.db import models

from steerco.core.history import history
from steerco.core.models import Programme, Register
from steerco.organisations.models import Organisation


class Tranche(Register):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=100, blank=True)
    window_start = models.DateField(null=True, blank=True)
    window_end = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Maximum size.")
    history = history()

    NATURAL_KEY = "number"

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.name or f"Tranche {self.number}"


class Application(Register):
    """A participant's intention to qualify; its date sets first-come-first-served order."""

    class State(models.TextChoices):
        INTENDED = "intended", "Intention stated"
        ALLOCATED = "allocated", "Allocated"
        CONFIRMED = "confirmed", "Confirmed"
        DROPPED = "dropped", "Dropped out"
        QUALIFIED = "qualified", "Qualified"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="qualification_applications"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="applications"
    )
    intention_date = models.DateField()
    preferred_tranche = models.ForeignKey(
        Tranche, on_delete=models.SET_NULL, null=True, blank=True, related_name="preferred_by"
    )
    group_with_related = models.BooleanField(default=False)
    allocated_tranche = models.ForeignKey(
        Tranche, on_delete=models.SET_NULL, null=True, blank=True, related_name="allocations"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.INTENDED)
    reason = models.TextField(blank=True, help_text="Why the allocation is what it is.")
    history = history()

    class Meta:
        ordering = ["intention_date"]

    def __str__(self) -> str:
        return f"Intended for {self.intention_date:%-d %b %Y}"


class QualificationRoute(Register):
    """A row of the routes table: what a participant on that route must complete."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="qualification_routes"
    )
    order = models.PositiveIntegerField()
    route = models.CharField(max_length=100)
    entry_requirements = models.TextField(blank=True)
    steps = models.JSONField(default=list, blank=True, help_text="MHHS Qualification columns.")
    history = history()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.route


class QadIteration(Register):
    """An iteration of the Qualification Assessment Document and its dependency dates."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="qad_iterations"
    )
    order = models.PositiveIntegerField()
    iteration = models.CharField(max_length=60)
    programme_dependencies = models.TextField(blank=True)
    expected_dependency_stated = models.CharField(max_length=60, blank=True)
    expected_approval_stated = models.CharField(max_length=60, blank=True)
    expected_issue_stated = models.CharField(max_length=60, blank=True)
    history = history()

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.iteration
