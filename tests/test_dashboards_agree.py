"""The web pages and the pack show the same derived values and states: for every dashboard in
``steerco.dashboards.DASHBOARDS``, for PSG-24 of the MHHS example, as the PMO and as DCC's
participant contact. Each dashboard is computed once from the pack's frame for that audience;
every value it names must appear in the pack's HTML (built from the same frame) and in the
web page the same person sees (every page of it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape

from steerco.accounts.access import principal_of
from steerco.accounts.personas import ensure_personas
from steerco.core.history import acting
from steerco.core.models import Meeting, Programme
from steerco.dashboards import BY_SLUG, DASHBOARDS
from steerco.dashboards.basis import UNKNOWN, rag_label
from steerco.pack.builder import build_document
from steerco.pack.editions import AUDIENCES, Edition
from steerco.pack.html import render_html
from steerco.rules.frame import build

pytestmark = pytest.mark.django_db

PERSONAS = {"pmo": Edition.PMO, "dcc": Edition.PARTICIPANTS}


def _risk_themes(found: Any) -> Iterator[str]:
    for theme in found.themes:
        yield f"Risk theme {theme.number}: {theme.title}"
        yield rag_label(theme.rag)
        for risk in theme.risks:
            yield from (risk.ref, risk.movement)


def _change_control(found: Any) -> Iterator[str]:
    for change in found.changes:
        yield from (change["ref"], change["title"])


def _sit_status(found: Any) -> Iterator[str]:
    yield from (p["stated_name"] for p in found.providers)
    yield from (a["area"] for a in found.areas)
    yield from (role.verdict for role in found.roles)


def _reports(found: Any) -> Iterator[str]:
    yield from (p["stated_name"] for p in found.readiness)
    for report in found.reports:
        yield from (report.title, rag_label(report.overall))
        if report.previous_overall:
            yield rag_label(report.previous_overall)


def _finances(found: Any) -> Iterator[str]:
    for row in found.rows:
        yield row.label
        yield UNKNOWN if row.derived_total is None else f"{row.derived_total:,.2f}"


def _workstreams(found: Any) -> Iterator[str]:
    yield from (w["workstream"] for w in found.updates)
    yield from (f.text for _, figures in found.figures for f in figures)


def _code_drafting(found: Any) -> Iterator[str]:
    for milestone in found.milestones:
        yield milestone.name
        if milestone.status:
            yield from (milestone.status.label, milestone.status.colour)
    yield from (r["ref"] for r in found.risks[:10])


def _narrative(found: Any) -> Iterator[str]:
    yield from (f.text for f in found.figures)
    yield from (r["title"] for r in found.rounds)


def _industry_change(found: Any) -> Iterator[str]:
    for group in found.breakdowns:
        yield group.title
        yield from (bar.label for bar in group.bars)
        if any(bar.value is None for bar in group.bars):
            yield UNKNOWN
    yield from (f.text for f in found.figures)
    yield from (i["code"] for i in found.items)


def _assurance(found: Any) -> Iterator[str]:
    for _, activities in found.stages:
        for activity in activities:
            yield activity.title
            if activity.status:
                yield from (activity.status.label, activity.status.colour)
    yield from (group.title for group in found.breakdowns)


def _summary(found: Any) -> Iterator[str]:
    yield rag_label(found.rag)
    yield from (p.meeting for p in found.trend)
    for milestone in (*found.achieved, *found.slipped, *found.at_risk):
        yield from (milestone.code, milestone.title)
    for risk in found.risks:
        yield from (risk.ref, risk.movement)
    yield from (d.title for d in found.decisions)
    yield from (a.ref for a in found.actions)
    yield from (r.organisation for r in found.returns)
    yield f"{found.received} of {len(found.returns)} due"
    yield found.milestone_counts


def _milestones(found: Any) -> Iterator[str]:
    for milestone in found.milestones:
        yield from (milestone.code, milestone.title)


VALUES: dict[str, Callable[[Any], Iterator[str]]] = {
    "summary": _summary,
    "risk-themes": _risk_themes,
    "change-control": _change_control,
    "sit-status": _sit_status,
    "core-providers": _reports,
    "ldso-status": _reports,
    "finances": _finances,
    "workstreams": _workstreams,
    "code-drafting": _code_drafting,
    "ftig-sit-outlook": _narrative,
    "advisory-groups": _narrative,
    "participant-communications": _narrative,
    "industry-change": _industry_change,
    "assurance": _assurance,
    "milestones": _milestones,
}


def test_every_dashboard_in_the_list_has_its_values_compared() -> None:
    assert set(VALUES) == set(BY_SLUG)


class Seen:
    """One persona's pack HTML and web pages, built once per persona."""

    def __init__(self, persona: str, user: Any) -> None:
        programme = Programme.objects.get(code="mhhs")
        meeting = Meeting.objects.get(programme=programme, code="PSG-24")
        self.frame = build(programme, meeting, who=principal_of(user))
        audience = AUDIENCES[PERSONAS[persona]]
        self.pack = render_html(build_document(self.frame, [], audience))
        self.client = Client(HTTP_HOST="localhost")
        self.client.force_login(user)

    def web(self, slug: str) -> str:
        """Every page of the dashboard, one after the other."""
        pages: list[str] = []
        while not pages or 'rel="next"' in pages[-1]:
            response = self.client.get(f"/p/mhhs/dashboards/{slug}/?page={len(pages) + 1}")
            assert response.status_code == 200
            pages.append(response.content.decode())
        return "".join(pages)


@pytest.fixture(scope="module")
def seen(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Seen]]:
    with django_db_blocker.unblock():
        programme = Programme.objects.get(code="mhhs")
        with acting("tests", "personas"):
            accounts = {a.persona.key: a.user for a in ensure_personas(programme)}
        yield {persona: Seen(persona, accounts[persona]) for persona in PERSONAS}


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize("slug", [d.slug for d in DASHBOARDS])
def test_the_web_page_and_the_pack_show_the_same_derived_values(
    seen: dict[str, Seen], persona: str, slug: str
) -> None:
    one = seen[persona]
    found = BY_SLUG[slug].compute(one.frame)
    web = one.web(slug)
    values = list(VALUES[slug](found))
    missing_web = [v for v in values if escape(v) not in web]
    missing_pack = [v for v in values if escape(v) not in one.pack]
    assert (missing_web, missing_pack) == ([], [])


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_a_finance_total_off_its_printed_precision_is_flagged_on_both(
    seen: dict[str, Seen], persona: str
) -> None:
    one = seen[persona]
    found = BY_SLUG["finances"].compute(one.frame)
    flagged = sum(row.mismatch for row in found.rows)
    assert one.web("finances").count("≠ stated") == flagged
    assert one.pack.count("≠ as printed") == flagged


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_market_roles_meet_the_mvc_on_the_stated_count_on_both(
    seen: dict[str, Seen], persona: str
) -> None:
    one = seen[persona]
    found = BY_SLUG["sit-status"].compute(one.frame)
    below = [r for r in found.roles if r.meets_mvc is False]
    web, pack = one.web("sit-status"), one.pack
    for role in below:
        assert escape(role.verdict) in web and escape(role.verdict) in pack
    assert web.count("Below MVC by") == pack.count("Below MVC by") == len(below)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_dccs_quarter_is_one_merged_cell_and_ldso_unrated_dimensions_absent_on_both(
    seen: dict[str, Seen], persona: str
) -> None:
    one = seen[persona]
    merged = '<td class="num" colspan="3">£3.41</td>', '<td class="right" colspan="3">£3.41</td>'
    assert one.web("finances").count(merged[0]) == one.pack.count(merged[1]) == 4
    found = BY_SLUG["ldso-status"].compute(one.frame)
    unrated = sum(len(report.not_rated) for report in found.reports)
    assert unrated == 2 * len(found.reports)  # DNOs and IDNOs print no Stakeholders, Suppliers
    assert one.web("ldso-status").count(">not rated<") == unrated
