"""The seed's "Delivery Dashboards" (and milestones): each is a builder that reads the
registers through the access module and returns what its template shows.

Builders take the request's query (for the page number) and return plain context; the
view only renders. "Previous" values are read as of the previous meeting's cut-off
(steerco.web.derived) and movement, slip and suggested RAG come from steerco.rules.derive.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Min, Prefetch
from django.urls import reverse
from django.utils.html import format_html

from steerco.accounts.access import Can, Principal, visible
from steerco.changes.models import ChangeRequest
from steerco.core.calendar import calendar_for
from steerco.core.choices import RAG, RAG_SEVERITY
from steerco.core.models import NarrativeSection, Programme
from steerco.finance.models import FinanceCell, FinanceNote
from steerco.milestones.models import Milestone
from steerco.organisations.models import Constituency, MarketRole, RoleParticipation
from steerco.raid.models import MitigationStep, RaidItem, RaidTheme
from steerco.reports.models import (
    DIMENSIONS,
    DeliveryReport,
    ProviderStatus,
    ReportMilestone,
    SitAreaStatus,
)
from steerco.rules import derive
from steerco.rules.frame import RulesConfig
from steerco.trackers.models import (
    AssuranceActivity,
    CodeDraftingMilestone,
    HorizonItem,
    TrackerMetric,
    WorkstreamUpdate,
)
from steerco.web.charts import Bar, bar_chart, paired_chart
from steerco.web.derived import MeetingFrame, meeting_frame, previous_state
from steerco.web.templatetags.steerco_web import badge

Context = dict[str, Any]


@dataclass(frozen=True)
class Request:
    """What a builder needs to know about the request."""

    programme: Programme
    who: Principal
    query: Mapping[str, str]

    def page(self, items: Any, per_page: int) -> Page[Any]:
        return Paginator(items, per_page).get_page(self.query.get("page"))


Builder = Callable[[Request, MeetingFrame], Context]


@dataclass(frozen=True)
class Dashboard:
    slug: str
    title: str
    area: str
    purpose: str
    build: Builder
    template: str = ""

    @property
    def template_name(self) -> str:
        return f"web/dashboards/{self.template or self.slug}.html"


def _rag_bars(values: Iterable[str]) -> list[Bar]:
    counts = Counter(value or "" for value in values)
    order = sorted(counts, key=lambda v: RAG_SEVERITY.get(v, 9))
    return [
        Bar(RAG(v).label if v in RAG.values else "Unknown", counts[v], RAG.colour(v)) for v in order
    ]


def _sections(request: Request, frame: MeetingFrame, *slugs: str) -> list[NarrativeSection]:
    if frame.current is None:
        return []
    sections = NarrativeSection.objects.filter(meeting=frame.current, slug__in=slugs)
    return list(visible(sections, request.who).order_by("order"))


def _metrics(request: Request, tracker: str) -> list[TrackerMetric]:
    metrics = TrackerMetric.objects.filter(programme=request.programme, tracker=tracker)
    return list(visible(metrics, request.who))


# -- MHHS Programme Status ---------------------------------------------------------------------


def risk_themes(request: Request, frame: MeetingFrame) -> Context:
    who, programme = request.who, request.programme
    themes = request.page(
        visible(RaidTheme.objects.filter(programme=programme), who).order_by("number"), 3
    )
    steps = visible(MitigationStep.objects.all(), who)
    items = visible(
        RaidItem.objects.filter(theme__in=[t.pk for t in themes]), who
    ).prefetch_related(Prefetch("mitigations", queryset=steps))
    cutoff = frame.previous_cutoff
    before_themes = previous_state(programme, RaidTheme, (t.pk for t in themes), cutoff, who)
    listed = list(items)
    before_items = previous_state(programme, RaidItem, (i.pk for i in listed), cutoff, who)
    cutoffs = RulesConfig.of(programme).band_cutoffs
    by_theme: dict[int, list[Context]] = defaultdict(list)
    for item in listed:
        before = before_items.get(item.pk)
        by_theme[item.theme_id or 0].append(
            {
                "item": item,
                "band": derive.band(item.current_score, cutoffs) or item.stated_band,
                "movement": derive.movement(
                    before.current_score if before else None,
                    item.current_score,
                    existed_before=before is not None,
                    closed=item.status == "closed",
                )
                if cutoff
                else "",
            }
        )
    rows = [
        {
            "theme": theme,
            "previous": before_themes.get(theme.pk),
            "items": by_theme.get(theme.pk, []),
        }
        for theme in themes
    ]
    chart = bar_chart(
        "Key risks listed under each theme (bar colour and label: the theme's RAG)",
        [
            Bar(
                f"Theme {r['theme'].number}",
                len(r["items"]),
                RAG.colour(r["theme"].rag),
                RAG(r["theme"].rag).label if r["theme"].rag else "Unknown",
            )
            for r in rows
        ],
    )
    return {"rows": rows, "page": themes, "chart": chart}


def change_control(request: Request, frame: MeetingFrame) -> Context:
    changes = visible(ChangeRequest.objects.filter(programme=request.programme), request.who)
    by_status = Counter(changes.values_list("approval_status", flat=True))
    chart = bar_chart(
        "Change requests by approval status",
        [Bar(status or "Not stated", count) for status, count in by_status.most_common()],
    )
    return {"page": request.page(changes.order_by("order", "ref"), 25), "chart": chart}


# -- Industry Delivery Status ------------------------------------------------------------------


def sit_status(request: Request, frame: MeetingFrame) -> Context:
    who, programme = request.who, request.programme
    areas = visible(SitAreaStatus.objects.filter(programme=programme), who)
    providers = visible(
        ProviderStatus.objects.filter(programme=programme, table="sit-status"), who
    ).select_related("organisation")
    participants = visible(RoleParticipation.objects.all(), who)
    roles = visible(MarketRole.objects.filter(programme=programme), who)
    constituencies = request.page(
        visible(Constituency.objects.filter(programme=programme), who).prefetch_related(
            Prefetch(
                "market_roles",
                queryset=roles.prefetch_related(Prefetch("participants", queryset=participants)),
            )
        ),
        10,
    )
    rows = []
    for constituency in constituencies:
        for role in constituency.market_roles.all():
            named = list(role.participants.all())
            confirmed = sum(1 for p in named if p.status == "confirmed")
            unknown = sum(1 for p in named if p.status == "unknown")
            below = role.mvc_required is not None and len(named) < role.mvc_required
            rows.append(
                {
                    "constituency": constituency,
                    "role": role,
                    "named": named,
                    "confirmed": confirmed,
                    "unknown": unknown,
                    "below_mvc": below,
                }
            )
    return {
        "areas": areas,
        "providers": providers,
        "rows": rows,
        "page": constituencies,
    }


def _reports(request: Request, frame: MeetingFrame, kind: str) -> Context:
    who = request.who
    reports = DeliveryReport.objects.filter(programme=request.programme, kind=kind)
    milestones = ReportMilestone.objects.all()
    page = request.page(
        visible(reports.filter(meeting=frame.current), who)
        .select_related("organisation", "meeting")
        .prefetch_related(Prefetch("milestones", queryset=visible(milestones, who)))
        .order_by("order", "pk")
        if frame.current
        else reports.none(),
        10,
    )
    current = list(page)
    previous: dict[int, DeliveryReport] = {}
    if frame.previous is not None:
        orgs = [r.organisation_id for r in current]
        earlier = visible(reports.filter(meeting=frame.previous, organisation__in=orgs), who)
        previous = {r.organisation_id: r for r in earlier}
    rows = [
        {
            "report": report,
            "previous": previous.get(report.organisation_id),
            "dimensions": [(d, getattr(report, f"{d}_rag")) for d in DIMENSIONS],
        }
        for report in current
    ]
    chart = bar_chart(
        "Overall RAG of the reports on this page",
        _rag_bars(r.overall_rag for r in current),
    )
    return {"rows": rows, "dimensions": DIMENSIONS, "chart": chart, "page": page}


def core_providers(request: Request, frame: MeetingFrame) -> Context:
    context = _reports(request, frame, "core provider")
    context["readiness"] = visible(
        ProviderStatus.objects.filter(programme=request.programme, table="sit-readiness"),
        request.who,
    ).select_related("organisation")
    return context


def ldso_status(request: Request, frame: MeetingFrame) -> Context:
    return _reports(request, frame, "LDSO")


def finances(request: Request, frame: MeetingFrame) -> Context:
    who, programme = request.who, request.programme
    all_cells = visible(FinanceCell.objects.filter(programme=programme), who)
    parties = request.page(
        [
            row["party"]
            for row in all_cells.order_by()
            .values("party")
            .annotate(first=Min("order"))
            .order_by("first", "party")
        ],
        8,
    )
    cells = list(all_cells.filter(party__in=list(parties)))
    months = sorted({c.month for c in cells if c.month})
    grid: dict[tuple[str, str], dict[Any, FinanceCell]] = defaultdict(dict)
    for cell in sorted(cells, key=lambda c: (c.financial_year, c.order)):
        grid[(cell.financial_year, cell.row_label)][cell.month] = cell
    rows: list[Context] = []
    for (year, label), by_month in grid.items():
        known = [c.amount for m, c in by_month.items() if m and c.amount is not None]
        total = by_month.get(None)
        derived = sum(known, Decimal(0)) if known else None
        rows.append(
            {
                "year": year,
                "label": label,
                "party": next(iter(by_month.values())).party,
                "measure": next(iter(by_month.values())).measure,
                "cells": [by_month.get(m) for m in months],
                "stated_total": total,
                "derived_total": derived,
                "mismatch": derived is not None
                and total is not None
                and total.amount is not None
                and abs(total.amount - derived) > Decimal("0.01"),
            }
        )
    party_rows = [r for r in rows if r["party"] != "Total"]
    names = list(dict.fromkeys(r["party"] for r in party_rows))

    def totals(measure: str) -> list[float | None]:
        found = {r["party"]: r["derived_total"] for r in party_rows if r["measure"] == measure}
        return [float(found[n]) if found.get(n) is not None else None for n in names]

    chart = paired_chart(
        "Sum of known months by party (£m)",
        names,
        [
            ("Budget", "#1565c0", totals("budget")),
            ("Actual/Forecast", "#ef6c00", totals("actual_forecast")),
        ],
        unit="m",
    )
    notes = visible(FinanceNote.objects.filter(programme=programme), who)
    return {"months": months, "rows": rows, "notes": notes, "chart": chart, "page": parties}


# -- MHHS Workstream Activity ------------------------------------------------------------------


def workstreams(request: Request, frame: MeetingFrame) -> Context:
    updates = visible(WorkstreamUpdate.objects.filter(programme=request.programme), request.who)
    return {"page": request.page(updates, 20)}


def code_drafting(request: Request, frame: MeetingFrame) -> Context:
    who, programme = request.who, request.programme
    milestones = request.page(
        visible(CodeDraftingMilestone.objects.filter(programme=programme), who), 25
    )
    risks = visible(RaidItem.objects.filter(programme=programme, log="code-drafting"), who)
    return {
        "page": milestones,
        "milestones": [
            {"milestone": m, "rag": m.status.lower() if m.status.lower() in RAG.values else ""}
            for m in milestones
        ],
        "risks": risks[:10] if milestones.number == 1 else [],
        "more_risks": risks.count() > 10 if milestones.number == 1 else False,
        "sections": _sections(request, frame, "code-drafting-status"),
    }


def narrative(*slugs: str, tracker: str = "") -> Builder:
    def build(request: Request, frame: MeetingFrame) -> Context:
        return {
            "sections": _sections(request, frame, *slugs),
            "metrics": _metrics(request, tracker) if tracker else [],
        }

    return build


def industry_change(request: Request, frame: MeetingFrame) -> Context:
    items = visible(HorizonItem.objects.filter(programme=request.programme), request.who)
    metrics = _metrics(request, "horizon-scanning")
    groups: dict[str, list[TrackerMetric]] = defaultdict(list)
    for metric in metrics:
        if metric.group and not metric.total_of:
            groups[metric.group].append(metric)
    charts = [
        bar_chart(
            group.replace("-", " ").capitalize(), [Bar(m.label, float(m.value or 0)) for m in parts]
        )
        for group, parts in groups.items()
    ]
    return {
        "page": request.page(items, 25),
        "metrics": metrics,
        "charts": charts,
        "sections": _sections(request, frame, "industry-horizon-scanning"),
    }


def assurance(request: Request, frame: MeetingFrame) -> Context:
    activities = visible(AssuranceActivity.objects.filter(programme=request.programme), request.who)
    stages: dict[str, list[AssuranceActivity]] = defaultdict(list)
    for activity in activities:
        stages[activity.stage].append(activity)
    return {
        "stages": dict(stages),
        "metrics": _metrics(request, "assurance"),
        "sections": _sections(request, frame, "independent-programme-assurance"),
    }


# -- Milestones --------------------------------------------------------------------------------


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "—"


def milestones(request: Request, frame: MeetingFrame) -> Context:
    who, programme = request.who, request.programme
    query = visible(Milestone.objects.filter(programme=programme), who)
    body = request.query.get("body", "")
    if body:
        query = query.filter(governing_body=body)
    page = request.page(query.order_by("order", "code"), 50)
    before = previous_state(programme, Milestone, (m.pk for m in page), frame.previous_cutoff, who)
    calendar = calendar_for(programme.calendar_country, programme.calendar_subdivision or None)
    tolerances = RulesConfig.of(programme).tolerances
    base = reverse("web:register-item", args=[programme.code, "milestones", 0])[:-2]
    link = who.may(Can.READ_REGISTERS)
    rows = []
    for milestone in page:
        slip = derive.slip(milestone.baseline_date, milestone.forecast_date, calendar)
        achieved = milestone.rag in ("blue", "grey") or milestone.actual_date is not None
        previous = before.get(milestone.pk)
        suggested = derive.suggested_rag(slip, achieved=achieved, tolerances=tolerances)
        code = (
            format_html('<a href="{}{}/">{}</a>', base, milestone.pk, milestone.code)
            if link
            else milestone.code
        )
        # Rendered here, not in a template loop: fifty rows of ten cells each.
        rows.append(
            format_html(
                '<td class="nowrap">{}</td><td>{}</td><td>{}</td><td class="nowrap">{}</td>'
                '<td class="nowrap">{}</td><td class="num">{}</td><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td>",
                code,
                milestone.title,
                milestone.governing_body,
                _day(milestone.baseline_date),
                _day(milestone.forecast_date),
                "—" if slip is None else slip,
                badge(previous.rag if previous else None),
                badge(milestone.rag),
                badge(suggested),
                badge(milestone.forecast_rag),
            )
        )
    bodies = sorted(
        set(
            visible(Milestone.objects.filter(programme=programme), who).values_list(
                "governing_body", flat=True
            )
        )
        - {""}
    )
    chart = bar_chart("Milestones on this page by RAG", _rag_bars(m.rag for m in page))
    return {"rows": rows, "page": page, "bodies": bodies, "body": body, "chart": chart}


DASHBOARDS: tuple[Dashboard, ...] = (
    Dashboard(
        "risk-themes",
        "Risk Themes",
        "MHHS Programme Status",
        "Provide a high-level view of Programme Risks",
        risk_themes,
    ),
    Dashboard(
        "change-control",
        "Change Control",
        "MHHS Programme Status",
        "Update on the status of Change Requests",
        change_control,
    ),
    Dashboard(
        "sit-status",
        "SIT Status",
        "Industry Delivery Status",
        "Provide the status of SIT participants",
        sit_status,
    ),
    Dashboard(
        "core-providers",
        "Core Capability Provider Delivery Plans",
        "Industry Delivery Status",
        "Provide an overview of core capability providers' delivery plans and progress "
        "against them",
        core_providers,
        "reports",
    ),
    Dashboard(
        "ldso-status",
        "LDSO Status",
        "Industry Delivery Status",
        "Provide the combined status and progress of LDSO delivery (DNOs and iDNOs)",
        ldso_status,
        "reports",
    ),
    Dashboard(
        "finances",
        "Central Party Finances",
        "Industry Delivery Status",
        "Provide high level Central Party forecast of expenditure against plan",
        finances,
    ),
    Dashboard(
        "workstreams",
        "SI Workstream Update",
        "MHHS Workstream Activity",
        "Update on activity and progress in the Design Management, Testing and "
        "Transition workstreams",
        workstreams,
    ),
    Dashboard(
        "code-drafting",
        "Code Drafting Status",
        "MHHS Workstream Activity",
        "Update on the progress of Code Drafting against the Code Draft plan",
        code_drafting,
    ),
    Dashboard(
        "ftig-sit-outlook",
        "FTIG Update & SIT Outlook",
        "MHHS Workstream Activity",
        "Update on the progress of FTIG and progress in preparation for SIT",
        narrative("ftig-and-sit-outlook"),
        "narrative",
    ),
    Dashboard(
        "advisory-groups",
        "Level 3 Advisory Group Updates",
        "MHHS Workstream Activity",
        "Update on key discussion items and outcomes from recent Level 3 Advisory Groups",
        narrative("governance-group-updates", "wider-programme-updates"),
        "narrative",
    ),
    Dashboard(
        "participant-communications",
        "PPC Activity",
        "MHHS Workstream Activity",
        "Provide information on PPC activity and participant engagement",
        narrative("ppc-activity", tracker="ppc"),
        "narrative",
    ),
    Dashboard(
        "industry-change",
        "Industry Change",
        "MHHS Workstream Activity",
        "Summarise items raised to the Programme horizon scanning process",
        industry_change,
    ),
    Dashboard(
        "assurance",
        "Independent Programme Assurance (IPA)",
        "Assurance",
        "Provide a progress update on in-flight and planned assurance activities",
        assurance,
    ),
    Dashboard(
        "milestones",
        "Milestones",
        "Programme Plan",
        "Milestones with baseline and forecast, slip in working days, previous RAG and "
        "the RAG the tolerances suggest",
        milestones,
    ),
)

BY_SLUG: dict[str, Dashboard] = {d.slug: d for d in DASHBOARDS}


def build(dashboard: Dashboard, request: Request) -> Context:
    frame = meeting_frame(request.programme, request.who)
    return {"dashboard": dashboard, "frame": frame, **dashboard.build(request, frame)}
