"""The programme, its meetings, agendas and narrative sections."""

from __future__ import annotations

import re
import secrets
from pathlib import PurePosixPath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from steerco.core.calendar import WorkingCalendar, calendar_for
from steerco.core.choices import AgendaType, Attendance, Classification, MeetingKind, MeetingState
from steerco.core.history import history
from steerco.core.validators import validate_cadence


class Register(models.Model):
    """Fields every register record carries: its classification and its history."""

    classification = models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.PROGRAMME
    )

    class Meta:
        abstract = True


def logo_path(instance: Programme, filename: str) -> str:
    """logos/<programme>/<random>/logo.<format>: the name is steerco's, never the upload's,
    and a replaced logo never reuses a path a cached page may still show."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"logos/{instance.pk}/{secrets.token_hex(8)}/logo{suffix}"


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
    # Uploaded on the programme's set-up page only (checked by steerco.core.images), never
    # taken from a loaded file or the API: a path from a spreadsheet could name any file.
    logo = models.FileField(upload_to=logo_path, max_length=300, blank=True, editable=False)
    history = history()

    NATURAL_KEY = "code"

    def __str__(self) -> str:
        return self.name

    def working_calendar(self) -> WorkingCalendar:
        """The programme's working days: its region's bank holidays (a shared calendar)."""
        return calendar_for(self.calendar_country, self.calendar_subdivision or None)


class Body(Register):
    """A governance body (PSG, TMAG, DAG, CCAG, or any a programme defines): when it meets,
    who sits on it, how many make it quorate and which sections its pack holds."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="bodies")
    code = models.CharField(max_length=20, help_text="For example PSG.")
    name = models.CharField(max_length=200, blank=True)
    cadence = models.CharField(
        max_length=200,
        blank=True,
        validators=[validate_cadence],
        help_text=(
            "When it meets, as an iCalendar RRULE: FREQ=MONTHLY;BYDAY=+1WE is the first "
            "Wednesday of each month. Empty: it meets when called."
        ),
    )
    start_time = models.TimeField(null=True, blank=True, help_text="Its usual start.")
    end_time = models.TimeField(null=True, blank=True, help_text="Its usual end.")
    location = models.CharField(max_length=200, blank=True)
    quorum = models.PositiveIntegerField(
        null=True, blank=True, help_text="Members present for a quorate meeting; empty: unknown."
    )
    sections = models.JSONField(
        default=list,
        blank=True,
        help_text="The pack sections its meetings' packs hold, in order; empty: every section.",
    )
    history = history()

    NATURAL_KEY = "code"

    class Meta:
        ordering = ["programme", "code"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="body_code_unique")
        ]

    def __str__(self) -> str:
        return self.code


class BodyMember(Register):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    ACCESS_PARENT = "body"  # seen with its body: accounts.access
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    represents = models.CharField(
        max_length=200, blank=True, help_text="The organisation or constituency it speaks for."
    )
    role = models.CharField(max_length=100, blank=True, help_text="For example Chair.")
    history = history()

    class Meta:
        ordering = ["body", "order", "id"]

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
    state = models.CharField(max_length=20, choices=MeetingState.choices, default=MeetingState.OPEN)
    cutoff = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "The instant the meeting's pack is built from; registers are read as of it. Set "
            "when the PMO freezes the meeting; empty while it is open."
        ),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    history = history()

    NATURAL_KEY = "code"

    class Meta:
        ordering = ["date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="meeting_code_unique")
        ]

    def __str__(self) -> str:
        return self.code

    def clean(self) -> None:
        """An open meeting has no cut-off yet; every later state has one."""
        if self.state == MeetingState.OPEN and self.cutoff is not None:
            raise ValidationError(
                {"cutoff": "an open meeting has none yet: give its state, or leave it out"}
            )
        if self.state != MeetingState.OPEN and self.cutoff is None:
            raise ValidationError({"state": f"a {self.state} meeting needs its cut-off"})


def in_preparation(programme_id: int) -> Meeting | None:
    """The meeting whose pack is being prepared: the earliest regular meeting not yet
    published (open, or frozen and still to be frozen again before publication). What a
    value stated now is stated for."""
    return (
        Meeting.objects.filter(
            programme_id=programme_id,
            kind=MeetingKind.REGULAR,
            state__in=(MeetingState.OPEN, MeetingState.FROZEN),
        )
        .order_by("date", "code")
        .first()
    )


_UNREAD = object()  # a field the record was read without (deferred)


class Stated(Register):
    """A record holding values as a pack states them — a movement, a count, a total, a
    band, a readiness (``STATED_FIELDS``) — and the meeting whose pack states them.

    A stated value is compared with what steerco derives, and printed, only at the meeting
    it was stated for; every other meeting derives its own (`steerco.rules.derived`).
    Whatever path writes the record (load, import, API, web), stating a value again without
    naming its meeting states it for the meeting being prepared, and blanks the record's
    other stated values, which were stated for an earlier meeting (history keeps them
    there); blanking every stated value leaves the record stated for no meeting. The loader
    names the meeting: the example's own, or the earlier meeting a stated history entry is
    for.
    """

    stated_for = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The meeting whose pack states this record's stated values.",
    )

    STATED_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._restate()
        super().save(*args, **kwargs)
        self._stated_read = self._statement()

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> Any:
        instance = super().from_db(db, field_names, values)
        instance._stated_read = instance._statement()
        return instance

    @classmethod
    def unstated(cls, row: dict[str, Any]) -> dict[str, Any]:
        """What a row read at another meeting than its values' shows in their place:
        blanks (unknown), so that the meeting derives its own."""
        return {
            name: "" if isinstance(cls._meta.get_field(name), models.CharField) else None
            for name in cls.STATED_FIELDS
        }

    def _statement(self) -> tuple[Any, ...]:
        return tuple(
            self.__dict__.get(name, _UNREAD) for name in (*self.STATED_FIELDS, "stated_for_id")
        )

    def _restate(self) -> None:
        now = self._statement()
        if _UNREAD in now:
            return  # saved without reading its stated values: they are not changed
        if all(value in (None, "") for value in now[:-1]):
            self.stated_for = None
            return
        read = getattr(self, "_stated_read", None)
        restated = read is None or read[:-1] != now[:-1]
        named = now[-1] is not None and (read is None or read[-1] != now[-1])
        if not restated or named:
            return
        meeting = in_preparation(self.programme_id)  # type: ignore[attr-defined]
        if read is not None and meeting is not None and meeting.pk != read[-1]:
            # The record's values are now stated for another meeting: those not stated
            # again were its earlier meeting's (history keeps them there), not this one's.
            blanks = self.unstated(self.__dict__)
            for name, old, new in zip(self.STATED_FIELDS, read, now, strict=False):
                if old == new:
                    setattr(self, name, blanks[name])
        self.stated_for = meeting


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
    minutes = models.TextField(blank=True, help_text="What the meeting said on it (Markdown).")
    history = history()

    class Meta:
        ordering = ["meeting", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


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


class Attendee(Register):
    """Who attended a held meeting, or sent apologies."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    ACCESS_PARENT = "meeting"  # seen with its meeting: accounts.access
    order = models.PositiveIntegerField(default=0)
    name = models.CharField(max_length=200)
    represents = models.CharField(max_length=200, blank=True)
    member = models.BooleanField(default=True, help_text="A member of the body (counts to quorum).")
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.PRESENT
    )
    history = history()

    class Meta:
        ordering = ["meeting", "order", "id"]

    def __str__(self) -> str:
        return self.name


def paper_path(instance: Paper, filename: str) -> str:
    """papers/<programme>/<meeting>/<random>/<the file's own name, made safe>: the random
    folder keeps two papers of one name apart and makes a path impossible to guess."""
    meeting = instance.meeting
    base = PurePosixPath(filename.replace("\\", "/")).name
    safe = re.sub(r"[^\w.\- ]", "_", base).strip(" .")[:120] or "paper"
    code = re.sub(r"[^\w.\-]", "_", meeting.code)
    return f"papers/{meeting.programme_id}/{code}/{secrets.token_hex(8)}/{safe}"


class Paper(Register):
    """A paper for a meeting, kept as a file under MEDIA_ROOT and only ever served through
    a view that checks its reader may see it (web.views.meeting_papers).

    Not a child of the meetings register in steerco.registers, on purpose: the loader,
    importer and API take every field a register's rows carry, and a file path taken from a
    spreadsheet could point a widely classified paper at a confidential paper's file. Papers
    come in only through the upload page; backups keep their rows and files (ops.backup)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    ACCESS_PARENT = "meeting"  # seen with its meeting: accounts.access
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=paper_path, max_length=300)
    uploaded_at = models.DateTimeField(default=timezone.now)
    history = history()

    class Meta:
        ordering = ["meeting", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def filename(self) -> str:
        return PurePosixPath(self.file.name).name
