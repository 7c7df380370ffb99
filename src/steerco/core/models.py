"""The programme, its meetings, agendas and narrative sections."""

from __future__ import annotations

from django.db import models

from steerco.core.choices import AgendaType, Classification, MeetingKind
from steerco.core.history import history


class Register(models.Model):
    """Fields every register record carries: its classification and its history."""

    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.PROGRAMME
    )

    class Meta:
        abstract = True


class Programme(Register):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Region of the bank-holiday calendar its working-day rules use (holidays' subdivision).
    calendar_country = models.CharField(max_length=8, default="GB")
    calendar_subdivision = models.CharField(max_length=8, default="ENG")
    current_meeting_code = models.CharField(max_length=40, blank=True)
    rules_config = models.JSONField(
        default=dict,
        blank=True,
        help_text="Rule settings: band_cutoffs, rag_tolerances (see steerco.rules.config).",
    )
    synthetic = models.BooleanField(
        default=False, help_text="True for generated data that stands for no real programme."
    )
    history = history()

    NATURAL_KEY = "code"

    def __str__(self) -> str:
        return self.name


class Meeting(Register):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="meetings")
    code = models.CharField(max_length=40, help_text="For example PSG-24.")
    body = models.CharField(max_length=20, help_text="Governing body, for example PSG.")
    number = models.PositiveIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    title = models.CharField(max_length=200, blank=True)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    cutoff = models.DateTimeField(
        help_text="The instant the meeting's pack is built from; registers are read as of it."
    )
    history = history()

    NATURAL_KEY = "code"

    class Meta:
        ordering = ["date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="meeting_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class AgendaItem(Register):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    ACCESS_PARENT = "meeting"  # seen with its meeting: accounts.access
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    objective = models.TextField(blank=True)
    sub_items = models.TextField(blank=True, help_text="Bullet points listed under the item.")
    type = models.CharField(max_length=20, choices=AgendaType.choices, blank=True)
    lead = models.CharField(max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    stated_start = models.TimeField(null=True, blank=True)
    stated_end = models.TimeField(null=True, blank=True)
    page = models.PositiveIntegerField(null=True, blank=True)
    slide_type = models.CharField(
        max_length=20, choices=AgendaType.choices, blank=True, help_text="As its own slide says."
    )
    slide_duration_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="The duration the item's own slide states."
    )
    standing = models.BooleanField(default=False, help_text="A standing item of every meeting.")
    history = history()

    class Meta:
        ordering = ["meeting", "number"]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.number} {self.title}"


class NarrativeSection(Register):
    """A slide of prose in the pack, held as Markdown."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sections")
    ACCESS_PARENT = "meeting"  # seen with its meeting: accounts.access
    order = models.PositiveIntegerField()
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown.")
    history = history()

    class Meta:
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.title
