"""A programme set up on the web, without YAML or the Django admin: the new-programme page
(its calendar and first governance body), its set-up checklist, a body's new member and the
logo on its packs' covers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from steerco.accounts.access import (
    Can,
    get_or_refuse,
    principal,
    programme_or_refuse,
    require,
    require_programme_creator,
)
from steerco.core.images import LOGO_MAX_BYTES
from steerco.core.models import Body, BodyMember
from steerco.core.setup import add_member, create_programme, set_logo
from steerco.pack.pictures import logo as programme_logo_image
from steerco.web import setup, uploads
from steerco.web.programme_forms import LogoForm, MemberForm, ProgrammeForm, cadence_preview


def _actor(request: HttpRequest) -> str:
    return request.user.get_username() if request.user.is_authenticated else "anonymous"


@require_http_methods(["GET", "HEAD", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    """A new programme with its calendar and first body. "Check" shows the cadence in words
    and its next dates without saving."""
    require_programme_creator(principal(request))
    form = ProgrammeForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"form": form}
    if request.method != "POST":
        return render(request, "web/programmes/new.html", context)
    valid = form.is_valid()
    text = form.cleaned_data.get("cadence")  # there only when the form could read it
    if text:
        context["words"], context["dates"] = cadence_preview(text, timezone.localdate())
    if not valid or "check" in request.POST:
        return render(request, "web/programmes/new.html", context, status=200 if valid else 400)
    reason = form.cleaned_data["reason"] or "programme created on the web"
    programme = create_programme(form.new_programme(), _actor(request), reason)
    messages.success(
        request,
        f"{programme.code} is created with its calendar and its body "
        f"{form.cleaned_data['body_code']}: set up the rest below.",
    )
    return redirect("web:programme-setup", programme=programme.code)


@require_safe
def programme_setup(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    require(who, Can.EDIT_REGISTERS)
    steps = setup.checklist(setup.facts_of(found, who))
    return render(
        request,
        "web/programmes/setup.html",
        {"programme": found, "steps": steps, "done": sum(s.done for s in steps)},
    )


@csrf_exempt  # checked below, once the upload's cap is in place (Django's documented way)
@require_http_methods(["GET", "HEAD", "POST"])
def programme_logo(request: HttpRequest, programme: str) -> HttpResponse:
    """The logo on the cover of the programme's packs: shown, and replaced by an upload."""
    who = principal(request)
    found = programme_or_refuse(who, programme)
    require(who, Can.EDIT_REGISTERS)
    limit = LOGO_MAX_BYTES
    shown = programme_logo_image(found)
    context: dict[str, Any] = {"programme": found, "logo": shown.data_uri if shown else ""}
    if request.method == "POST" and uploads.too_long(request, limit):
        context.update(form=LogoForm(), too_big=f"{limit:,}")
        return render(request, "web/programmes/logo.html", context, status=413)
    capped = uploads.cap(request, limit)
    response: HttpResponse = csrf_protect(_programme_logo)(request, context, capped)
    return response


def _programme_logo(
    request: HttpRequest, context: dict[str, Any], capped: uploads.Capped
) -> HttpResponse:
    found = context["programme"]
    if request.method != "POST":
        return render(request, "web/programmes/logo.html", {**context, "form": LogoForm()})
    form = LogoForm(request.POST, request.FILES)
    if capped.exceeded:
        context.update(form=LogoForm(), too_big=f"{capped.limit:,}")
        return render(request, "web/programmes/logo.html", context, status=413)
    if not form.is_valid():
        return render(request, "web/programmes/logo.html", {**context, "form": form}, status=400)
    set_logo(found, form.cleaned_data["logo"], _actor(request), form.cleaned_data["reason"])
    messages.success(request, "The logo is stored: the next pack built carries it on its cover.")
    return redirect("web:programme-logo", programme=found.code)


@require_http_methods(["GET", "HEAD", "POST"])
def member_new(request: HttpRequest, programme: str, body: str) -> HttpResponse:
    who = principal(request)
    found = programme_or_refuse(who, programme)
    record = get_or_refuse(Body.objects.filter(programme=found), who, code=body)
    require(who, Can.EDIT_REGISTERS)
    data = request.POST if request.method == "POST" else None
    form = MemberForm(data, instance=BodyMember(body=record))
    context = {"programme": found, "body": record, "form": form}
    if request.method != "POST":
        return render(request, "web/programmes/member_new.html", context)
    if not form.is_valid():
        return render(request, "web/programmes/member_new.html", context, status=400)
    add_member(form.instance, _actor(request), form.cleaned_data["reason"])
    messages.success(request, f"{form.instance.name} now sits on {record.code}.")
    return redirect("web:programme-setup", programme=found.code)
