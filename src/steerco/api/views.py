"""The JSON API: thin views over ``steerco.api.registers`` (reads), ``steerco.api.writing``
(edits) and ``steerco.transfers.exports`` (whole registers), each asking the access module.

Every register page of the web has its API twin: a list (paged, optionally as of a meeting),
an item (likewise) and, for those who may edit, a POST, a PATCH and a DELETE with the
version read.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.urls import reverse
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from steerco.accounts.access import Can, may_edit, principal, programme_or_refuse, require, visible
from steerco.api import registers, writing
from steerco.api.schema import RegisterSchema
from steerco.api.serializers import (
    AsOfQuery,
    ListQuery,
    RemoveQuery,
    create_serializer,
    edit_serializer,
    record_serializer,
)
from steerco.core.models import Meeting, Programme
from steerco.dashboards.confidence import as_json as confidence_json
from steerco.registers import PAGES as REGISTERS
from steerco.rules.frame import build, live
from steerco.transfers import exports


class ReadsRegisters(permissions.BasePermission):
    """Whoever may read registers; a caller with no credentials is told to sign in (401)."""

    message = "Your role may not read registers."

    def has_permission(self, request: Any, view: Any) -> bool:
        return principal(request).may(Can.READ_REGISTERS)


def _query(request: Request, shape: type[serializers.Serializer]) -> dict[str, Any]:  # type: ignore[type-arg]
    query = shape(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _meeting(request: Request, programme: Programme, code: str | None) -> Meeting | None:
    try:
        return exports.meeting_of(principal(request), programme, code)
    except exports.UnknownMeeting as error:
        raise ValidationError({"as_of": [str(error)]}) from None


def _source(request: Request, programme: str, register: str, as_of: str | None) -> Any:
    try:
        return registers.source(principal(request), programme, register, as_of)
    except exports.UnknownMeeting as error:
        raise ValidationError({"as_of": [str(error)]}) from None


class Index(APIView):
    """The programmes you may see, and where the OpenAPI description is."""

    permission_classes = [permissions.AllowAny]
    schema = RegisterSchema()

    def get(self, request: Request) -> Response:
        found = visible(Programme.objects.order_by("code"), principal(request))
        programmes = [
            {
                "code": p.code,
                "name": p.name,
                "url": request.build_absolute_uri(reverse("api:programme", args=[p.code])),
            }
            for p in found
        ]
        return Response(
            {
                "programmes": programmes,
                "schema": request.build_absolute_uri(reverse("api:schema")),
                "docs": request.build_absolute_uri(reverse("api:docs")),
            }
        )


class ProgrammeDetail(APIView):
    """A programme's registers, the meetings they can be read as of, and its exports."""

    permission_classes = [ReadsRegisters]
    schema = RegisterSchema()

    def get(self, request: Request, programme: str) -> Response:
        who = principal(request)
        found = programme_or_refuse(who, programme)
        meetings = visible(Meeting.objects.filter(programme=found), who).order_by("date")
        links = [
            {
                "slug": r.slug,
                "title": r.title,
                "url": request.build_absolute_uri(
                    reverse("api:register-list", args=[found.code, r.slug])
                ),
                "editable": list(r.editable) if who.may(Can.EDIT_REGISTERS) else [],
            }
            for r in REGISTERS
        ]
        return Response(
            {
                "code": found.code,
                "name": found.name,
                "meetings": list(meetings.values_list("code", flat=True)),
                "registers": links,
                "exports": list(exports.EXPORTS),
            }
        )


class RegisterList(APIView):
    """A register's records you may see, a page at a time, now or as of a meeting; POST
    creates one as the web's creation form does."""

    permission_classes = [ReadsRegisters]
    schema = RegisterSchema()
    register_slug: str | None = None  # set per register for the OpenAPI description only

    def get(self, request: Request, programme: str, register: str) -> Response:
        query = _query(request, ListQuery)
        src = _source(request, programme, register, query.get("as_of"))
        paginator = Paginator(registers.records(src, principal(request)), query["page_size"])
        try:
            page = paginator.page(query["page"])
        except EmptyPage:
            raise Http404("No such page.") from None
        rows = registers.annotate(src, principal(request), list(page.object_list))
        return Response(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "next": _page_url(request, page.next_page_number()) if page.has_next() else None,
                "previous": (
                    _page_url(request, page.previous_page_number()) if page.has_previous() else None
                ),
                "as_of": src.meeting.code if src.meeting else None,
                "results": record_serializer(src.register.slug)(rows, many=True).data,
            }
        )

    def post(self, request: Request, programme: str, register: str) -> Response:
        who = principal(request)
        src = _source(request, programme, register, None)
        if not who.may(Can.EDIT_REGISTERS):
            raise PermissionDenied("Your role may not create records.")
        sent = create_serializer(src.register.slug)(data=request.data)
        _check(sent)
        values = dict(sent.validated_data)
        reason = values.pop("reason")
        outcome = writing.create(src.register, src.programme, values, reason, who, _actor(request))
        if outcome.errors or outcome.created is None:
            raise ValidationError(outcome.errors)
        record = registers.record(src, who, outcome.created.pk)
        (row,) = registers.annotate(src, who, [record])
        return Response(record_serializer(src.register.slug)(row).data, status=201)


def _check(sent: serializers.Serializer) -> None:  # type: ignore[type-arg]
    """Refuse what the serializer refuses, a row's errors named as the forms name them
    (``mitigations[1].order``)."""
    if not sent.is_valid():
        raise ValidationError(_flat(sent.errors))


def _flat(errors: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in errors.items():
        if isinstance(value, dict):
            rows: Any = value.items()
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            rows = enumerate(value)
        else:
            out[name] = value
            continue
        for index, row in rows:
            for field, messages in (row or {}).items():
                out[f"{name}[{index}].{field}"] = messages
    return out


def _page_url(request: Request, number: int) -> str:
    query = request.query_params.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class RegisterItem(APIView):
    """One record with its children and version; PATCH edits it as the web form does."""

    permission_classes = [ReadsRegisters]
    schema = RegisterSchema()
    register_slug: str | None = None

    def get(self, request: Request, programme: str, register: str, pk: int) -> Response:
        query = _query(request, AsOfQuery)
        src = _source(request, programme, register, query.get("as_of"))
        return Response(self._shown(src, registers.record(src, principal(request), pk)))

    def patch(self, request: Request, programme: str, register: str, pk: int) -> Response:
        who = principal(request)
        src = _source(request, programme, register, None)
        record = registers.record(src, who, pk)
        if not may_edit(who, record):
            raise PermissionDenied("Your role may not edit registers.")
        sent = edit_serializer(src.register.slug)(data=request.data)
        _check(sent)
        values = dict(sent.validated_data)
        edit = writing.Edit(values, version=values.pop("version"), reason=values.pop("reason"))
        outcome = writing.apply(src.register, src.programme, record, edit, who, _actor(request))
        if outcome.errors:
            raise ValidationError(outcome.errors)
        current = registers.record(src, who, pk)
        if outcome.conflict is None:
            return Response(self._shown(src, current))
        return self._conflict(src, outcome.conflict, current)

    def delete(self, request: Request, programme: str, register: str, pk: int) -> Response:
        """Delete the record and its children, unless anything refers to it or it changed
        since the version read; the deletion is kept in history with the reason."""
        who = principal(request)
        src = _source(request, programme, register, None)
        record = registers.record(src, who, pk)
        if not may_edit(who, record):
            raise PermissionDenied("Your role may not delete records.")
        query = _query(request, RemoveQuery)
        outcome = writing.remove(
            src.register, record, query["version"], query["reason"], _actor(request)
        )
        if outcome.refused is not None:
            raise ValidationError(
                {"detail": outcome.refused.message, "references": list(outcome.refused.references)}
            )
        if outcome.conflict is not None:
            return self._conflict(src, outcome.conflict, registers.record(src, who, pk))
        return Response(status=204)

    def _conflict(self, src: registers.Source, conflict: Any, current: Any) -> Response:
        return Response(
            {
                "detail": "Someone saved this record after you read it: nothing was written. "
                "Compare, then send your edit again with the new version.",
                "version": conflict.their_version,
                "differences": writing.differences(conflict),
                "current": self._shown(src, current),
            },
            status=409,
        )

    def _shown(self, src: registers.Source, record: Any) -> Any:
        (row,) = registers.annotate(src, principal(self.request), [record])
        return record_serializer(src.register.slug)(row).data


def _actor(request: Request) -> str:
    name = request.user.get_username()
    token: Any = request.auth  # an ApiToken, or None for the session
    return f"{name} via API token {token.name}" if token is not None else name


class RegisterExport(APIView):
    """A whole register as `steerco export --format json` gives it, narrowed to what you may
    see: every section, children nested, references by name; now or as of a meeting."""

    permission_classes = [ReadsRegisters]
    schema = RegisterSchema()

    def get(self, request: Request, programme: str, register: str) -> Response:
        who = principal(request)
        require(who, Can.READ_REGISTERS)
        query = _query(request, AsOfQuery)
        found = programme_or_refuse(who, programme)
        if register not in exports.EXPORTS:
            raise Http404("No such register.")
        meeting = _meeting(request, found, query.get("as_of"))
        payload = exports.as_json(who, found, register, meeting)
        return Response(payload)


class MilestoneConfidence(APIView):
    """Every milestone's forecast over the meetings (each meeting's forecast, RAG and slip)
    and its derived confidence beside the stated one, as you may see them, as of the last
    meeting held (or held by ``as_of``). The method: docs/confidence.md."""

    permission_classes = [ReadsRegisters]
    schema = RegisterSchema()

    def get(self, request: Request, programme: str) -> Response:
        who = principal(request)
        query = _query(request, AsOfQuery)
        found = programme_or_refuse(who, programme)
        meeting = _meeting(request, found, query.get("as_of"))
        frame = build(found, meeting, who=who) if meeting else live(found, who)
        return Response(confidence_json(frame, found.code, meeting.code if meeting else None))
