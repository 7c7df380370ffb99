"""A person's calendar feeds: the page that issues and revokes their addresses, and the
feeds themselves, fetched by calendar programs with the secret address as credential."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from steerco.accounts.access import Can, principal, principal_of, programme_or_refuse, require
from steerco.accounts.reader import Reader, in_scope
from steerco.calendars import addresses, feeds
from steerco.calendars.models import CalendarFeed, FeedScope


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest, programme: str) -> HttpResponse:
    who = principal(request)
    require(who, Can.READ_REGISTERS)  # a feed holds what its owner reads of the registers
    found = programme_or_refuse(who, programme)
    user: User = request.user  # type: ignore[assignment]  # signed in: login_required
    issued: dict[str, str] = {}
    if request.method == "POST":
        asked = request.POST.get("scope", "")
        scope = FeedScope(asked) if asked in FeedScope.values else None
        if scope is None:
            messages.error(request, "Choose which feed: yours or the programme's.")
        elif request.POST.get("do") == "revoke":
            if addresses.revoke(user, found, scope):
                messages.success(request, f"{scope.label}: the address was revoked.")
        else:
            secret = addresses.issue(user, found, scope)
            issued[scope.value] = request.build_absolute_uri(
                reverse("calendars:feed", args=[secret])
            )
        if not issued:
            return redirect("calendars:settings", programme=found.code)
    live = {feed.scope: feed for feed in CalendarFeed.objects.filter(user=user, programme=found)}
    person = _person(user)
    return render(
        request,
        "calendars/settings.html",
        {
            "programme": found,
            "scopes": [
                (scope, live.get(scope.value), issued.get(scope.value)) for scope in FeedScope
            ],
            "person": person,
        },
    )


@require_safe
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    found = addresses.find(secret)
    if found is None:
        raise Http404("No such calendar feed: it may have been revoked.")
    who = principal_of(found.user)
    if not in_scope(found.programme, who):
        raise Http404("No such calendar feed.")
    reader = Reader(found.programme, None, who)
    scope = FeedScope(found.scope)
    body = feeds.calendar(found.programme, scope, feeds.events(reader, scope, _person(found.user)))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{found.programme.code}-{scope.value}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def _person(user: object) -> feeds.Person:
    who = principal_of(user)  # type: ignore[arg-type]
    full_name = getattr(user, "get_full_name", lambda: "")().strip()
    return feeds.Person(full_name, who.organisation_id)
