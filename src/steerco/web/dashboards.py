"""The delivery dashboards (and milestones) as web pages: each page shows a page of what its
computation in ``steerco.dashboards`` found, over the live state as the viewing person may
see it (``steerco.rules.frame.live``), with "previous" values as of the meeting before the
programme's current one. The pack renders the same computations whole.

Here only what a web page adds: paging, links to the register pages, and the charts and
badges drawn from the computed data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from steerco import charts
from steerco.accounts.access import Can, Principal
from steerco.changes.models import ChangeRequest
from steerco.core.colours import badge_html
from steerco.core.models import Programme
from steerco.dashboards import BY_SLUG, DASHBOARDS, Dashboard
from steerco.dashboards.basis import Status, rag_bars
from steerco.dashboards.milestones import timeline_svg
from steerco.dashboards.summary import AT_RISK_RULE, DUE_RULE
from steerco.milestones.models import Milestone
from steerco.raid.models import RaidItem
from steerco.reports.models import DeliveryReport
from steerco.rules.frame import Frame, live
from steerco.web.templatetags.steerco_web import badge

Context = dict[str, Any]

__all__ = ["BY_SLUG", "DASHBOARDS", "Dashboard", "Request", "build", "template_name"]


@dataclass(frozen=True)
class Request:
    """What a page needs to know about the request."""

    programme: Programme
    who: Principal
    query: Mapping[str, str]

    def page(self, items: Sequence[Any], per_page: int) -> Page[Any]:
        return Paginator(items, per_page).get_page(self.query.get("page"))

    @property
    def links(self) -> bool:
        return self.who.may(Can.READ_REGISTERS)


Pager = Callable[[Request, Frame, Any], Context]

TEMPLATES = {"core-providers": "reports", "ldso-status": "reports"} | {
    slug: "narrative"
    for slug in ("ftig-sit-outlook", "advisory-groups", "participant-communications")
}


def template_name(dashboard: Dashboard) -> str:
    return f"web/dashboards/{TEMPLATES.get(dashboard.slug, dashboard.slug)}.html"


def svg(chart: str) -> SafeString:
    """A chart in its box, which scrolls sideways on a screen narrower than the chart rather
    than shrinking its labels below legibility (steerco.css)."""
    # steerco.charts escapes every text it draws.
    return mark_safe(f'<div class="chart-box">{chart}</div>')


def status_badge(status: Status | None) -> SafeString:
    """A tracker's status word on its colour (a RAG word as the RAG's badge)."""
    if status is None:
        return badge(None)
    if status.rag and status.label.lower() == status.rag:
        return badge(status.rag)
    return badge_html(status.label, status.colour)


def _ids(
    request: Request, model: type[models.Model], key: str, values: Iterable[Any]
) -> dict[Any, int]:
    """Natural key → id of the records on a page, for links to their register pages (only
    for those who may read the registers; the register page decides access again)."""
    wanted = set(values)
    if not request.links or not wanted:
        return {}
    found = model._default_manager.filter(
        programme=request.programme, **{f"{key}__in": wanted}
    ).values_list(key, "pk")
    return dict(found)


def _urls(request: Request, register: str, ids: Mapping[Any, int]) -> dict[Any, str]:
    """Natural key → the register page of each record in ``ids`` (one reverse, not one per
    row: a page of fifty milestones)."""
    if not ids:
        return {}
    base = reverse("web:register-item", args=[request.programme.code, register, 0])[:-2]
    return {key: f"{base}{pk}/" for key, pk in ids.items()}


# -- MHHS Programme Status ---------------------------------------------------------------------


def summary(request: Request, frame: Frame, found: Any) -> Context:
    before = found.previous or "the last meeting"
    return {
        "milestone_groups": (
            (f"Milestones achieved since {before}", found.achieved),
            (f"Milestones slipped since {before}", found.slipped),
            ("Milestones at risk", found.at_risk),
        ),
        "at_risk_rule": AT_RISK_RULE,
        "due_rule": DUE_RULE,
    }


def risk_themes(request: Request, frame: Frame, found: Any) -> Context:
    page = request.page(list(zip(found.themes, found.bars, strict=True)), 3)
    themes = [theme for theme, _ in page]
    urls = _urls(
        request, "raid", _ids(request, RaidItem, "ref", (r.ref for t in themes for r in t.risks))
    )
    title = "Key risks listed under each theme (bar colour and label: the theme's RAG)"
    return {
        "themes": [(theme, [(r, urls.get(r.ref, "")) for r in theme.risks]) for theme in themes],
        "page": page,
        "chart": svg(charts.bar_chart(title, [bar for _, bar in page])),
    }


def change_control(request: Request, frame: Frame, found: Any) -> Context:
    page = request.page(found.changes, 25)
    urls = _urls(request, "changes", _ids(request, ChangeRequest, "ref", (c["ref"] for c in page)))
    return {
        "page": page,
        "changes": [(c, urls.get(c["ref"], "")) for c in page],
        "chart": svg(charts.bar_chart("Change requests by approval status", found.by_status)),
    }


# -- Industry Delivery Status ------------------------------------------------------------------


def sit_status(request: Request, frame: Frame, found: Any) -> Context:
    page = request.page(list(dict.fromkeys(r.constituency for r in found.roles)), 10)
    shown = set(page)
    return {"page": page, "roles": [r for r in found.roles if r.constituency in shown]}


def reports(request: Request, frame: Frame, found: Any) -> Context:
    page = request.page(found.reports, 10)
    ids: dict[Any, int] = {}
    if request.links and frame.current is not None:
        names = [r.row["organisation"] for r in page]
        ids = dict(
            DeliveryReport.objects.filter(
                programme=request.programme, meeting=frame.current, organisation__name__in=names
            ).values_list("organisation__name", "pk")
        )
    urls = _urls(request, "reports", ids)
    title = "Overall RAG of the reports on this page"
    return {
        "page": page,
        "reports": [(r, urls.get(r.row["organisation"], "")) for r in page],
        "chart": svg(charts.bar_chart(title, rag_bars([r.overall for r in page]))),
    }


def finances(request: Request, frame: Frame, found: Any) -> Context:
    page = request.page(list(dict.fromkeys(r.party for r in found.rows)), 8)
    shown = set(page)
    names = list(found.parties)
    chart = charts.grouped_bar_chart(
        "Sum of known months by party (£m)", names, found.totals, width=720, height=260, unit=""
    )
    return {
        "page": page,
        "rows": [r for r in found.rows if r.party in shown],
        "chart": svg(chart),
    }


# -- MHHS Workstream Activity ------------------------------------------------------------------


def workstreams(request: Request, frame: Frame, found: Any) -> Context:
    return {"page": request.page(found.updates, 20)}


def code_drafting(request: Request, frame: Frame, found: Any) -> Context:
    page = request.page(found.milestones, 25)
    first = page.number == 1
    return {
        "page": page,
        "milestones": [(m, status_badge(m.status)) for m in page],
        "risks": found.risks[:10] if first else (),
        "more_risks": len(found.risks) > 10 if first else False,
    }


def narrative(request: Request, frame: Frame, found: Any) -> Context:
    return {}


def breakdown_charts(found: Any) -> list[SafeString]:
    return [svg(charts.bar_chart(b.title, b.bars)) for b in found.breakdowns]


def industry_change(request: Request, frame: Frame, found: Any) -> Context:
    return {"page": request.page(found.items, 25), "charts": breakdown_charts(found)}


def assurance(request: Request, frame: Frame, found: Any) -> Context:
    stages = [(stage, [(a, status_badge(a.status)) for a in acts]) for stage, acts in found.stages]
    return {"stages": stages, "charts": breakdown_charts(found)}


# -- Milestones --------------------------------------------------------------------------------


def _day(day: dt.date | None) -> str:
    return f"{day.day} {day:%b %Y}" if day else "—"


def milestones(request: Request, frame: Frame, found: Any) -> Context:
    body = request.query.get("body", "")
    listed = [m for m in found.milestones if not body or m.governing_body == body]
    page = request.page(listed, 50)
    urls = _urls(request, "milestones", _ids(request, Milestone, "code", (m.code for m in page)))
    rows = []
    for m in page:
        url = urls.get(m.code, "")
        code = format_html('<a href="{}">{}</a>', url, m.code) if url else m.code
        # Rendered here, not in a template loop: fifty rows of ten cells each.
        rows.append(
            format_html(
                '<td class="nowrap">{}</td><td>{}</td><td>{}</td><td class="nowrap">{}</td>'
                '<td class="nowrap">{}</td><td class="num">{}</td><td>{}</td><td>{}</td>'
                "<td>{}</td><td>{}</td>",
                code,
                m.title,
                m.governing_body,
                _day(m.baseline),
                _day(m.forecast),
                "—" if m.slip is None else m.slip,
                badge(m.previous_rag),
                badge(m.rag),
                badge(m.suggested_rag),
                badge(m.forecast_rag),
            )
        )
    chart = charts.bar_chart("Milestones on this page by RAG", rag_bars([m.rag for m in page]))
    return {
        "rows": rows,
        "page": page,
        "bodies": found.bodies,
        "body": body,
        "chart": svg(chart),
        "timeline": svg(timeline_svg(found, f"Today {_day(found.today)}")) if found.lanes else "",
        "least_credible": _least_credible(request, found.least_credible),
    }


def _least_credible(request: Request, least: Sequence[Any]) -> list[SafeString]:
    """Rows of the milestones whose derived confidence is lowest, each linked to its page
    (a programme milestone's) and flagged where it disagrees with the stated confidence."""
    ids = {m.key: m.record_id for m in least if m.record_id is not None}
    urls = _urls(request, "milestones", ids if request.links else {})  # ids known: no query
    rows = []
    for m in least:
        url = urls.get(m.key, "")
        name = format_html('<a href="{}">{}</a>', url, m.key) if url else m.key
        judgement = m.judgement
        stated = judgement.stated.capitalize() or "—"
        if judgement.disagrees:
            stated = format_html("<strong>{} (disagrees)</strong>", stated)
        rows.append(
            format_html(
                '<td>{}</td><td>{}</td><td class="nowrap">{}</td><td class="num">{}</td>'
                '<td class="num">{}%</td><td>{}</td><td>{}</td><td>{}</td>',
                name,
                m.party or "—",
                _day(m.forecast),
                m.history.reforecasts,
                m.percent,
                judgement.estimate.band.label if judgement.estimate else "—",
                stated,
                judgement.reason,
            )
        )
    return rows


PAGES: dict[str, Pager] = {
    "summary": summary,
    "risk-themes": risk_themes,
    "change-control": change_control,
    "sit-status": sit_status,
    "core-providers": reports,
    "ldso-status": reports,
    "finances": finances,
    "workstreams": workstreams,
    "code-drafting": code_drafting,
    "ftig-sit-outlook": narrative,
    "advisory-groups": narrative,
    "participant-communications": narrative,
    "industry-change": industry_change,
    "assurance": assurance,
    "milestones": milestones,
}


def build(dashboard: Dashboard, request: Request) -> Context:
    frame = live(request.programme, request.who)
    found = dashboard.compute(frame)
    return {
        "dashboard": dashboard,
        "frame": frame,
        "found": found,
        **PAGES[dashboard.slug](request, frame, found),
    }
