"""The portal's writes, each one transaction: start a report (from last month's), move it
through its statuses, triage a RAID submission, answer a readiness round, send reminders.

Views call these after checking access; the rules they apply live in steerco.portal.rules.
History rows are attributed by the web middleware (the signed-in user) and carry the
reason given here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from steerco import registers
from steerco.accounts.choices import Role
from steerco.accounts.models import Membership
from steerco.core.models import Meeting, Programme
from steerco.organisations.models import Organisation
from steerco.portal import rules
from steerco.portal.models import (
    AssessmentAnswer,
    AssessmentQuestion,
    AssessmentResponse,
    RaidSubmission,
    Reminder,
    ReportComment,
    Triage,
)
from steerco.raid.models import RaidItem
from steerco.reports.models import (
    DeliveryReport,
)
from steerco.trackers.models import ReadinessRound

# A report's children and the fields "start from last month's" carries over.
# What a participant reports inside its report (`steerco.registers`), not the PMO's review.
CHILDREN: tuple[tuple[str, type[models.Model]], ...] = tuple(
    (child.accessor, child.model)
    for child in registers.BY_SLUG["reports"].children
    if not child.review
)
REPORT_FIELDS = (
    "classification",
    "kind",
    "overall_rag",
    *(f"{d}_rag" for d in rules.DIMENSIONS),
    "progress_last_month",
    "progress_next_month",
    "notes",
    "order",
)


def _saved(record: models.Model, reason: str) -> None:
    record._change_reason = reason  # type: ignore[attr-defined]
    record.save()


# -- the reporting period ----------------------------------------------------------------


def reporting_period(programme: Programme) -> Meeting | None:
    meetings = list(Meeting.objects.filter(programme=programme))
    code = rules.reporting_meeting(
        [rules.MeetingInfo(m.code, m.kind, m.date, m.state) for m in meetings],
        programme.current_meeting_code,
    )
    return next((m for m in meetings if m.code == code), None)


def previous_report(organisation: Organisation, meeting: Meeting) -> DeliveryReport | None:
    """The organisation's latest report for an earlier meeting (last month's): the
    published one where there is one."""
    earlier = DeliveryReport.objects.filter(
        organisation=organisation, meeting__date__lt=meeting.date
    ).order_by("-meeting__date", "-pk")
    return earlier.filter(status=rules.PUBLISHED).first() or earlier.first()


# -- delivery reports -------------------------------------------------------------------


def start_report(
    organisation: Organisation, meeting: Meeting, *, from_last: bool
) -> DeliveryReport:
    """The organisation's report for ``meeting``: the one already started, or a new draft,
    copied with all its children from last month's when ``from_last`` (so only what
    changed is typed)."""
    with transaction.atomic():
        existing = DeliveryReport.objects.filter(organisation=organisation, meeting=meeting)
        found = existing.select_for_update().first()
        if found is not None:
            return found
        source = previous_report(organisation, meeting) if from_last else None
        report = DeliveryReport(
            programme=meeting.programme,
            meeting=meeting,
            organisation=organisation,
            title=f"Monthly Delivery Report – {organisation.name} ({meeting.code})",
            status=rules.DRAFT,
            report_date=timezone.localdate(),
        )
        if source is None:
            top = DeliveryReport.objects.filter(meeting=meeting).aggregate(Max("order"))
            report.order = (top["order__max"] or 0) + 1
            report.kind = "core provider" if organisation.kind == "core_provider" else ""
            _saved(report, f"started for {meeting.code}")
            return report
        for name in REPORT_FIELDS:
            setattr(report, name, getattr(source, name))
        reason = f"started from {source.title} ({source.meeting.code})"
        _saved(report, reason)
        for accessor, _ in CHILDREN:
            for child in getattr(source, accessor).all():
                child.pk = None
                child._state.adding = True
                child.report = report
                _saved(child, reason)
        return report


def move(report: DeliveryReport, action: str, *, comment: str = "") -> DeliveryReport:
    """Submit, return or publish ``report``; a return carries the PMO's comment, which
    the participant sees. TransitionError (nothing written) when the move is not allowed."""
    with transaction.atomic():
        locked = DeliveryReport.objects.select_for_update().get(pk=report.pk)
        after = rules.transition(locked.status, action)
        if action == "submit":
            problems = rules.submission_problems({f: getattr(locked, f) for f in REPORT_FIELDS})
            if problems:
                raise rules.TransitionError(" ".join(problems.values()))
        if action == "return" and not comment.strip():
            raise rules.TransitionError("Say what to fix: a returned report needs a comment.")
        locked.status = after
        _saved(locked, f"{action}: {comment}".strip().rstrip(":"))
        if comment.strip():
            _saved(
                ReportComment(report=locked, author=_actor(), text=comment, status_after=after),
                f"{action} comment",
            )
        return locked


def _actor() -> str:
    from simple_history.models import HistoricalRecords

    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user.get_username() if user is not None and user.is_authenticated else "system"


# -- RAID input and triage --------------------------------------------------------------


def accept(submission: RaidSubmission, *, owner: str = "") -> RaidItem:
    """Accept into the RAID log with the next free ref of its type."""
    with transaction.atomic():
        locked = _pending(submission)
        refs = RaidItem.objects.filter(programme=locked.programme).values_list("ref", flat=True)
        item = RaidItem(
            programme=locked.programme,
            ref=rules.next_ref(refs, locked.type),
            type=locked.type,
            description=f"{locked.title}\n\n{locked.description}".strip(),
            impact=locked.impact,
            owner=owner or locked.proposed_owner,
            log="submitted",
        )
        _saved(item, f"accepted from RAID submission #{locked.pk} by {locked.raised_by_name}")
        _decide(locked, Triage.ACCEPTED, item, f"Accepted as {item.ref}.")
        return item


def merge(submission: RaidSubmission, item: RaidItem, reason: str) -> None:
    with transaction.atomic():
        locked = _pending(submission)
        _decide(locked, Triage.MERGED, item, reason or f"Merged into {item.ref}.")


def decline(submission: RaidSubmission, reason: str) -> None:
    if not reason.strip():
        raise rules.TransitionError("Give the reason the raiser will see.")
    with transaction.atomic():
        _decide(_pending(submission), Triage.DECLINED, None, reason)


def _pending(submission: RaidSubmission) -> RaidSubmission:
    locked = RaidSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Triage.PENDING:
        raise rules.TransitionError(f"Already triaged: {locked.get_status_display()}.")
    return locked


def _decide(submission: RaidSubmission, status: str, item: RaidItem | None, reason: str) -> None:
    submission.status = status
    submission.item = item
    submission.outcome_reason = reason
    submission.decided_by = _actor()
    submission.decided_at = timezone.now()
    _saved(submission, f"triage: {submission.get_status_display()}")


# -- readiness assessments ---------------------------------------------------------------


def open_round(
    programme: Programme, values: Mapping[str, Any], questions: Sequence[tuple[str, bool]]
) -> ReadinessRound:
    with transaction.atomic():
        round_ = ReadinessRound(programme=programme, **values)
        _saved(round_, "opened in the portal")
        for order, (text, asks_rag) in enumerate(questions, start=1):
            _saved(
                AssessmentQuestion(round=round_, order=order, text=text, asks_rag=asks_rag),
                "questionnaire",
            )
        return round_


def answer(
    round_: ReadinessRound, organisation: Organisation, answers: Mapping[int, tuple[str, str]]
) -> AssessmentResponse:
    """Save an organisation's answers (question id → (rag, text)), replacing earlier ones."""
    with transaction.atomic():
        response = AssessmentResponse.objects.select_for_update().filter(
            round=round_, organisation=organisation
        ).first() or AssessmentResponse(round=round_, organisation=organisation)
        response.submitted_by = _actor()
        _saved(response, "answered")
        existing = {a.question_id: a for a in response.answers.all()}
        for question in AssessmentQuestion.objects.filter(round=round_):
            rag, text = answers.get(question.pk, ("", ""))
            row = existing.get(question.pk) or AssessmentAnswer(
                response=response, question=question
            )
            if row.pk is None or (row.rag, row.text) != (rag, text):
                row.rag, row.text = rag, text
                _saved(row, "answered")
        return response


def pick_for_deep_dive(response: AssessmentResponse, picked: bool, reason: str) -> None:
    response.deep_dive = picked
    response.deep_dive_reason = reason if picked else ""
    _saved(response, "deep dive" if picked else "no deep dive")


def non_responders(round_: ReadinessRound) -> dict[int, str]:
    expected = expected_organisations(round_.programme)
    answered = set(
        AssessmentResponse.objects.filter(round=round_).values_list("organisation_id", flat=True)
    )
    return {org: name for org, name in expected.items() if org not in answered}


# -- late returns ------------------------------------------------------------------------


def expected_organisations(programme: Programme, meeting: Meeting | None = None) -> dict[int, str]:
    contacts = Membership.objects.filter(
        role=Role.PARTICIPANT, organisation__programme=programme
    ).values_list("organisation_id", "organisation__name")
    previous: Iterable[tuple[int, str]] = ()
    current = Meeting.objects.filter(
        programme=programme, code=programme.current_meeting_code
    ).first()
    if current is not None and current != meeting:
        previous = DeliveryReport.objects.filter(meeting=current).values_list(
            "organisation_id", "organisation__name"
        )
    return rules.expected_organisations(dict(previous), {o: n for o, n in contacts if o})


def returns(programme: Programme, meeting: Meeting) -> list[rules.Return]:
    statuses = dict(
        DeliveryReport.objects.filter(meeting=meeting).values_list("organisation_id", "status")
    )
    return rules.late_returns(expected_organisations(programme, meeting), statuses)


@dataclass(frozen=True)
class Sent:
    organisation: str
    recipients: tuple[str, ...]


def send_reminders(
    programme: Programme, meeting: Meeting, organisation_ids: Iterable[int], link: str
) -> list[Sent]:
    """E-mail each late organisation's participant contacts (Django's mail framework) and
    record the reminder; an organisation with no contact address is reported, not sent."""
    late = {r.organisation_id for r in returns(programme, meeting) if r.late}
    sent = []
    for organisation in Organisation.objects.filter(
        programme=programme, pk__in=set(organisation_ids) & late
    ):
        addresses = tuple(
            sorted(
                e
                for e in Membership.objects.filter(
                    role=Role.PARTICIPANT, organisation=organisation
                ).values_list("user__email", flat=True)
                if e
            )
        )
        if addresses:
            send_mail(
                f"{programme.name}: your delivery report for {meeting.code} is due",
                f"Dear {organisation.name} contact,\n\nYour monthly delivery report for "
                f"{meeting.code} ({meeting.date:%d %b %Y}) has not been submitted yet. "
                f"Please submit it in the portal: {link}\n\nThe PMO",
                None,
                list(addresses),
            )
            _saved(
                Reminder(
                    programme=programme,
                    meeting=meeting,
                    organisation=organisation,
                    sent_by=_actor(),
                    recipients="\n".join(addresses),
                ),
                "late return reminder",
            )
        sent.append(Sent(organisation.name, addresses))
    return sent
