"""Enumerations used across registers, each defined once with its label and colour.

Web pages and the pack read label and colour from here; nothing else spells them out.
"""

from __future__ import annotations

from django.db import models


class ColouredChoices(models.TextChoices):
    """TextChoices whose members carry a display colour (hex) beside the label."""

    @classmethod
    def colour(cls, value: str | None) -> str:
        return _COLOURS.get((cls.__name__, value or ""), "#9e9e9e")


_COLOURS: dict[tuple[str, str], str] = {}


def _colours(enum: type[models.TextChoices], colours: dict[str, str]) -> None:
    for value, colour in colours.items():
        _COLOURS[(enum.__name__, value)] = colour


class RAG(ColouredChoices):
    """The pack's RAG scale: Blue = complete, Grey = no longer reported / not started.

    Amber and Yellow both occur in the seed pack (milestones use Yellow, SIT tables Amber);
    they are kept apart so that nothing the pack says is rewritten.
    """

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    YELLOW = "yellow", "Yellow"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    GREY = "grey", "Grey"


_colours(
    RAG,
    {
        "red": "#c62828",
        "amber": "#ef6c00",
        "yellow": "#f9a825",
        "green": "#2e7d32",
        "blue": "#1565c0",
        "grey": "#757575",
    },
)

# Severity order used by derivations that compare RAGs (higher is worse).
RAG_SEVERITY: dict[str, int] = {
    "blue": 0,
    "green": 1,
    "yellow": 2,
    "amber": 3,
    "red": 4,
}


class Band(ColouredChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


_colours(Band, {"critical": "#6a1b9a", "high": "#c62828", "medium": "#ef6c00", "low": "#2e7d32"})


class Classification(ColouredChoices):
    PUBLIC = "public", "Public"
    PROGRAMME = "programme", "Programme"
    CONFIDENTIAL = "confidential", "Participant-confidential"


_colours(Classification, {"public": "#2e7d32", "programme": "#1565c0", "confidential": "#c62828"})


class Tier(models.TextChoices):
    T1 = "T1", "Tier 1"
    T2 = "T2", "Tier 2"
    T3 = "T3", "Tier 3"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "Regular"
    EXTRAORDINARY = "extraordinary", "Extraordinary"


class AgendaType(models.TextChoices):
    NONE = "", "—"
    DECISION = "decision", "Decision"
    INFORMATION = "information", "Information"
    DISCUSSION = "discussion", "Discussion"


class RaidType(models.TextChoices):
    RISK = "risk", "Risk"
    ASSUMPTION = "assumption", "Assumption"
    ISSUE = "issue", "Issue"
    DEPENDENCY = "dependency", "Dependency"
    RISK_OR_ISSUE = "risk_or_issue", "Risk or issue"


class RaidStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ActionStatus(ColouredChoices):
    OPEN = "open", "Open"
    ONGOING = "ongoing", "Ongoing"
    IN_PROGRESS = "in_progress", "In progress"
    RECOMMEND_CLOSED = "recommend_closed", "Recommend closed"
    CLOSED = "closed", "Closed"


_colours(
    ActionStatus,
    {
        "open": "#ef6c00",
        "ongoing": "#f9a825",
        "in_progress": "#f9a825",
        "recommend_closed": "#2e7d32",
        "closed": "#1565c0",
    },
)


class ParticipationStatus(ColouredChoices):
    """SIT participation of an organisation in a market role.

    The seed shows it by text colour (Green = confirmed, Black = TBC); the text copy lost
    the colour, so the example records it as unknown.
    """

    CONFIRMED = "confirmed", "Confirmed"
    TBC = "tbc", "To be confirmed"
    UNKNOWN = "unknown", "Unknown"


_colours(ParticipationStatus, {"confirmed": "#2e7d32", "tbc": "#212121", "unknown": "#9e9e9e"})


class ReportStatus(ColouredChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    PUBLISHED = "published", "Published"


_colours(
    ReportStatus,
    {"draft": "#757575", "submitted": "#1565c0", "returned": "#ef6c00", "published": "#2e7d32"},
)


class CriterionState(ColouredChoices):
    MET = "met", "Met"
    NOT_MET = "not_met", "Not met"
    UNKNOWN = "unknown", "Unknown"


_colours(CriterionState, {"met": "#2e7d32", "not_met": "#c62828", "unknown": "#9e9e9e"})


class OrganisationKind(models.TextChoices):
    CORE_PROVIDER = "core_provider", "Core capability provider"
    PARTICIPANT = "participant", "Programme participant"
    CODE_BODY = "code_body", "Code body"
    SPONSOR = "sponsor", "Sponsor"
    ASSURANCE = "assurance", "Assurance provider"
    SYSTEM_INTEGRATOR = "system_integrator", "System integrator"
    PROGRAMME = "programme", "Programme"
    SERVICE_PROVIDER = "service_provider", "Managed service provider"
    OTHER = "other", "Other"


class Confidence(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
