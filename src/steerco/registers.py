"""The registers a programme office keeps, each described once.

For each register: its slug (the one name it has in the web, the API, exports, imports and
the command line), its model, the programme-directory file and section holding it, the fields
that find the record an imported row updates, its columns, filters, search, the fields a PMO
may edit and those it may set when creating, and its children with the accessor each is
reached by. A child's access path to its parent is the foreign key it declares itself
(``ACCESS_PARENT`` on the model, read by ``steerco.accounts.access``); :func:`check` makes sure
the two agree. The loader, importer, exporter, register pages, API, portal and transfers
read this module; nothing guesses children or parents from the schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import models
from django.db.models.fields.reverse_related import ManyToOneRel

from steerco.changes.models import ChangeRequest
from steerco.core.choices import ActionStatus, RaidStatus
from steerco.core.models import AgendaItem, Attendee, Body, BodyMember, Meeting, NarrativeSection
from steerco.finance.models import FinanceCell, FinanceNote
from steerco.milestones.models import (
    Decision,
    DecisionOption,
    Gate,
    GateCriterion,
    Milestone,
    MilestoneDependency,
    Timetable,
    TimetableActivity,
    TimetableCell,
    TimetableInterval,
)
from steerco.organisations.models import Constituency, MarketRole, Organisation, RoleParticipation
from steerco.qualification.models import Application, QadIteration, QualificationRoute, Tranche
from steerco.raid.models import Action, ActionUpdate, MitigationStep, RaidItem, RaidTheme
from steerco.reports.models import (
    DeliveryReport,
    ProviderStatus,
    ReportDecision,
    ReportEscalation,
    ReportMilestone,
    ReportRaidEntry,
    SitAreaStatus,
)
from steerco.trackers.models import (
    AssuranceActivity,
    CodeDraftingMilestone,
    HorizonItem,
    ReadinessRound,
    TrackerMetric,
    WorkstreamUpdate,
)


@dataclass(frozen=True)
class Child:
    """Records that belong to a record of the register (or of another child), kept, exported
    and imported inside it, reached from the parent by ``accessor``."""

    accessor: str
    # A model, or "app_label.Model" for one of an app above this module's layer (the
    # portal's review and readiness records), resolved as Django resolves lazy relations.
    model_ref: type[models.Model] | str
    children: tuple[Child, ...] = ()
    # Written by a reviewer about the record, not by its author (a report's review comments):
    # not carried into the author's next report.
    review: bool = False
    # The fields a PMO edits, row by row, on the parent's own form (web and API); none for a
    # child kept some other way (a report's lines, in the portal).
    editable: tuple[str, ...] = ()
    # A field naming another record of the parent's register by its key (a milestone's
    # predecessor): chosen among the programme's records, never the parent itself.
    peer: str = ""

    @property
    def model(self) -> type[models.Model]:
        if isinstance(self.model_ref, str):
            return apps.get_model(self.model_ref)
        return self.model_ref


@dataclass(frozen=True)
class Reference:
    """Records naming a record of the register by its key rather than by a foreign key (a
    milestone by its code): while any does, the record is not deleted. ``says`` words what
    the referrer is, "{}" standing for the record it belongs to (or itself)."""

    model_ref: type[models.Model] | str
    field: str  # holds the key, or a JSON list of keys
    says: str

    @property
    def model(self) -> type[models.Model]:
        if isinstance(self.model_ref, str):
            return apps.get_model(self.model_ref)
        return self.model_ref


@dataclass(frozen=True)
class Closing:
    """How a record leaves the register without being deleted: ``field`` set to ``value``
    (a risk closed, a change request withdrawn), named by ``verb``."""

    field: str
    value: str
    verb: str


@dataclass(frozen=True)
class Register:
    slug: str
    title: str
    model: type[models.Model]
    help: str
    # Where a programme directory holds it: file and section. A register with no file is
    # held inside another register's records (``part_of``): market roles in constituencies.
    file: str = ""
    key: str = ""
    part_of: str = ""
    match: tuple[str, ...] = ("order",)  # the fields that find the record a row updates
    children: tuple[Child, ...] = ()
    # The web's register pages and the API's register endpoints: none for a register that
    # is shown in pages of its own (meetings) or only inside its parent.
    page: bool = True
    columns: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    editable: tuple[str, ...] = ()
    # Fields set when a record is created and never edited after (a report's meeting).
    create: tuple[str, ...] = ()
    related: tuple[str, ...] = field(default=())  # foreign keys fetched with the list
    # Besides foreign keys (found from the models), what names its records by key.
    referenced_by: tuple[Reference, ...] = ()
    closing: Closing | None = None

    @property
    def kept_children(self) -> tuple[Child, ...]:
        """The children a PMO edits with the record."""
        return tuple(child for child in self.children if child.editable)

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def section(self) -> str:
        """The name of its rows in an export (JSON section, spreadsheet sheet)."""
        return self.key or self.slug

    @property
    def creatable(self) -> tuple[str, ...]:
        """The fields set when a record is created: what finds it, what the model requires,
        those set only at creation, then what may be edited. The order is the register's to
        give (last)."""
        required = (
            f.name
            for f in self.model._meta.concrete_fields
            if not f.blank and not f.has_default() and f.name not in ("id", "programme")
        )
        names = (*self.match, *required, *self.create, *self.editable)
        return tuple(name for name in dict.fromkeys(names) if name != "order")


_MEETING = (
    Child("agenda_items", AgendaItem),
    Child("sections", NarrativeSection),
    Child("attendees", Attendee),
)
_CLASSIFIED = ("classification",)

# In load order: a register may refer only to registers above it.
REGISTERS: tuple[Register, ...] = (
    Register(
        "meetings",
        "Meetings",
        Meeting,
        "meetings with agenda items and narrative sections",
        file="meetings.yaml",
        key="meetings",
        match=("code",),
        children=_MEETING,
        page=False,
        columns=("code", "title", "date", "body"),
    ),
    Register(
        "bodies",
        "Governance bodies",
        Body,
        "governance bodies with their cadence, members, quorum and pack sections",
        file="bodies.yaml",
        key="bodies",
        match=("code",),
        children=(Child("members", BodyMember, editable=("order", "name", "represents", "role")),),
        columns=("code", "name", "cadence", "quorum"),
        search=("code", "name"),
        editable=("name", "cadence", "start_time", "end_time", "location", "quorum", "sections"),
    ),
    Register(
        "organisations",
        "Organisations",
        Organisation,
        "organisations with constituency, kind and aliases",
        file="organisations.yaml",
        key="organisations",
        match=("name",),
        columns=("name", "kind", "constituency", "ftig_attendee"),
        filters=("kind", "ftig_attendee"),
        search=("name", "constituency"),
        editable=("constituency", "kind", "aliases", "ftig_attendee", "contacts", *_CLASSIFIED),
    ),
    Register(
        "constituencies",
        "SIT constituencies",
        Constituency,
        "SIT constituencies, with their market roles (MVC) and named participants",
        file="market-roles.yaml",
        key="constituencies",
        match=("name",),
        children=(Child("market_roles", MarketRole, (Child("participants", RoleParticipation),)),),
        columns=("name", "stated_participants_confirmed"),
        search=("name",),
        editable=("stated_participants_confirmed", *_CLASSIFIED),
    ),
    Register(
        "market-roles",
        "Market roles",
        MarketRole,
        "market roles with their MVC and named participants (kept in constituencies)",
        part_of="constituencies",
        match=("constituency", "name"),
        children=(Child("participants", RoleParticipation),),
        columns=("constituency", "name", "mvc_required", "stated_confirmed"),
        search=("name",),
        editable=("mvc_required", "stated_confirmed", *_CLASSIFIED),
        related=("constituency",),
    ),
    Register(
        "milestones",
        "Milestones",
        Milestone,
        "tiered milestones with baseline/forecast dates, RAGs and predecessors",
        file="milestones.yaml",
        key="milestones",
        match=("code",),
        children=(
            Child(
                "predecessors",
                MilestoneDependency,
                editable=("predecessor_code", "note"),
                peer="predecessor_code",
            ),
        ),
        columns=("code", "title", "governing_body", "baseline_date", "forecast_date", "rag"),
        filters=("tier", "workstream", "governing_body", "rag"),
        search=("code", "title", "commentary"),
        create=("tier", "workstream"),
        referenced_by=(
            Reference(MilestoneDependency, "predecessor_code", "a predecessor of milestone {}"),
            Reference(GateCriterion, "target_code", "a criterion of gate {}"),
            Reference(Gate, "milestone_code", "the milestone of gate {}"),
            Reference(RaidItem, "linked_milestones", "linked to RAID item {}"),
        ),
        editable=(
            "title",
            "governing_body",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "rag",
            "forecast_rag",
            "commentary",
            *_CLASSIFIED,
        ),
    ),
    Register(
        "gates",
        "Gates",
        Gate,
        "milestone approval gates and their criteria",
        file="gates.yaml",
        key="gates",
        match=("milestone_code", "title"),
        children=(
            Child(
                "criteria",
                GateCriterion,
                editable=("order", "group", "text", "kind", "target_code", "state"),
            ),
        ),
        columns=("milestone_code", "title", "governing_body", "stated_ready"),
        search=("milestone_code", "title"),
        create=("governing_body",),
        editable=("title", "stated_ready", "note", *_CLASSIFIED),
    ),
    Register(
        "decisions",
        "Decisions",
        Decision,
        "decisions and their options",
        file="decisions.yaml",
        key="decisions",
        match=("ref",),
        children=(
            Child("options", DecisionOption, editable=("order", "name", "meaning", "implications")),
        ),
        columns=("ref", "title", "meeting", "decided_by", "outcome"),
        search=("ref", "title", "description"),
        create=("meeting",),
        referenced_by=(Reference(GateCriterion, "target_code", "a criterion of gate {}"),),
        editable=("title", "description", "decided_by", "outcome", *_CLASSIFIED),
        related=("meeting",),
    ),
    Register(
        "timetables",
        "Timetables",
        Timetable,
        "timetable grids (activities × intervals) with their rules",
        file="timetables.yaml",
        key="timetables",
        match=("code",),
        children=(
            Child("intervals", TimetableInterval),
            Child("activities", TimetableActivity, (Child("cells", TimetableCell),)),
        ),
        page=False,
        columns=("code", "title"),
    ),
    Register(
        "raid-themes",
        "RAID themes",
        RaidTheme,
        "RAID themes with their RAG and summary",
        file="raid.yaml",
        key="themes",
        match=("number",),
        columns=("number", "title", "rag", "stated_item_count", "updated_to"),
        search=("title", "summary"),
        editable=("title", "summary", "mitigation_overview", "rag", "stated_item_count"),
    ),
    Register(
        "raid",
        "RAID log",
        RaidItem,
        "RAID items with scores, movement and mitigation steps",
        file="raid.yaml",
        key="items",
        match=("ref",),
        children=(Child("mitigations", MitigationStep, editable=("order", "text")),),
        columns=("ref", "type", "theme", "description", "owner", "current_score", "status"),
        filters=("type", "theme", "status", "log"),
        search=("ref", "description", "owner"),
        editable=(
            "type",
            "theme",
            "log",
            "description",
            "impact",
            "linked_milestones",
            "owner",
            "initial_score",
            "current_score",
            "target_score",
            "stated_band",
            "status",
            *_CLASSIFIED,
        ),
        related=("theme",),
        closing=Closing("status", RaidStatus.CLOSED, "Close"),
    ),
    Register(
        "actions",
        "Action log",
        Action,
        "the action log with dated updates",
        file="actions.yaml",
        key="actions",
        match=("ref", "order"),
        children=(Child("updates", ActionUpdate, editable=("order", "date", "text")),),
        columns=("ref", "text", "owners", "due_date", "status"),
        filters=("status", "raised_at"),
        search=("ref", "text", "owners"),
        create=("raised_at",),
        editable=("text", "owners", "due_date", "due_text", "status", *_CLASSIFIED),
        closing=Closing("status", ActionStatus.CLOSED, "Close"),
    ),
    Register(
        "changes",
        "Change requests",
        ChangeRequest,
        "change requests through change control",
        file="changes.yaml",
        key="changes",
        match=("ref",),
        columns=("ref", "title", "change_type", "approval_status", "stage", "implementation"),
        filters=("approval_status", "stage", "change_type"),
        search=("ref", "title", "raisers", "change_owner"),
        editable=(
            "title",
            "change_type",
            "raisers",
            "latest_action",
            "latest_action_date",
            "approval_status",
            "stage",
            "implementation",
            "change_owner",
            *_CLASSIFIED,
        ),
        # Change control states its statuses in its own words ("Approved", "Open"): free
        # text, not an enumeration, so withdrawn is written the same way.
        closing=Closing("approval_status", "Withdrawn", "Withdraw"),
    ),
    Register(
        "reports",
        "Delivery reports",
        DeliveryReport,
        "delivery reports with their milestones, RAID, decisions, escalations and review comments",
        file="reports.yaml",
        key="reports",
        match=("meeting", "organisation", "title"),
        children=(
            Child("milestones", ReportMilestone),
            Child("raid", ReportRaidEntry),
            Child("decisions", ReportDecision),
            Child("escalations", ReportEscalation),
            Child("comments", "portal.ReportComment", review=True),  # the PMO's, in the portal
        ),
        columns=("title", "organisation", "meeting", "kind", "status", "overall_rag"),
        filters=("kind", "status", "meeting"),
        search=("title", "organisation__name"),
        editable=(
            "status",
            "overall_rag",
            "approach_rag",
            "plan_rag",
            "resources_rag",
            "budget_rag",
            "risk_rag",
            "stakeholders_rag",
            "suppliers_rag",
            *_CLASSIFIED,
        ),
        related=("organisation", "meeting"),
    ),
    Register(
        "sit-areas",
        "SIT areas",
        SitAreaStatus,
        "SIT area statuses",
        file="reports.yaml",
        key="sit_areas",
        match=("area",),
        columns=("area", "rag", "comment"),
        editable=("rag", "comment", *_CLASSIFIED),
    ),
    Register(
        "provider-statuses",
        "Provider statuses",
        ProviderStatus,
        "core providers' and LDSOs' statuses",
        file="reports.yaml",
        key="provider_statuses",
        match=("table", "order"),
        columns=("table", "stated_name", "organisation", "rag", "updated_to"),
        filters=("table", "rag", "organisation"),
        search=("stated_name", "comment"),
        editable=("rag", "comment", "updated_to", *_CLASSIFIED),
        related=("organisation",),
    ),
    Register(
        "finance",
        "Finance cells",
        FinanceCell,
        "finance cells (party × month)",
        file="finance.yaml",
        key="cells",
        match=("financial_year", "row_label", "month"),
        columns=("financial_year", "row_label", "month", "period", "amount", "stated"),
        filters=("financial_year", "party", "measure"),
        search=("row_label", "stated"),
        editable=("period", "split_monthly", "amount", "stated", *_CLASSIFIED),
    ),
    Register(
        "finance-notes",
        "Finance notes",
        FinanceNote,
        "the notes under the finance tables",
        file="finance.yaml",
        key="notes",
        match=("financial_year", "order"),
        page=False,
        columns=("financial_year", "text"),
    ),
    Register(
        "tranches",
        "Qualification tranches",
        Tranche,
        "qualification tranches with their windows and capacity",
        file="qualification.yaml",
        key="tranches",
        match=("number",),
        columns=("number", "name", "window_start", "window_end", "capacity"),
        editable=("name", "window_start", "window_end", "capacity", *_CLASSIFIED),
    ),
    Register(
        "qualification",
        "Qualification applications",
        Application,
        "qualification applications and their allocated tranches",
        file="qualification.yaml",
        key="applications",
        match=("organisation", "intention_date"),
        columns=(
            "organisation",
            "intention_date",
            "preferred_tranche",
            "allocated_tranche",
            "state",
        ),
        filters=("state",),
        editable=("allocated_tranche", "state", "reason", *_CLASSIFIED),
        related=("organisation", "preferred_tranche", "allocated_tranche"),
    ),
    Register(
        "qualification-routes",
        "Qualification routes",
        QualificationRoute,
        "qualification routes by participant kind",
        file="qualification.yaml",
        key="routes",
        page=False,
        columns=("order",),
    ),
    Register(
        "qad-iterations",
        "QAD iterations",
        QadIteration,
        "Qualification Approach and Plan document iterations",
        file="qualification.yaml",
        key="qad_iterations",
        page=False,
        columns=("order",),
    ),
    Register(
        "code-drafting",
        "Code drafting milestones",
        CodeDraftingMilestone,
        "code drafting milestones",
        file="trackers.yaml",
        key="code_drafting",
        columns=("name", "target_date", "forecast_date", "status"),
        editable=("target_date", "forecast_date", "status", *_CLASSIFIED),
    ),
    Register(
        "workstreams",
        "Workstream updates",
        WorkstreamUpdate,
        "workstream progress updates",
        file="trackers.yaml",
        key="workstreams",
        columns=("workstream", "progress"),
        search=("workstream", "progress"),
        editable=("progress", *_CLASSIFIED),
    ),
    Register(
        "horizon",
        "Horizon-scanning items",
        HorizonItem,
        "industry-change horizon-scanning items",
        file="trackers.yaml",
        key="horizon_items",
        columns=("code", "title", "criticality"),
        filters=("criticality",),
        search=("code", "title"),
        editable=("title", "criticality", *_CLASSIFIED),
    ),
    Register(
        "metrics",
        "Tracker metrics",
        TrackerMetric,
        "tracker metrics (code drafting, readiness, assurance, …)",
        file="trackers.yaml",
        key="metrics",
        match=("tracker", "order"),
        columns=("tracker", "group", "label", "value", "stated"),
        filters=("tracker",),
        search=("label",),
        editable=("value", "stated", *_CLASSIFIED),
    ),
    Register(
        "assurance",
        "Assurance activities",
        AssuranceActivity,
        "assurance activities by stage and work package",
        file="trackers.yaml",
        key="assurance",
        columns=("stage", "work_package", "title", "status"),
        filters=("stage",),
        search=("title", "text"),
        editable=("status", "text", *_CLASSIFIED),
    ),
    Register(
        "readiness-rounds",
        "Readiness assessment rounds",
        ReadinessRound,
        "readiness assessment rounds",
        file="trackers.yaml",
        key="readiness_rounds",
        match=("code",),
        # The questions asked and each organisation's answers, through the portal.
        children=(
            Child("questions", "portal.AssessmentQuestion"),
            Child(
                "responses",
                "portal.AssessmentResponse",
                (Child("answers", "portal.AssessmentAnswer"),),
            ),
        ),
        page=False,
        columns=("code",),
    ),
)

BY_SLUG: dict[str, Register] = {register.slug: register for register in REGISTERS}
BY_MODEL: dict[type[models.Model], Register] = {r.model: r for r in REGISTERS}
SLUGS: tuple[str, ...] = tuple(BY_SLUG)
# The registers with web pages and API endpoints, in the order the web lists them.
PAGES: tuple[Register, ...] = tuple(r for r in REGISTERS if r.page)
PAGES_BY_SLUG: dict[str, Register] = {register.slug: register for register in PAGES}
# The registers a programme directory holds in files, in load order.
FILED: tuple[Register, ...] = tuple(r for r in REGISTERS if r.file)


class UnknownRegister(KeyError):
    def __str__(self) -> str:
        return f"no register '{self.args[0]}' (registers: {', '.join(SLUGS)})"


def get(slug: str) -> Register:
    try:
        return BY_SLUG[slug]
    except KeyError:
        raise UnknownRegister(slug) from None


def files() -> list[str]:
    """The programme directory's files, in load order."""
    return list(dict.fromkeys(r.file for r in FILED))


def children_of(model: type[models.Model]) -> dict[str, Child]:
    """The children a record of ``model`` keeps, by accessor (none for a model that is no
    register or child)."""
    return _children().get(model, {})


def relation(parent: type[models.Model], child: Child) -> ManyToOneRel:
    """Django's relation from ``parent`` to a declared child."""
    return _relations(parent)[child.accessor]


def kept_elsewhere(model: type[models.Model]) -> list[str]:
    """Records that point at a ``model`` record but are not its children here (an
    organisation's bound contacts are accounts; its readiness answers are the portal's):
    an import naming them is refused, never applied."""
    return [str(rel.get_accessor_name()) for rel in foreign_references(model)]


def foreign_references(model: type[models.Model]) -> list[ManyToOneRel]:
    """The foreign keys of other records to a ``model`` record, its own children and
    history aside: while one points at it, it is not deleted."""
    own = children_of(model)
    return [
        rel
        for accessor, rel in _relations(model).items()
        if accessor not in own
        and not str(rel.related_model).split(".")[-1].startswith("Historical")
    ]


def walk() -> Iterator[tuple[str, type[models.Model]]]:
    """Every model a register keeps, its own and its children's, with the register's title."""
    for register in REGISTERS:
        yield register.title, register.model
        stack = list(register.children)
        while stack:
            child = stack.pop(0)
            yield register.title, child.model
            stack.extend(child.children)


@cache
def _children() -> dict[type[models.Model], dict[str, Child]]:
    found: dict[type[models.Model], dict[str, Child]] = {}

    def add(parent: type[models.Model], children: tuple[Child, ...]) -> None:
        for child in children:
            found.setdefault(parent, {})[child.accessor] = child
            add(child.model, child.children)

    for register in REGISTERS:
        add(register.model, register.children)
    return found


@cache
def _relations(parent: type[models.Model]) -> dict[str, ManyToOneRel]:
    return {
        str(rel.get_accessor_name()): rel
        for rel in parent._meta.related_objects
        if isinstance(rel, ManyToOneRel)
    }


def check() -> list[str]:
    """Where this specification and the models disagree: a child's accessor that is no
    relation of its parent, or one that is not the foreign key the child declares for access;
    a field named that the model lacks; a part of a register that does not exist."""
    problems: list[str] = []
    for parent, children in _children().items():
        for child in children.values():
            names = {f.name for f in child.model._meta.get_fields()}
            for name in (*child.editable, *([child.peer] if child.peer else [])):
                if name not in names:
                    problems.append(f"{parent.__name__}.{child.accessor}: no field {name!r}")
            rel = _relations(parent).get(child.accessor)
            declared = getattr(child.model, "ACCESS_PARENT", None)
            if rel is None:
                problems.append(f"{parent.__name__} has no children '{child.accessor}'")
            elif declared is None and _has_programme(child.model):
                pass  # a child of its own programme's (a market role) is classified itself
            elif rel.field.name != declared:
                problems.append(
                    f"{child.model.__name__} is kept under {parent.__name__}.{child.accessor} "
                    f"by '{rel.field.name}' but declares ACCESS_PARENT {declared!r}"
                )
    for register in REGISTERS:
        names = {f.name for f in register.model._meta.get_fields()}
        for attr in ("match", "columns", "filters", "editable", "create", "related"):
            for name in getattr(register, attr):
                if name.split("__")[0] not in names:
                    problems.append(
                        f"{register.slug}.{attr}: {register.model.__name__} has no {name!r}"
                    )
        for reference in register.referenced_by:
            if reference.field not in {f.name for f in reference.model._meta.get_fields()}:
                problems.append(
                    f"{register.slug}.referenced_by: {reference.model.__name__} has no "
                    f"{reference.field!r}"
                )
        if register.closing and register.closing.field not in names:
            problems.append(f"{register.slug}.closing: no field {register.closing.field!r}")
        if register.part_of and register.part_of not in BY_SLUG:
            problems.append(f"{register.slug} is part of an unknown register {register.part_of!r}")
        if bool(register.file) == bool(register.part_of):
            problems.append(f"{register.slug} needs either a file or the register it is part of")
    return problems


def _has_programme(model: type[models.Model]) -> bool:
    return any(f.name == "programme" for f in model._meta.concrete_fields)
