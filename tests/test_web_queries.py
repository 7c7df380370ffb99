"""Query-count budgets: every dashboard and register list answers in a fixed number of
queries, which does not grow with the number of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from steerco.changes.models import ChangeRequest
from steerco.core.history import acting
from steerco.core.models import Programme
from steerco.dashboards import confidence
from steerco.milestones.models import Milestone
from steerco.organisations.models import MarketRole, RoleParticipation
from steerco.raid.models import MitigationStep, RaidItem, RaidTheme
from steerco.registers import PAGES as REGISTERS
from steerco.reports.models import DeliveryReport, ReportMilestone
from steerco.trackers.models import HorizonItem, WorkstreamUpdate
from steerco.web.dashboards import DASHBOARDS
from tests.web_support import Cast, make_cast

pytestmark = pytest.mark.django_db

BUDGET = 15
# The milestones dashboard also reads every milestone's history over the meetings (its
# derived confidence: steerco.dashboards.confidence): one query per model read and per parent
# the audience's access is decided by, whatever the number of meetings, milestones or reports.
# The executive summary reads that history too (the milestones least likely to hold), beside
# its own fifteen (the trend reads earlier meetings' states).
BUDGETS = {"milestones": BUDGET + 7, "summary": BUDGET + 11}
PAGES = [("web:dashboard", d.slug) for d in DASHBOARDS] + [
    ("web:register-list", r.slug) for r in REGISTERS
]


@pytest.fixture
def cast() -> Cast:
    return make_cast()


@pytest.fixture(autouse=True)
def _histories_computed_afresh() -> None:
    """Each page is measured computing the milestones' history and confidence afresh, not
    from a computation kept from an earlier request (the most a page asks)."""
    confidence.forget()


def url(name: str, slug: str) -> str:
    return reverse(name, args=["mhhs", slug])


def more_rows(programme: Programme, n: int = 12) -> None:
    """Add rows to the registers the pages list, each with its children."""
    theme = RaidTheme.objects.get(programme=programme, number=1)
    report = DeliveryReport.objects.filter(programme=programme, kind="core provider").first()
    role = MarketRole.objects.filter(programme=programme).first()
    assert report and role
    with acting("tests", "more rows"):
        for i in range(n):
            item = RaidItem.objects.create(
                programme=programme,
                ref=f"RX{i}",
                theme=theme,
                description="extra",
                current_score=5,
                log="key-risks",
            )
            MitigationStep.objects.create(item=item, order=1, text="step")
            Milestone.objects.create(
                programme=programme,
                code=f"T3-XX-{i:04d}",
                title="extra",
                baseline_date=dt.date(2024, 1, 2),
                rag="green",
            )
            ChangeRequest.objects.create(programme=programme, ref=f"CRX{i}", title="extra")
            ReportMilestone.objects.create(report=report, order=50 + i, name="extra")
            RoleParticipation.objects.create(market_role=role, order=50 + i, stated_name="X")
            HorizonItem.objects.create(programme=programme, order=50 + i, code=f"H{i}")
            WorkstreamUpdate.objects.create(programme=programme, order=50 + i, workstream="X")


@pytest.mark.parametrize(("name", "slug"), PAGES)
def test_each_dashboard_and_list_stays_within_its_query_budget(
    cast: Cast, name: str, slug: str, django_assert_max_num_queries: Any
) -> None:
    client = cast.client("dcc")
    with django_assert_max_num_queries(BUDGETS.get(slug, BUDGET)):
        assert client.get(url(name, slug)).status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_number_of_rows(cast: Cast) -> None:
    client = cast.client("pmo")

    def counts() -> dict[str, int]:
        found = {}
        for name, slug in PAGES:
            confidence.forget()
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url(name, slug)).status_code == 200
            found[slug] = len(queries)
        return found

    before = counts()
    more_rows(cast.programme)
    assert counts() == before
