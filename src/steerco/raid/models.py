"""The RAID log (risks, assumptions, issues, dependencies) and the action log."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from steerco.core.choices import RAG, ActionStatus, Band, RaidStatus, RaidType
from steerco.core.history import history
from steerco.core.models import Meeting, Programme, Register, Stated

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(30)]


class RaidTheme(Stated):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="raid_themes")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    mitigation_overview = models.TextField(blank=True, help_text="Markdown.")
    rag = models.CharField(max_length=10, choices=RAG.choices, blank=True)
    stated_item_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="The count the pack prints beside the RAG."
    )
    stated_item_noun = models.CharField(max_length=20, blank=True, help_text="Risks, items…")
    updated_to = models.DateField(null=True, blank=True)
    history = history()

    NATURAL_KEY = "number"
    IDENTITY_FIELDS = ("number", "title", "summary")
    STATED_FIELDS = ("stated_item_count",)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Theme {self.number}: {self.title}"


class RaidItem(Stated):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="raid_items")
    ref = models.CharField(max_length=40)
    type = models.CharField(max_length=20, choices=RaidType.choices, default=RaidType.RISK)
    theme = models.ForeignKey(
        RaidTheme, on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    log = models.CharField(
        max_length=60, blank=True, help_text="Which table of the pack lists it (key risks…)."
    )
    description = models.TextField()
    impact = models.TextField(blank=True)
    owner = models.CharField(max_length=200, blank=True)
    initial_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    current_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    target_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_VALIDATORS
    )
    stated_band = models.CharField(
        max_length=10, choices=Band.choices, blank=True, help_text="A band the pack states."
    )
    stated_movement = models.CharField(
        max_length=60, blank=True, help_text="Movement since last meeting as the pack types it."
    )
    status = models.CharField(max_length=10, choices=RaidStatus.choices, default=RaidStatus.OPEN)
    linked_milestones = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = history()

    NATURAL_KEY = "ref"
    IDENTITY_FIELDS = ("ref", "type", "theme", "log", "description", "order")
    STATED_FIELDS = ("stated_band", "stated_movement")

    class Meta:
        ordering = ["theme", "order", "ref"]
        verbose_name = "RAID item"

    def __str__(self) -> str:
        return self.ref


class MitigationStep(Register):
    item = models.ForeignKey(RaidItem, on_delete=models.CASCADE, related_name="mitigations")
    ACCESS_PARENT = "item"  # seen with its item: accounts.access
    order = models.PositiveIntegerField()
    text = models.TextField()
    history = history()

    class Meta:
        ordering = ["item", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class Action(Register):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="actions")
    ref = models.CharField(max_length=40, help_text="Meeting and sequence, for example PSG23-01.")
    raised_at = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions_raised"
    )
    text = models.TextField()
    owners = models.CharField(max_length=300, blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_text = models.CharField(
        max_length=100, blank=True, help_text="What the pack says where the due is not a date."
    )
    status = models.CharField(max_length=20, choices=ActionStatus.choices, blank=True)
    order = models.PositiveIntegerField(default=0)
    history = history()

    NATURAL_KEY = "ref"
    IDENTITY_FIELDS = ("ref", "text", "owners", "order")

    class Meta:
        ordering = ["order", "ref"]

    def __str__(self) -> str:
        return self.ref


class ActionUpdate(Register):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    ACCESS_PARENT = "action"  # seen with its action: accounts.access
    order = models.PositiveIntegerField()
    date = models.DateField(null=True, blank=True)
    text = models.TextField()
    history = history()

    class Meta:
        ordering = ["action", "order"]

    def __str__(self) -> str:
        return self.text[:60]
