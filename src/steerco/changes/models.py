"""Change requests moving through change control."""

from __future__ import annotations

from django.db import models

from steerco.core.history import history
from steerco.core.models import Programme, Register


class ChangeRequest(Register):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="change_requests"
    )
    ref = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    raisers = models.CharField(max_length=300, blank=True)
    change_type = models.CharField(max_length=60, blank=True)
    latest_action = models.CharField(max_length=200, blank=True)
    latest_action_date = models.DateField(null=True, blank=True)
    approval_status = models.CharField(max_length=40, blank=True)
    stage = models.CharField(
        max_length=100, blank=True, help_text="Current stage in change control."
    )
    action_if_approved = models.CharField(max_length=300, blank=True)
    implementation = models.CharField(
        max_length=100, blank=True, help_text="Implementation date or milestone as stated."
    )
    change_owner = models.CharField(max_length=200, blank=True)
    updated_to = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = history()

    NATURAL_KEY = "ref"
    IDENTITY_FIELDS = ("ref", "title", "order")

    class Meta:
        ordering = ["order", "ref"]

    def __str__(self) -> str:
        return self.ref
