"""The 403 and 404 pages: the site's layout and navigation, and a way on (the start, the
programme the address names if the visitor may see it, sign-in when signed out). The 500
page is ``steerco.ops.errors``'."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from steerco.accounts.access import principal, visible
from steerco.core.models import Programme


def _programme(request: HttpRequest) -> Programme | None:
    """The programme the refused address names, when the visitor may see it."""
    match = request.resolver_match  # None for an address that is no page at all
    code = match.kwargs.get("programme") if match else None
    if not isinstance(code, str):
        return None
    return visible(Programme.objects.filter(code=code), principal(request)).first()


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", {"programme": _programme(request)}, status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The refusal says who may not do what ("Public may not edit registers"): shown as is.
    reason = str(exception).rstrip(".") if exception.args else ""
    context = {"programme": _programme(request), "reason": reason}
    return render(request, "403.html", context, status=403)
