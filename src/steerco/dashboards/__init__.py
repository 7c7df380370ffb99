"""One computation per dashboard, for the web pages and the pack alike.

Each computation takes the rows one audience may see for one meeting (a frame: the pack's
at the meeting's cut-off, the web's live for the viewing person) and returns plain data.
The web renders a page of it, the pack renders it whole. ``DASHBOARDS`` is the one list
both read: slug, title, area, purpose and computation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from steerco.dashboards import activity, delivery, milestones, programme, summary
from steerco.dashboards.basis import Source


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    area: str
    purpose: str
    compute: Callable[[Source], Any]


PROGRAMME = "MHHS Programme Status"
DELIVERY = "Industry Delivery Status"
ACTIVITY = "MHHS Workstream Activity"

DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard(
        "summary",
        "Executive Summary",
        PROGRAMME,
        "The programme's overall RAG and its trend; milestones achieved, slipped and at risk "
        "since the last meeting; top risks; decisions needed; actions due; reports received",
        summary.summary,
    ),
    Dashboard(
        "risk-themes",
        "Risk Themes",
        PROGRAMME,
        "Provide a high-level view of Programme Risks",
        programme.risk_themes,
    ),
    Dashboard(
        "change-control",
        "Change Control",
        PROGRAMME,
        "Update on the status of Change Requests",
        programme.change_control,
    ),
    Dashboard(
        "sit-status",
        "SIT Status",
        DELIVERY,
        "Provide the status of SIT participants",
        delivery.sit_status,
    ),
    Dashboard(
        "core-providers",
        "Core Capability Provider Delivery Plans",
        DELIVERY,
        "Provide an overview of core capability providers' delivery plans and progress "
        "against them",
        delivery.core_providers,
    ),
    Dashboard(
        "ldso-status",
        "LDSO Status",
        DELIVERY,
        "Provide the combined status and progress of LDSO delivery (DNOs and iDNOs)",
        delivery.ldso_status,
    ),
    Dashboard(
        "finances",
        "Central Party Finances",
        DELIVERY,
        "Provide high level Central Party forecast of expenditure against plan",
        delivery.finances,
    ),
    Dashboard(
        "workstreams",
        "SI Workstream Update",
        ACTIVITY,
        "Update on activity and progress in the Design Management, Testing and "
        "Transition workstreams",
        activity.workstreams,
    ),
    Dashboard(
        "code-drafting",
        "Code Drafting Status",
        ACTIVITY,
        "Update on the progress of Code Drafting against the Code Draft plan",
        activity.code_drafting,
    ),
    Dashboard(
        "ftig-sit-outlook",
        "FTIG Update & SIT Outlook",
        ACTIVITY,
        "Update on the progress of FTIG and progress in preparation for SIT",
        activity.ftig_sit_outlook,
    ),
    Dashboard(
        "advisory-groups",
        "Level 3 Advisory Group Updates",
        ACTIVITY,
        "Update on key discussion items and outcomes from recent Level 3 Advisory Groups",
        activity.advisory_groups,
    ),
    Dashboard(
        "participant-communications",
        "PPC Activity",
        ACTIVITY,
        "Provide information on PPC activity and participant engagement",
        activity.participant_communications,
    ),
    Dashboard(
        "industry-change",
        "Industry Change",
        ACTIVITY,
        "Summarise items raised to the Programme horizon scanning process",
        activity.industry_change,
    ),
    Dashboard(
        "assurance",
        "Independent Programme Assurance (IPA)",
        "Assurance",
        "Provide a progress update on in-flight and planned assurance activities",
        activity.assurance,
    ),
    Dashboard(
        "milestones",
        "Milestones",
        "Programme Plan",
        "Milestones with baseline and forecast, slip in working days, previous RAG and "
        "the RAG the tolerances suggest",
        milestones.milestones,
    ),
)

BY_SLUG: dict[str, Dashboard] = {d.slug: d for d in DASHBOARDS}
