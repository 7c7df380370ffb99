"""A database that cannot be reached gives a clear 503 page, not a bare server error.

Django turns an exception anywhere in a request into a call of the 500 handler; this handler
looks at what was raised. Each request opens its own connection (no persistent
connections), so once the database is back the next request simply succeeds, and a write
that failed was inside its transaction and left nothing behind.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

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
    """The 500 handler: 503 with a retry hint when the database is down, else a plain 500
    page (rendered without templates or the database, which may be what failed)."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        logging.getLogger("steerco.database").error("database unavailable: %s", error)
        response = HttpResponse(UNAVAILABLE.format(rid=request_id.get()), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponse(FAILED.format(rid=request_id.get()), status=500)
