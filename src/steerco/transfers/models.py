"""Saved column mappings: how one source's spreadsheets map onto a register."""

from __future__ import annotations

from django.db import models

from steerco.core.history import history
from steerco.core.models import Programme, Register


class ColumnMapping(Register):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="column_mappings"
    )
    name = models.SlugField(max_length=80, help_text="For example acme-raid-log.")
    source = models.CharField(max_length=200, blank=True, help_text="Which tool or party.")
    register = models.CharField(max_length=40)
    spec = models.JSONField(help_text="The mapping (see steerco.io.mapping).")
    history = history()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="column_mapping_unique")
        ]

    def __str__(self) -> str:
        return self.name
