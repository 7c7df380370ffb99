"""The registers the web pages list, show and edit: one row per register, read by the
list, item, edit and what-changed pages alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models

from steerco.changes.models import ChangeRequest
from steerco.core.models import AgendaItem, Meeting, NarrativeSection
from steerco.finance.models import FinanceCell, FinanceNote
from steerco.milestones.models import (
    Decision,
    DecisionOption,
    Gate,
    GateCriterion,
    Milestone,
    MilestoneDependency,
)
from steerco.organisations.models import Constituency, MarketRole, Organisation, RoleParticipation
from steerco.qualification.models import Application, Tranche
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
    TrackerMetric,
    WorkstreamUpdate,
)


@dataclass(frozen=True)
class WebRegister:
    slug: str
    title: str
    model: type[models.Model]
    columns: tuple[str, ...]
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    editable: tuple[str, ...] = ()
    children: tuple[str, ...] = ()  # reverse accessors shown on the item page
    related: tuple[str, ...] = field(default=())  # foreign keys to fetch with the list

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)


REGISTERS: tuple[WebRegister, ...] = (
    WebRegister(
        "milestones",
        "Milestones",
        Milestone,
        ("code", "title", "governing_body", "baseline_date", "forecast_date", "rag"),
        filters=("tier", "workstream", "governing_body", "rag"),
        search=("code", "title", "commentary"),
        editable=(
            "title",
            "governing_body",
            "baseline_date",
            "forecast_date",
            "actual_date",
            "rag",
            "forecast_rag",
            "commentary",
            "classification",
        ),
        children=("predecessors",),
    ),
    WebRegister(
        "raid",
        "RAID log",
        RaidItem,
        ("ref", "type", "theme", "description", "owner", "current_score", "status"),
        filters=("type", "theme", "status", "log"),
        search=("ref", "description", "owner"),
        editable=(
            "description",
            "impact",
            "owner",
            "initial_score",
            "current_score",
            "target_score",
            "stated_band",
            "status",
            "classification",
        ),
        children=("mitigations",),
        related=("theme",),
    ),
    WebRegister(
        "raid-themes",
        "RAID themes",
        RaidTheme,
        ("number", "title", "rag", "stated_item_count", "updated_to"),
        search=("title", "summary"),
        editable=("title", "summary", "mitigation_overview", "rag", "stated_item_count"),
    ),
    WebRegister(
        "actions",
        "Action log",
        Action,
        ("ref", "text", "owners", "due_date", "status"),
        filters=("status", "raised_at"),
        search=("ref", "text", "owners"),
        editable=("text", "owners", "due_date", "due_text", "status", "classification"),
        children=("updates",),
    ),
    WebRegister(
        "changes",
        "Change requests",
        ChangeRequest,
        ("ref", "title", "change_type", "approval_status", "stage", "implementation"),
        filters=("approval_status", "stage", "change_type"),
        search=("ref", "title", "raisers", "change_owner"),
        editable=(
            "title",
            "latest_action",
            "latest_action_date",
            "approval_status",
            "stage",
            "implementation",
            "change_owner",
            "classification",
        ),
    ),
    WebRegister(
        "decisions",
        "Decisions",
        Decision,
        ("ref", "title", "meeting", "decided_by", "outcome"),
        search=("ref", "title", "description"),
        editable=("title", "description", "decided_by", "outcome", "classification"),
        children=("options",),
        related=("meeting",),
    ),
    WebRegister(
        "gates",
        "Gates",
        Gate,
        ("milestone_code", "title", "governing_body", "stated_ready"),
        search=("milestone_code", "title"),
        editable=("title", "stated_ready", "note", "classification"),
        children=("criteria",),
    ),
    WebRegister(
        "reports",
        "Delivery reports",
        DeliveryReport,
        ("title", "organisation", "meeting", "kind", "status", "overall_rag"),
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
            "classification",
        ),
        children=("milestones", "raid", "decisions", "escalations"),
        related=("organisation", "meeting"),
    ),
    WebRegister(
        "provider-statuses",
        "Provider statuses",
        ProviderStatus,
        ("table", "stated_name", "organisation", "rag", "updated_to"),
        filters=("table", "rag", "organisation"),
        search=("stated_name", "comment"),
        editable=("rag", "comment", "updated_to", "classification"),
        related=("organisation",),
    ),
    WebRegister(
        "sit-areas",
        "SIT areas",
        SitAreaStatus,
        ("area", "rag", "comment"),
        editable=("rag", "comment", "classification"),
    ),
    WebRegister(
        "organisations",
        "Organisations",
        Organisation,
        ("name", "kind", "constituency", "ftig_attendee"),
        filters=("kind", "ftig_attendee"),
        search=("name", "constituency"),
        editable=("constituency", "kind", "ftig_attendee", "contacts", "classification"),
    ),
    WebRegister(
        "market-roles",
        "Market roles",
        MarketRole,
        ("constituency", "name", "mvc_required", "stated_confirmed"),
        search=("name",),
        editable=("mvc_required", "stated_confirmed", "classification"),
        children=("participants",),
        related=("constituency",),
    ),
    WebRegister(
        "finance",
        "Finance cells",
        FinanceCell,
        ("financial_year", "row_label", "month", "amount", "stated"),
        filters=("financial_year", "party", "measure"),
        search=("row_label", "stated"),
        editable=("amount", "stated", "classification"),
    ),
    WebRegister(
        "code-drafting",
        "Code drafting milestones",
        CodeDraftingMilestone,
        ("name", "target_date", "forecast_date", "status"),
        editable=("target_date", "forecast_date", "status", "classification"),
    ),
    WebRegister(
        "workstreams",
        "Workstream updates",
        WorkstreamUpdate,
        ("workstream", "progress"),
        search=("workstream", "progress"),
        editable=("progress", "classification"),
    ),
    WebRegister(
        "horizon",
        "Horizon-scanning items",
        HorizonItem,
        ("code", "title", "criticality"),
        filters=("criticality",),
        search=("code", "title"),
        editable=("title", "criticality", "classification"),
    ),
    WebRegister(
        "assurance",
        "Assurance activities",
        AssuranceActivity,
        ("stage", "work_package", "title", "status"),
        filters=("stage",),
        search=("title", "text"),
        editable=("status", "text", "classification"),
    ),
    WebRegister(
        "metrics",
        "Tracker metrics",
        TrackerMetric,
        ("tracker", "group", "label", "value", "stated"),
        filters=("tracker",),
        search=("label",),
        editable=("value", "stated", "classification"),
    ),
    WebRegister(
        "qualification",
        "Qualification applications",
        Application,
        ("organisation", "intention_date", "preferred_tranche", "allocated_tranche", "state"),
        filters=("state",),
        editable=("allocated_tranche", "state", "reason", "classification"),
        related=("organisation", "preferred_tranche", "allocated_tranche"),
    ),
    WebRegister(
        "tranches",
        "Qualification tranches",
        Tranche,
        ("number", "name", "window_start", "window_end", "capacity"),
        editable=("name", "window_start", "window_end", "capacity", "classification"),
    ),
)

BY_SLUG: dict[str, WebRegister] = {register.slug: register for register in REGISTERS}
BY_MODEL: dict[type[models.Model], WebRegister] = {r.model: r for r in REGISTERS}

# Every model whose changes the "what changed" page reports, with the register it belongs to.
CHANGE_MODELS: tuple[tuple[str, type[models.Model]], ...] = (
    *((register.title, register.model) for register in REGISTERS),
    ("Milestones", MilestoneDependency),
    ("RAID log", MitigationStep),
    ("Action log", ActionUpdate),
    ("Decisions", DecisionOption),
    ("Gates", GateCriterion),
    ("Delivery reports", ReportMilestone),
    ("Delivery reports", ReportRaidEntry),
    ("Delivery reports", ReportDecision),
    ("Delivery reports", ReportEscalation),
    ("Market roles", Constituency),
    ("Market roles", RoleParticipation),
    ("Finance cells", FinanceNote),
    ("Meetings", Meeting),
    ("Meetings", AgendaItem),
    ("Meetings", NarrativeSection),
)
