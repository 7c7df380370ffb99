"""Structured logs: one JSON object per line, each with the request id it belongs to."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# A calendar feed's address is its credential: logged, it would be readable by anyone with the
# logs. Its scheme (steerco.calendars.addresses.SCHEME) is kept, the secret is not.
SECRET_IN_PATH = re.compile(r"(scal_)[A-Za-z0-9_-]+")


def loggable(path: str) -> str:
    return SECRET_IN_PATH.sub(r"\1…", path)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": loggable(record.getMessage()),
        }
        for name in ("status_code", "method", "path", "duration_ms", "user"):
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if "path" in entry:
            entry["path"] = loggable(entry["path"])
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class RequestIdMiddleware:
    """Gives every request an id (a proxy's X-Request-ID if it is well formed), logs one
    line per request with it, and returns it in the response so a report can be traced."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.log = logging.getLogger("steerco.requests")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            self.log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status_code": response.status_code,
                    "method": request.method,
                    "path": request.path,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user": user.get_username() if user and user.is_authenticated else "",
                },
            )
            return response
        finally:
            request_id.reset(token)
