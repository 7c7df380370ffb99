"""Data the portal tests share: the next meeting made current-period (its cut-off in the
future, as it is while participants report), a RAID submission raised by DCC's contact,
an open readiness round with DCC's answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from steerco.core.history import acting
from steerco.core.models import Meeting, Programme
from steerco.organisations.models import Organisation
from steerco.portal import services
from steerco.portal.models import AssessmentResponse, RaidSubmission
from steerco.trackers.models import ReadinessRound
from tests.web_support import Cast, make_cast

PORTAL_PARAMS = ("report", "submission", "round", "response")


def portal_cast() -> Cast:
    """The web personas, with the next meeting open for reporting."""
    made = make_cast()
    open_next_period(made.programme)
    return made


def url(name: str, *args: Any) -> str:
    """A portal page of the MHHS programme."""
    return reverse(f"portal:{name}", args=["mhhs", *args])


def open_next_period(programme: Programme) -> Meeting:
    """PSG-25, the open meeting after the current PSG-24, with its date ahead."""
    meeting = Meeting.objects.get(programme=programme, code="PSG-25")
    assert meeting.state == "open" and meeting.cutoff is None
    meeting.date = timezone.localdate() + dt.timedelta(days=15)
    with acting("tests", "the next meeting is ahead"):
        meeting.save()
    return meeting


def raise_submission(cast: Cast, key: str = "dcc", title: str = "DCC test data late") -> Any:
    user = cast.users[key]
    organisation = user.membership.organisation  # type: ignore[attr-defined]
    with acting("tests", "portal sample"):
        return RaidSubmission.objects.create(
            programme=cast.programme,
            organisation=organisation,
            raised_by=user,
            raised_by_name=user.get_username(),
            type="risk",
            title=title,
            description=f"{title}: only {key} and the PMO may see this",
        )


def open_round(programme: Programme) -> ReadinessRound:
    today = timezone.localdate()
    with acting("tests", "portal sample"):
        return services.open_round(
            programme,
            {
                "code": "RA4",
                "title": "Readiness assessment 4",
                "opens": today - dt.timedelta(days=1),
                "closes": today + dt.timedelta(days=7),
            },
            [("Is your SIT environment ready?", True), ("Who leads your testing?", False)],
        )


def answer_round(round_: ReadinessRound, organisation_name: str, text: str) -> AssessmentResponse:
    organisation = Organisation.objects.get(programme=round_.programme, name=organisation_name)
    answers = {q.pk: ("amber" if q.asks_rag else "", text) for q in round_.questions.all()}  # type: ignore[attr-defined]
    with acting("tests", "portal sample"):
        return services.answer(round_, organisation, answers)


def portal_values(param: str, cast: Cast) -> list[dict[str, Any]]:
    """Sample values for the portal's URL parameters (the access matrix)."""
    if param == "report":
        return [{"report": cast.draft.pk}]
    if param == "submission":
        return [{"submission": raise_submission(cast).pk}]
    round_ = ReadinessRound.objects.filter(programme=cast.programme, code="RA4").first()
    round_ = round_ or open_round(cast.programme)
    if param == "round":
        return [{"round": round_.pk}]
    return [{"response": answer_round(round_, "DCC", "DCC's confidential answer").pk}]


def form_data(report: Any, **changes: str) -> dict[str, str]:
    """What the report's edit page posts when nothing is changed, then ``changes``."""
    from steerco.portal.forms import report_forms

    form, formsets = report_forms(report)
    data: dict[str, str] = {}
    for each in [form, *(f for fs in formsets for f in fs.forms)]:
        for name in each.fields:
            value = each[name].value()
            if value is None or value is False:
                continue
            data[each[name].html_name] = "on" if value is True else str(value)
    for formset in formsets:
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = str(management[name].value())
    data.update(changes)
    return data
