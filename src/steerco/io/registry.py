"""Which models make up each register, and which file and section of a programme
directory holds them. The loader, the exporter and the generator all read this one table."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from steerco.changes.models import ChangeRequest
from steerco.core.models import Meeting
from steerco.finance.models import FinanceCell, FinanceNote
from steerco.milestones.models import Decision, Gate, Milestone, Timetable
from steerco.organisations.models import Constituency, Organisation
from steerco.qualification.models import Application, QadIteration, QualificationRoute, Tranche
from steerco.raid.models import Action, RaidItem, RaidTheme
from steerco.reports.models import DeliveryReport, ProviderStatus, SitAreaStatus
from steerco.trackers.models import (
    AssuranceActivity,
    CodeDraftingMilestone,
    HorizonItem,
    ReadinessRound,
    TrackerMetric,
    WorkstreamUpdate,
)


@dataclass(frozen=True)
class Section:
    register: str
    file: str
    key: str
    model: type[models.Model]
    match: tuple[str, ...] = ("order",)  # fields that find the record an imported row updates


# In load order: a section may refer only to sections above it.
SECTIONS: tuple[Section, ...] = (
    Section("meetings", "meetings.yaml", "meetings", Meeting, ("code",)),
    Section("organisations", "organisations.yaml", "organisations", Organisation, ("name",)),
    Section("market-roles", "market-roles.yaml", "constituencies", Constituency, ("name",)),
    Section("milestones", "milestones.yaml", "milestones", Milestone, ("code",)),
    Section("gates", "gates.yaml", "gates", Gate, ("milestone_code", "title")),
    Section("decisions", "decisions.yaml", "decisions", Decision, ("ref",)),
    Section("timetables", "timetables.yaml", "timetables", Timetable, ("code",)),
    Section("raid", "raid.yaml", "themes", RaidTheme, ("number",)),
    Section("raid", "raid.yaml", "items", RaidItem, ("ref",)),
    Section("actions", "actions.yaml", "actions", Action, ("ref", "order")),
    Section("changes", "changes.yaml", "changes", ChangeRequest, ("ref",)),
    Section(
        "reports", "reports.yaml", "reports", DeliveryReport, ("meeting", "organisation", "title")
    ),
    Section("reports", "reports.yaml", "sit_areas", SitAreaStatus, ("area",)),
    Section("reports", "reports.yaml", "provider_statuses", ProviderStatus, ("table", "order")),
    Section(
        "finance", "finance.yaml", "cells", FinanceCell, ("financial_year", "row_label", "month")
    ),
    Section("finance", "finance.yaml", "notes", FinanceNote, ("financial_year", "order")),
    Section("qualification", "qualification.yaml", "tranches", Tranche, ("number",)),
    Section(
        "qualification",
        "qualification.yaml",
        "applications",
        Application,
        ("organisation", "intention_date"),
    ),
    Section("qualification", "qualification.yaml", "routes", QualificationRoute),
    Section("qualification", "qualification.yaml", "qad_iterations", QadIteration),
    Section("trackers", "trackers.yaml", "code_drafting", CodeDraftingMilestone),
    Section("trackers", "trackers.yaml", "workstreams", WorkstreamUpdate),
    Section("trackers", "trackers.yaml", "horizon_items", HorizonItem),
    Section("trackers", "trackers.yaml", "metrics", TrackerMetric, ("tracker", "order")),
    Section("trackers", "trackers.yaml", "assurance", AssuranceActivity),
    Section("trackers", "trackers.yaml", "readiness_rounds", ReadinessRound, ("code",)),
)

REGISTER_HELP: dict[str, str] = {
    "organisations": "organisations with constituency, kind and aliases",
    "market-roles": "SIT constituencies, market roles with their MVC, and named participants",
    "milestones": "tiered milestones with baseline/forecast dates, RAGs and predecessors",
    "raid": "RAID themes and items with scores, movement and mitigation steps",
    "actions": "the action log with dated updates",
    "changes": "change requests through change control",
    "decisions": "decisions and their options",
    "gates": "milestone approval gates and their criteria",
    "timetables": "timetable grids (activities × intervals) with their rules",
    "reports": "delivery reports, SIT area statuses and provider statuses",
    "finance": "finance cells (party × month) and notes",
    "qualification": "tranches, applications, routes and QAD iterations",
    "trackers": "code drafting, workstreams, horizon scanning, metrics, assurance, RA rounds",
    "meetings": "meetings with agenda items and narrative sections",
}

REGISTERS: tuple[str, ...] = tuple(REGISTER_HELP)


def sections_of(register: str) -> list[Section]:
    return [section for section in SECTIONS if section.register == register]


def files() -> list[str]:
    seen: list[str] = []
    for section in SECTIONS:
        if section.file not in seen:
            seen.append(section.file)
    return seen
