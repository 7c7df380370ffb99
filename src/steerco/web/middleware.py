"""Security headers neither Django nor django-csp sets (the Content-Security-Policy is
django-csp's, from settings), and refusals for signed-out visitors."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if _signed_in(request):
            # What a signed-in person sees is theirs alone (their role's narrowing of the
            # registers, downloads, packs, API answers): no browser or proxy may keep it.
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A signed-out visitor refused a page is asked to sign in and brought back, not
        shown a 403 or a 404. Every refusal of a page's view does so, whether what it names
        exists or not (a 404 is "no such thing, or not one you may see"), so the redirect
        tells a visitor nothing about what exists; an address that is no page at all gets
        the 404 page. The API answers for itself, in JSON, and a calendar feed — fetched by a
        calendar, which cannot sign in — with its 404."""
        refused = isinstance(exception, PermissionDenied | Http404)
        if refused and not request.user.is_authenticated and not _for_machines(request):
            return redirect_to_login(request.get_full_path())
        return None


def _for_machines(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and (match.namespace == "api" or match.view_name == "calendars:feed")


def _signed_in(request: HttpRequest) -> bool:
    """A session's user, or an API caller's: DRF sets the token's user on the request, and a
    refused token (401) still sent credentials."""
    return request.user.is_authenticated or "Authorization" in request.headers
