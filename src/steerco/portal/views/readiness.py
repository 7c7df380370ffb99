"""Readiness assessments (the PMO opens a round, participants answer within its window,
the PMO sees responses and non-responders and picks deep dives) and late returns."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from steerco.accounts.access import Principal, principal, programme_or_refuse, visible
from steerco.accounts.choices import Role
from steerco.portal import access, services
from steerco.portal.forms import DeepDiveForm, RoundForm, answer_form
from steerco.portal.models import AssessmentQuestion, AssessmentResponse
from steerco.trackers.models import ReadinessRound


def _rounds(who: Principal, programme: Any) -> Any:
    rounds = ReadinessRound.objects.filter(programme=programme, questions__isnull=False)
    return visible(rounds.distinct(), who).order_by("-opens", "-pk")


def _open(round_: ReadinessRound) -> bool:
    today = timezone.localdate()
    return bool(round_.opens and round_.closes and round_.opens <= today <= round_.closes)


@require_safe
def rounds(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    if who.role is not Role.PARTICIPANT:
        access.require_pmo(who)
    listed = [(r, _open(r)) for r in _rounds(who, found)]
    return render(
        request,
        "portal/rounds.html",
        {"programme": found, "rounds": listed, "pmo": access.is_pmo(who)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def round_new(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    access.require_pmo(who)
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "portal/round_new.html", {"programme": found, "form": form}, status=status
        )
    values = {k: form.cleaned_data[k] for k in ("code", "title", "opens", "closes")}
    created = services.open_round(found, values, form.question_list())
    return redirect("portal:round", programme=found.code, round=created.pk)


@require_safe
def round_detail(request: HttpRequest, programme: str, round: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    access.require_pmo(who)
    record = access.round_or_refuse(who, found, round)
    return render(
        request,
        "portal/round.html",
        {
            "programme": found,
            "round": record,
            "open": _open(record),
            "questions": record.questions.all(),
            "responses": access.responses(who, record).select_related("organisation"),
            "non_responders": sorted(services.non_responders(record).values()),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def round_answer(request: HttpRequest, programme: str, round: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    organisation = access.contact_organisation(who, found)
    record = access.round_or_refuse(who, found, round)
    questions = list(visible(AssessmentQuestion.objects.filter(round=record), who))
    mine = access.responses(who, record).first()
    initial: dict[str, str] = {}
    if mine is not None:
        for a in mine.answers.all():
            initial |= {f"rag_{a.question_id}": a.rag, f"text_{a.question_id}": a.text}
    context: dict[str, Any] = {"programme": found, "round": record, "response": mine}
    if not _open(record):
        context["refusal"] = "The round is not open for answers."
        return render(request, "portal/round_answer.html", context, status=409)
    form = answer_form(questions, request.POST if request.method == "POST" else None, initial)
    context["form"] = form
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "portal/round_answer.html", context, status=status)
    data = form.cleaned_data
    answers = {q.pk: (data.get(f"rag_{q.pk}", ""), data[f"text_{q.pk}"]) for q in questions}
    services.answer(record, organisation, answers)
    messages.success(request, "Your answers are saved; you may change them while it is open.")
    return redirect("portal:round-answer", programme=found.code, round=record.pk)


@require_http_methods(["GET", "HEAD", "POST"])
def round_response(request: HttpRequest, programme: str, round: int, response: int) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    access.require_pmo(who)
    record = access.round_or_refuse(who, found, round)
    try:
        answered = access.responses(who, record).get(pk=response)
    except AssessmentResponse.DoesNotExist:
        raise Http404("No such response, or not one you may see.") from None
    form = DeepDiveForm(
        request.POST if request.method == "POST" else None,
        initial={"deep_dive": answered.deep_dive, "reason": answered.deep_dive_reason},
    )
    if request.method == "POST" and form.is_valid():
        services.pick_for_deep_dive(
            answered, form.cleaned_data["deep_dive"], form.cleaned_data["reason"]
        )
        return redirect("portal:round", programme=found.code, round=record.pk)
    return render(
        request,
        "portal/round_response.html",
        {
            "programme": found,
            "round": record,
            "response": answered,
            "answers": answered.answers.select_related("question").order_by("question__order"),
            "form": form,
        },
    )


@require_safe
def returns(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    access.require_pmo(who)
    period = services.reporting_period(found)
    rows = services.returns(found, period) if period else []
    reminders: dict[int, Any] = {}
    if period is not None:
        for reminder in period.reminders.order_by("sent_at"):
            reminders[reminder.organisation_id] = reminder
    return render(
        request,
        "portal/returns.html",
        {
            "programme": found,
            "period": period,
            "rows": [(row, reminders.get(row.organisation_id)) for row in rows],
        },
    )


@require_POST
def remind(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    access.require_pmo(who)
    period = services.reporting_period(found)
    if period is None:
        messages.error(request, "No reporting period is open.")
        return redirect("portal:returns", programme=found.code)
    chosen = [int(v) for v in request.POST.getlist("organisation") if v.isdigit()]
    link = request.build_absolute_uri(reverse("portal:home", args=[found.code]))
    for sent in services.send_reminders(found, period, chosen, link):
        if sent.recipients:
            messages.success(request, f"Reminded {sent.organisation}: {', '.join(sent.recipients)}")
        else:
            messages.warning(request, f"{sent.organisation} has no contact address: not sent.")
    return redirect("portal:returns", programme=found.code)
