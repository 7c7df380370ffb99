"""Organisations, the market-role catalogue and who takes part in SIT in which role."""

from __future__ import annotations

from django.db import models

from steerco.core.choices import OrganisationKind, ParticipationStatus
from steerco.core.history import history
from steerco.core.models import Programme, Register, Stated


class Organisation(Register):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="organisations")
    name = models.CharField(max_length=200)
    aliases = models.JSONField(
        default=list, blank=True, help_text="Other names the pack uses for this organisation."
    )
    constituency = models.CharField(max_length=200, blank=True)
    kind = models.CharField(
        max_length=30, choices=OrganisationKind.choices, default=OrganisationKind.PARTICIPANT
    )
    ftig_attendee = models.BooleanField(default=False)
    contacts = models.TextField(blank=True, help_text="Named contacts, one per line.")
    history = history()

    NATURAL_KEY = "name"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Constituency(Stated):
    """A row group of the SIT participation table, with its stated count of participants."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="constituencies"
    )
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    stated_participants_confirmed = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of PPs confirmed for SIT (FTIG attendees)."
    )
    history = history()

    NATURAL_KEY = "name"
    STATED_FIELDS = ("stated_participants_confirmed",)

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "constituencies"

    def __str__(self) -> str:
        return self.name


class MarketRole(Stated):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="market_roles")
    constituency = models.ForeignKey(
        Constituency, on_delete=models.CASCADE, related_name="market_roles"
    )
    order = models.PositiveIntegerField()
    name = models.CharField(max_length=200, blank=True)
    mvc_required = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number required for the SIT minimum viable cohort."
    )
    mvc_required_text = models.CharField(
        max_length=40, blank=True, help_text="What the pack says where it gives no number."
    )
    stated_confirmed = models.PositiveIntegerField(
        null=True, blank=True, help_text="Number of market roles confirmed for SIT, as stated."
    )
    stated_confirmed_text = models.CharField(max_length=40, blank=True)
    history = history()

    STATED_FIELDS = ("stated_confirmed", "stated_confirmed_text")

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name or self.constituency.name


class RoleParticipation(Register):
    """One named participant against a market role in the SIT table."""

    market_role = models.ForeignKey(
        MarketRole, on_delete=models.CASCADE, related_name="participants"
    )
    ACCESS_PARENT = "market_role"  # seen with its market role: accounts.access
    order = models.PositiveIntegerField()
    stated_name = models.CharField(max_length=200, help_text="The name as the pack writes it.")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="roles"
    )
    status = models.CharField(
        max_length=20, choices=ParticipationStatus.choices, default=ParticipationStatus.UNKNOWN
    )
    history = history()

    class Meta:
        ordering = ["market_role", "order"]

    def __str__(self) -> str:
        return self.stated_name
