"""Delivery reports in the portal: the participant drafts, fixes and submits its own; the
PMO reviews, returns with comments or publishes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from steerco.accounts.access import principal, programme_or_refuse
from steerco.portal import access, rules, services
from steerco.portal.forms import (
    ROWS,
    ReportForm,
    ReviewForm,
    check_dates,
    check_submission,
    report_forms,
    saved_forms,
)
from steerco.portal.history import report_history
from steerco.portal.models import RaidSubmission, Triage
from steerco.records.editing import version_of
from steerco.reports.models import DeliveryReport

SUBMITTING = "submit"  # the edit form's Submit button, and Submit sending the report back
NOT_SUBMITTED = "Not submitted, nothing saved: complete what is listed here, or save a draft."


@require_safe
def home(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    access.require_signed_in(who)
    found = programme_or_refuse(who, programme)
    period = services.reporting_period(found)
    context: dict[str, Any] = {"programme": found, "period": period, "pmo": access.is_pmo(who)}
    context["reports"] = access.reports(who, found).select_related("meeting", "organisation")
    context["reports"] = context["reports"].order_by("-meeting__cutoff", "organisation__name")
    if context["pmo"]:
        context["to_review"] = context["reports"].filter(status=rules.SUBMITTED)
        context["to_triage"] = access.submissions(who, found).filter(status=Triage.PENDING)
    context["mine"] = RaidSubmission.objects.none()
    if who.is_authenticated:
        context["mine"] = access.submissions(who, found).filter(raised_by_id=who.user_id)[:5]
    return render(request, "portal/home.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def report_new(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    organisation = access.contact_organisation(who, found)
    period = services.reporting_period(found)
    context: dict[str, Any] = {"programme": found, "period": period}
    context["organisation"] = organisation
    if period is None:
        return render(request, "portal/report_new.html", context, status=409)
    context["previous"] = services.previous_report(organisation, period)
    if request.method != "POST":
        return render(request, "portal/report_new.html", context)
    report = services.start_report(
        organisation, period, from_last=request.POST.get("start") != "blank"
    )
    return redirect("portal:report-edit", programme=found.code, report=report.pk)


@require_safe
def report_detail(request: HttpRequest, programme: str, report: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = access.report_or_refuse(who, found, report)
    return render(
        request,
        "portal/report.html",
        {
            "programme": found,
            "report": record,
            "rows": [(title, getattr(record, name).all()) for name, title, _ in ROWS],
            "comments": record.comments.all(),
            "history": report_history(record, who),
            "may_write": access.may_write(who, record) and rules.editable(record.status),
            "may_review": access.is_pmo(who) and record.status == rules.SUBMITTED,
            "review": ReviewForm(),
            "dimensions": [(d, getattr(record, f"{d}_rag")) for d in rules.DIMENSIONS],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report_edit(request: HttpRequest, programme: str, report: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = access.report_or_refuse(who, found, report)
    if not access.may_write(who, record):
        raise PermissionDenied("Only the report's own organisation edits it; the PMO reviews.")
    context: dict[str, Any] = {"programme": found, "report": record}
    if not rules.editable(record.status):
        context["refusal"] = f"The report is {record.get_status_display().lower()}."
        return render(request, "portal/report_edit.html", context, status=409)
    if request.method != "POST" and SUBMITTING in request.GET:
        # Sent back by Submit: what the report lacks, each beside its field.
        form, formsets = saved_forms(record)
        check_submission(form)
        context.update(form=form, formsets=_titled(formsets), heading=NOT_SUBMITTED)
        return render(request, "portal/report_edit.html", context)
    form, formsets = report_forms(record, request.POST if request.method == "POST" else None)
    context.update(form=form, formsets=_titled(formsets))
    if request.method != "POST":
        return render(request, "portal/report_edit.html", context)
    valid = form.is_valid() & all([f.is_valid() for f in formsets])
    check_dates(form, formsets)  # every error at once, not one round trip each
    if SUBMITTING in request.POST and not check_submission(form):
        context["heading"] = NOT_SUBMITTED
        valid = False
    valid = valid and not any(f.errors for fs in formsets for f in fs.forms)
    if valid and not _save(record, form, formsets):
        form.add_error(None, "Someone saved this report since you opened it: reload it.")
        valid = False
    if not valid:
        return render(request, "portal/report_edit.html", context, status=400)
    messages.success(request, "Saved.")
    if SUBMITTING in request.POST:
        return _move(request, found.code, record, "submit")
    return redirect("portal:report", programme=found.code, report=record.pk)


def _titled(formsets: list[Any]) -> list[tuple[str, Any]]:
    return list(zip([t for _, t, _ in ROWS], formsets, strict=True))


def _save(record: DeliveryReport, form: ReportForm, formsets: list[Any]) -> bool:
    """All of it or none of it; False when someone saved in between."""
    with transaction.atomic():
        locked = DeliveryReport.objects.select_for_update().get(pk=record.pk)
        if version_of(locked) != form.cleaned_data["version"] or not rules.editable(locked.status):
            return False
        record._change_reason = "edited in the portal"  # type: ignore[attr-defined]
        if form.has_changed():
            form.save()
        for formset in formsets:
            formset.save_rows()
    return True


@require_POST
def report_submit(request: HttpRequest, programme: str, report: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = access.report_or_refuse(who, found, report)
    if not access.may_write(who, record):
        raise PermissionDenied("Only the report's own organisation submits it.")
    lacking = rules.submission_problems({f: getattr(record, f) for f in services.REPORT_FIELDS})
    if rules.editable(record.status) and lacking:
        edit = reverse("portal:report-edit", args=[found.code, record.pk])
        return redirect(f"{edit}?{SUBMITTING}=1")
    return _move(request, found.code, record, "submit")


@require_POST
def report_review(request: HttpRequest, programme: str, report: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = access.report_or_refuse(who, found, report)
    access.require_pmo(who)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to return or publish.")
        return redirect("portal:report", programme=found.code, report=record.pk)
    return _move(
        request, found.code, record, form.cleaned_data["action"], form.cleaned_data["comment"]
    )


def _move(
    request: HttpRequest, programme: str, record: DeliveryReport, action: str, comment: str = ""
) -> HttpResponse:
    who = principal(request)
    allowed = rules.BY_PARTICIPANT if access.may_write(who, record) else rules.BY_PMO
    try:
        if action not in allowed:
            raise rules.TransitionError("That is not yours to do.")
        moved = services.move(record, action, comment=comment)
    except rules.TransitionError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"The report is {moved.get_status_display().lower()}.")
    return redirect("portal:report", programme=programme, report=record.pk)
