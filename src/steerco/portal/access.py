"""Who may do what in the portal, built on steerco.accounts.access (the one place that
decides what a principal sees): every read here goes through its ``visible`` and
``get_or_refuse``; this module only adds the portal's own narrower rules.

- A delivery report is worked on in the portal by its own organisation's contacts and
  reviewed by the PMO (whoever may edit registers); no one else reaches its portal pages.
- A RAID submission is seen by the PMO and by the person who raised it.
- Readiness answers are the answering organisation's and the PMO's.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from steerco.accounts.access import Can, Principal, get_or_refuse, require, visible
from steerco.accounts.choices import Role
from steerco.core.models import Programme
from steerco.organisations.models import Organisation
from steerco.portal.models import AssessmentResponse, RaidSubmission
from steerco.reports.models import DeliveryReport
from steerco.trackers.models import ReadinessRound


def is_pmo(who: Principal) -> bool:
    return who.may(Can.EDIT_REGISTERS)


def require_pmo(who: Principal) -> None:
    require(who, Can.EDIT_REGISTERS)


def require_signed_in(who: Principal) -> None:
    """The portal is for the programme's people, signed in: not for the public, who know
    the programme only from what it publishes."""
    if not who.is_authenticated:
        raise PermissionDenied("Sign in to use the portal.")
    if who.role is Role.PUBLIC:
        raise PermissionDenied("The portal is for the programme's participants and members.")


def contact_organisation(who: Principal, programme: Programme) -> Organisation:
    """The organisation a participant contact speaks for; refused for everyone else."""
    if who.role is not Role.PARTICIPANT or who.organisation_id is None:
        raise PermissionDenied("Only a participant contact reports for an organisation.")
    organisations = Organisation.objects.filter(programme=programme)
    return get_or_refuse(organisations, who, pk=who.organisation_id)


def reports(who: Principal, programme: Programme) -> QuerySet[DeliveryReport]:
    """The reports ``who`` works on in the portal: all for the PMO, its own otherwise."""
    found = visible(DeliveryReport.objects.filter(programme=programme), who)
    if is_pmo(who):
        return found
    if who.role is Role.PARTICIPANT and who.organisation_id is not None:
        return found.filter(organisation_id=who.organisation_id)
    return found.none()


def report_or_refuse(who: Principal, programme: Programme, pk: int) -> DeliveryReport:
    return get_or_refuse(reports(who, programme), who, pk=pk)


def may_write(who: Principal, report: DeliveryReport) -> bool:
    """Only the report's own organisation drafts, fixes and submits it."""
    return who.role is Role.PARTICIPANT and who.organisation_id == report.organisation_id


def submissions(who: Principal, programme: Programme) -> QuerySet[RaidSubmission]:
    found = RaidSubmission.objects.filter(programme=programme)
    if is_pmo(who):
        return visible(found, who)
    if not who.is_authenticated:
        return found.none()
    return found.filter(raised_by_id=who.user_id)  # one's own, whatever one's role


def submission_or_refuse(who: Principal, programme: Programme, pk: int) -> RaidSubmission:
    try:
        return submissions(who, programme).get(pk=pk)
    except (RaidSubmission.DoesNotExist, ValueError):
        raise Http404("No such submission, or not one you may see.") from None


def round_or_refuse(who: Principal, programme: Programme, pk: int) -> ReadinessRound:
    return get_or_refuse(ReadinessRound.objects.filter(programme=programme), who, pk=pk)


def responses(who: Principal, round_: ReadinessRound) -> QuerySet[AssessmentResponse]:
    found = visible(AssessmentResponse.objects.filter(round=round_), who)
    if is_pmo(who):
        return found
    return found.filter(organisation_id=who.organisation_id or -1)
