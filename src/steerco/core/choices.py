"""Enumerations used across registers, each member defined once with its label and colour.

Web pages and the pack read label and colour from here; nothing else spells them out. RAG
and the risk bands have colours of their own; every other coloured set (workflow states,
classifications) takes its colours from ``steerco.core.colours``' non-RAG palette, so that a
colour means one thing. A
coloured enumeration writes each member as ``value, label, colour`` (as netbox's choice
sets do), so a member without its colour, or a colour that is not ``#rrggbb``, stops the
import instead of falling back to grey.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any, cast

from django.db import models
from django.db.models.enums import ChoicesType

from steerco.core import colours

if TYPE_CHECKING:  # django-stubs type TextChoices by a metaclass that exists only there
    from django.db.models.enums import _TextChoicesType as _TextChoicesBase
else:
    _TextChoicesBase = ChoicesType

UNKNOWN_COLOUR = "#9e9e9e"  # what a value outside its enumeration is drawn in
_HEX = re.compile(r"#[0-9a-f]{6}")


class ColouredChoicesType(_TextChoicesBase):
    """Django's choices metaclass, reading ``value, label, colour`` members.

    Django takes the last element of a member's tuple as its label, so the colour is taken
    off first and put back on the member once the enumeration exists.
    """

    def __new__(
        metacls, classname: str, bases: tuple[type, ...], classdict: Any, **kwds: Any
    ) -> ColouredChoicesType:
        colours: dict[str, str] = {}
        for key in classdict._member_names:
            member = classdict[key]
            if not (isinstance(member, tuple) and len(member) == 3 and _HEX.fullmatch(member[2])):
                raise TypeError(
                    f"{classname}.{key} = {member!r}: a coloured choice is written "
                    "value, label, colour (#rrggbb in lower case)"
                )
            colours[key] = member[2]
            dict.__setitem__(classdict, key, member[:2])  # as Django does, past enum's guard
        cls = super().__new__(metacls, classname, bases, classdict, **kwds)
        for key, colour in colours.items():
            cast("ColouredChoices", cls.__members__[key])._colour_ = colour
        return cls


class ColouredChoices(models.TextChoices, metaclass=ColouredChoicesType):
    """TextChoices whose members carry a display colour (hex) beside the label."""

    _colour_: str

    @classmethod
    def colour(cls, value: str | None) -> str:
        """The colour of the member with this value; grey for a value not in the set."""
        try:
            return cls(value or "")._colour_
        except ValueError:
            return UNKNOWN_COLOUR


class RAG(ColouredChoices):
    """The pack's RAG scale: Blue = complete, Grey = no longer reported / not started.

    Amber and Yellow both occur in the seed pack (milestones use Yellow, SIT tables Amber);
    they are kept apart so that nothing the pack says is rewritten.
    """

    RED = "red", "Red", "#c62828"
    AMBER = "amber", "Amber", "#ef6c00"
    YELLOW = "yellow", "Yellow", "#f9a825"
    GREEN = "green", "Green", "#2e7d32"
    BLUE = "blue", "Blue", "#1565c0"
    GREY = "grey", "Grey", "#757575"


# What Blue and Grey say (the other RAGs say it in their word): the RAG key beside RAGs.
RAG_NOTES: dict[str, str] = {
    "blue": "complete",
    "grey": "no longer reported, or not started",
}

# Severity order used by derivations that compare RAGs (higher is worse).
RAG_SEVERITY: dict[str, int] = {
    "blue": 0,
    "green": 1,
    "yellow": 2,
    "amber": 3,
    "red": 4,
}


class Band(ColouredChoices):
    CRITICAL = "critical", "Critical", "#6a1b9a"
    HIGH = "high", "High", "#c62828"
    MEDIUM = "medium", "Medium", "#ef6c00"
    LOW = "low", "Low", "#2e7d32"


class Classification(ColouredChoices):
    PUBLIC = "public", "Public", colours.PALE
    PROGRAMME = "programme", "Programme", colours.SLATE
    CONFIDENTIAL = "confidential", "Participant-confidential", colours.MAGENTA


class Tier(models.TextChoices):
    T1 = "T1", "Tier 1"
    T2 = "T2", "Tier 2"
    T3 = "T3", "Tier 3"


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "Regular"
    EXTRAORDINARY = "extraordinary", "Extraordinary"


class MeetingState(ColouredChoices):
    """A meeting's life: its pack drafted from the live state, frozen at a cut-off,
    published to each audience, held, closed (the next meeting becomes current)."""

    OPEN = "open", "Open", colours.PALE
    FROZEN = "frozen", "Frozen", colours.BROWN
    PUBLISHED = "published", "Published", colours.TEAL
    HELD = "held", "Held", colours.SLATE
    CLOSED = "closed", "Closed", colours.SLATE


# A meeting whose pack has been published to its audiences: it and every later state.
PUBLISHED_MEETING_STATES = frozenset(
    {MeetingState.PUBLISHED, MeetingState.HELD, MeetingState.CLOSED}
)


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


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
    OPEN = "open", "Open", colours.MAGENTA
    ONGOING = "ongoing", "Ongoing", colours.TEAL
    IN_PROGRESS = "in_progress", "In progress", colours.TEAL
    RECOMMEND_CLOSED = "recommend_closed", "Recommend closed", colours.BROWN
    CLOSED = "closed", "Closed", colours.SLATE


class ParticipationStatus(ColouredChoices):
    """SIT participation of an organisation in a market role.

    The seed shows it by text colour (Green = confirmed, Black = TBC); the text copy lost
    the colour, so the example records it as unknown.
    """

    CONFIRMED = "confirmed", "Confirmed", colours.TEAL
    TBC = "tbc", "To be confirmed", colours.PALE
    UNKNOWN = "unknown", "Unknown", colours.PALE


class ReportStatus(ColouredChoices):
    DRAFT = "draft", "Draft", colours.PALE
    SUBMITTED = "submitted", "Submitted", colours.TEAL
    RETURNED = "returned", "Returned", colours.MAGENTA
    PUBLISHED = "published", "Published", colours.SLATE


# A report is received once submitted or published; a returned one is due again.
REPORT_RECEIVED = frozenset({ReportStatus.SUBMITTED.value, ReportStatus.PUBLISHED.value})


class CriterionState(ColouredChoices):
    MET = "met", "Met", "#2e7d32"
    NOT_MET = "not_met", "Not met", "#c62828"
    UNKNOWN = "unknown", "Unknown", "#9e9e9e"


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


def schema_enum_names(**nested: str) -> dict[str, str]:
    """drf-spectacular's ``ENUM_NAME_OVERRIDES``: one component name per shared choice set.

    Every enumeration defined in this module is named ``<Class>Enum`` (an acronym such as RAG
    written as a word: ``RagEnum``); enumerations nested in models, which cannot be imported
    while settings load, are passed by name and dotted path.
    """
    here = sys.modules[__name__]
    names = {
        _schema_name(enum.__name__): f"{__name__}.{enum.__qualname__}"
        for enum in vars(here).values()
        if isinstance(enum, type)
        and issubclass(enum, models.Choices)
        and enum.__module__ == __name__
        and len(enum)  # not the member-less base ColouredChoices
    }
    clashes = names.keys() & nested.keys()
    if clashes:
        raise ValueError(f"enumeration names given twice: {sorted(clashes)}")
    return {f"{name}Enum": path for name, path in {**names, **nested}.items()}


def _schema_name(class_name: str) -> str:
    return class_name.capitalize() if class_name.isupper() else class_name
