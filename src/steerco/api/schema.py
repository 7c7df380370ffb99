"""The OpenAPI description: one path per register, each with its own record, page, new
record, edit (children as nested rows), deletion and conflict shapes, and the bearer-token
scheme.

The URL configuration has one pattern for all registers (``registers/<register>/``), as the
web has; the description spells it out per register (``registers/milestones/``…) so that a
client generator, a reader and schemathesis all see each register's real fields.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from steerco.api.registers import MAX_ID
from steerco.api.serializers import (
    AsOfQuery,
    ConfidenceSerializer,
    ErrorSerializer,
    ExportSerializer,
    IndexSerializer,
    ListQuery,
    ProgrammeSerializer,
    RemoveQuery,
    conflict_serializer,
    create_serializer,
    edit_serializer,
    page_serializer,
    record_serializer,
)
from steerco.registers import PAGES as REGISTERS
from steerco.registers import PAGES_BY_SLUG as BY_SLUG

SLUG = {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}
ID = {"type": "integer", "minimum": 0, "maximum": MAX_ID}

REFUSALS: dict[int, Any] = {
    401: ErrorSerializer,  # no credentials, or a bad token
    403: ErrorSerializer,  # a role that may not do this
    404: ErrorSerializer,  # no such programme or record, or not one you may see
}


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "steerco.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token from `steerco api-token USERNAME --name NAME`.",
        }


def expand_registers(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    """Spectacular preprocessing hook: a register endpoint becomes one per register."""
    out = []
    for path, regex, method, callback in endpoints:
        view = getattr(callback, "cls", None)
        if "{register}" not in path or not hasattr(view, "register_slug"):
            out.append((path, regex, method, callback))
            continue
        for register in REGISTERS:
            out.append(
                (
                    path.replace("{register}", register.slug),
                    regex.replace("(?P<register>[-a-zA-Z0-9_]+)", register.slug),
                    method,
                    view.as_view(register_slug=register.slug),  # type: ignore[union-attr]
                )
            )
    return out


class RegisterSchema(AutoSchema):
    """Request and response shapes of the API's views, chosen by view and method."""

    def _slug(self) -> str:
        slug: str | None = getattr(self.view, "register_slug", None)
        assert slug, "register endpoints are described per register (expand_registers)"
        return slug

    def _kind(self) -> str:
        return f"{type(self.view).__name__}.{self.method}"

    def get_operation_id(self) -> str:
        names = {
            "Index.GET": "index",
            "ProgrammeDetail.GET": "programme",
            "RegisterExport.GET": "export",
            "MilestoneConfidence.GET": "milestone_confidence",
            "RegisterList.GET": "list",
            "RegisterList.POST": "create",
            "RegisterItem.GET": "read",
            "RegisterItem.PATCH": "edit",
            "RegisterItem.DELETE": "delete",
        }
        name = names[self._kind()]
        if hasattr(self.view, "register_slug"):
            name = f"{self._slug().replace('-', '_')}_{name}"
        return name

    def get_tags(self) -> list[str]:
        if hasattr(self.view, "register_slug"):
            return [BY_SLUG[self._slug()].title]
        return ["Programmes and exports"]

    def get_override_parameters(self) -> list[Any]:
        from steerco.transfers.exports import EXPORTS

        kind = self._kind()
        # Path parameters as the URL patterns take them (a slug; a non-negative id).
        found: list[Any] = []
        if kind != "Index.GET":
            found.append(OpenApiParameter("programme", SLUG, OpenApiParameter.PATH))
        if kind.startswith("RegisterItem."):
            found.append(OpenApiParameter("id", ID, OpenApiParameter.PATH))
        if kind == "RegisterList.GET":
            found.append(ListQuery)
        if kind in ("RegisterItem.GET", "MilestoneConfidence.GET"):
            found.append(AsOfQuery)
        if kind == "RegisterItem.DELETE":
            found.append(RemoveQuery)
        if kind == "RegisterExport.GET":
            register = OpenApiParameter(
                "register", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(EXPORTS)
            )
            found += [AsOfQuery, register]
        return found

    def get_request_serializer(self) -> Any:
        if self._kind() == "RegisterItem.PATCH":
            return edit_serializer(self._slug())
        if self._kind() == "RegisterList.POST":
            return create_serializer(self._slug())
        return None

    def get_response_serializers(self) -> Any:
        kind = self._kind()
        if kind == "Index.GET":
            return {200: IndexSerializer}
        if kind == "ProgrammeDetail.GET":
            return {200: ProgrammeSerializer, **REFUSALS}
        if kind == "RegisterExport.GET":
            return {200: ExportSerializer, 400: OpenApiTypes.OBJECT, **REFUSALS}
        if kind == "MilestoneConfidence.GET":
            return {200: ConfidenceSerializer, 400: OpenApiTypes.OBJECT, **REFUSALS}
        slug = self._slug()
        if kind == "RegisterList.GET":
            return {200: page_serializer(slug), 400: OpenApiTypes.OBJECT, **REFUSALS}
        if kind == "RegisterList.POST":
            return {201: record_serializer(slug), 400: OpenApiTypes.OBJECT, **REFUSALS}
        if kind == "RegisterItem.DELETE":
            # 400: something refers to it (detail, references); 409: changed since read.
            conflict = conflict_serializer(slug)
            return {204: None, 400: OpenApiTypes.OBJECT, 409: conflict, **REFUSALS}
        responses = {200: record_serializer(slug), 400: OpenApiTypes.OBJECT, **REFUSALS}
        if kind == "RegisterItem.PATCH":
            responses[409] = conflict_serializer(slug)
        return responses
