"""A database that cannot be reached gives a clear 503 page, not a bare server error.

Django turns an exception anywhere in a request into a call of the 500 handler; this handler
looks at what was raised. Each request opens its own connection (no persistent
connections), so once the database is back the next request simply succeeds, and a write
that failed was inside its transaction and left nothing behind.

Both pages are the site's layout (500.html), rendered without the request's context or the
database, either of which may be what failed; should even that fail, a bare page says the
same.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from steerco.ops.logs import request_id

UNAVAILABLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>steerco is briefly unavailable</title></head><body>
<h1>steerco cannot reach its database</h1>
<p>Nothing you sent was saved. Please try again in a minute; if it keeps happening, tell the
programme office and quote request {rid}.</p></body></html>"""
FAILED = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>steerco: something went wrong</title></head><body>
<h1>Something went wrong</h1>
<p>Nothing you sent was saved. The error is logged; quote request {rid} to the programme
office.</p></body></html>"""


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler: 503 with a retry hint when the database is down, else 500."""
    error = sys.exc_info()[1]
    rid = request_id.get()
    if isinstance(error, OperationalError | InterfaceError):
        logging.getLogger("steerco.database").error("database unavailable: %s", error)
        words = "steerco cannot reach its database. Please try again in a minute."
        page = _page(request, "steerco is briefly unavailable", words, rid, UNAVAILABLE)
        response = HttpResponse(page, status=503)
        response["Retry-After"] = "30"
        return response
    words = "steerco failed to answer this page. The error is logged."
    return HttpResponse(_page(request, "Something went wrong", words, rid, FAILED), status=500)


def _page(request: HttpRequest, heading: str, words: str, rid: str, bare: str) -> str:
    # The address to try again: only a path of this site (never "//elsewhere").
    path = request.path if request.path.startswith("/") and "//" not in request.path else ""
    context = {"heading": heading, "words": words, "rid": rid, "path": path}
    try:
        return loader.get_template("500.html").render(context)
    except Exception:  # the layout itself failed: say the same, bare
        logging.getLogger("steerco.errors").exception("the 500 page failed to render")
        return bare.format(rid=rid)
