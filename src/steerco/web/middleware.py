"""Security headers neither Django nor django-csp sets (the Content-Security-Policy is
django-csp's, from settings), and refusals for signed-out visitors."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
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
        """A signed-out visitor refused a page is asked to sign in, not shown a 403."""
        if isinstance(exception, PermissionDenied) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return None


def _signed_in(request: HttpRequest) -> bool:
    """A session's user, or an API caller's: DRF sets the token's user on the request, and a
    refused token (401) still sent credentials."""
    return request.user.is_authenticated or "Authorization" in request.headers
