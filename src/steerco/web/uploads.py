"""A file upload refused while it is received: the body is read no further than the limit,
so an oversized paper costs neither memory nor disk (Django's own handlers would keep all of
it first, in memory or in a temporary file)."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest


class Capped(FileUploadHandler):
    """First of the request's upload handlers: stops the upload once more than ``limit``
    bytes of files arrive, whatever the request says its length is."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_long(request: HttpRequest, limit: int) -> bool:
    """Whether the request says it is well over ``limit`` (its other fields are small): then
    it is refused before any of it is read."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit + 64 * 1024


def cap(request: HttpRequest, limit: int) -> Capped:
    """Put a cap in front of the request's upload handlers; call before reading its body."""
    handler = Capped(request, limit)
    # A list until the body is read; Django makes it immutable then.
    request.upload_handlers = [handler, *request.upload_handlers]
    return handler
