"""What the participant portal adds to the registers: the PMO's review comments on a
delivery report, RAID items raised through the input form and their triage, readiness
assessment questionnaires and answers, and the late-return reminders sent.

Every model is a Register with history, so who wrote what, when and why is kept whatever
path made the change. Records that belong to one organisation are participant-confidential:
the access module then shows them only to the PMO, admins and that organisation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from steerco.core.choices import RAG, Classification, RaidType
from steerco.core.history import history
from steerco.core.models import Meeting, Programme, Register
from steerco.organisations.models import Organisation
from steerco.raid.models import RaidItem
from steerco.reports.models import DeliveryReport
from steerco.trackers.models import ReadinessRound


def _confidential() -> models.CharField[str, str]:
    """Records of one organisation: the PMO, admins and that organisation only."""
    return models.CharField(
        max_length=20, choices=Classification.choices, default=Classification.CONFIDENTIAL
    )


class ReportComment(Register):
    """A PMO comment on a delivery report: returned with, or noted on publishing."""

    classification = _confidential()
    # The report comes first: the access module follows the first cascading key to the
    # record a child belongs to, so a comment is visible exactly where its report is.
    report = models.ForeignKey(DeliveryReport, on_delete=models.CASCADE, related_name="comments")
    ACCESS_PARENT = "report"  # seen with its report: accounts.access
    author = models.CharField(max_length=150)
    text = models.TextField()
    status_after = models.CharField(max_length=20, help_text="The report's status it came with.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = history()

    class Meta:
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Triage(models.TextChoices):
    PENDING = "pending", "Awaiting triage"
    ACCEPTED = "accepted", "Accepted into the RAID log"
    MERGED = "merged", "Merged into an existing item"
    DECLINED = "declined", "Declined"


class RaidSubmission(Register):
    """A risk, issue, assumption or dependency raised through the input form."""

    classification = _confidential()
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="raid_submissions"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raid_submissions",
        help_text="The raiser's organisation (participant contacts only).",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="raid_submissions",
    )
    raised_by_name = models.CharField(max_length=150)
    raised_at = models.DateTimeField(auto_now_add=True)
    type = models.CharField(max_length=20, choices=RaidType.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    impact = models.TextField(blank=True)
    proposed_owner = models.CharField(max_length=200, blank=True)
    proposed_action = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Triage.choices, default=Triage.PENDING)
    outcome_reason = models.TextField(blank=True, help_text="Shown to the raiser.")
    item = models.ForeignKey(
        RaidItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submissions",
        help_text="The RAID item it became or was merged into.",
    )
    decided_by = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = history()

    class Meta:
        ordering = ["-raised_at", "-id"]
        # The triage list: a programme's submissions by status.
        indexes = [models.Index(fields=["programme", "status"], name="portal_sub_triage")]

    def __str__(self) -> str:
        return self.title


class AssessmentQuestion(Register):
    """A question of a readiness-assessment round's questionnaire."""

    round = models.ForeignKey(ReadinessRound, on_delete=models.CASCADE, related_name="questions")
    ACCESS_PARENT = "round"  # seen with its round: accounts.access
    order = models.PositiveIntegerField()
    text = models.TextField()
    asks_rag = models.BooleanField(default=True, help_text="Asks for a self-assessed RAG.")
    history = history()

    class Meta:
        ordering = ["round", "order"]

    def __str__(self) -> str:
        return self.text[:60]


class AssessmentResponse(Register):
    """One organisation's answers to a round; the PMO may pick it for a deep dive."""

    classification = _confidential()
    round = models.ForeignKey(ReadinessRound, on_delete=models.CASCADE, related_name="responses")
    ACCESS_PARENT = "round"  # seen with its round: accounts.access
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assessment_responses"
    )
    submitted_by = models.CharField(max_length=150)
    submitted_at = models.DateTimeField(auto_now=True)
    deep_dive = models.BooleanField(default=False)
    deep_dive_reason = models.TextField(blank=True)
    history = history()

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organisation"], name="portal_one_response_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.organisation_id}"


class AssessmentAnswer(Register):
    classification = _confidential()
    response = models.ForeignKey(
        AssessmentResponse, on_delete=models.CASCADE, related_name="answers"
    )
    ACCESS_PARENT = "response"  # seen with its response: accounts.access
    question = models.ForeignKey(
        AssessmentQuestion, on_delete=models.CASCADE, related_name="answers"
    )
    rag = models.CharField(max_length=10, choices=RAG.choices, blank=True)
    text = models.TextField(blank=True)
    history = history()

    class Meta:
        ordering = ["response", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Reminder(Register):
    """A late-return reminder the PMO sent to an organisation's contacts."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="reminders")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="reminders"
    )
    sent_by = models.CharField(max_length=150)
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.TextField(help_text="The addresses written to, one per line.")
    history = history()

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.sent_at:%Y-%m-%d}"
