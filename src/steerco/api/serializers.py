"""The JSON shapes of every register, made from its model once: a record (with its version
and children), a page of records, an edit, a conflict, and an export.

A record's foreign keys are ids; ``version`` is the version the web edit form carries and the
one an edit must name: it grows with every change to the record or its children
(``steerco.records.editing.heads``). Read as of a meeting, it is the id of the history row
read.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from steerco.api.registers import MAX_ID, child_relations
from steerco.registers import PAGES_BY_SLUG as BY_SLUG
from steerco.registers import Register


# The query strings the views read and the schema describes.
class AsOfQuery(serializers.Serializer):  # type: ignore[type-arg]
    as_of = serializers.CharField(
        required=False,
        max_length=40,
        help_text="A meeting's code (PSG-23): read the register as it stood at its cut-off.",
    )


class RemoveQuery(serializers.Serializer):  # type: ignore[type-arg]
    version = serializers.IntegerField(
        min_value=0, help_text="The version read: a newer one means someone else saved."
    )
    reason = serializers.CharField(max_length=300, help_text="Why: kept in history.")


class ListQuery(AsOfQuery):
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500, default=100)


Serializer = type[serializers.BaseSerializer]  # type: ignore[type-arg]


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "10:00:00"}
)
class LocalTime(serializers.TimeField):
    """A time of day with no zone (a meeting's 10:00): JSON Schema's "time" format would
    demand an offset, which a local time of day does not have."""


class _Model(serializers.ModelSerializer):  # type: ignore[type-arg]
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.TimeField: LocalTime,
    }


def _model_serializer(
    name: str, model: type[models.Model], fields: list[str], declared: dict[str, Any]
) -> Any:
    """A serializer for output only. Its fields are not marked read-only: DRF would then drop
    ``allow_blank``, and the description would forbid the blank values records hold."""
    meta = type(
        "Meta",
        (),
        {
            "model": model,
            "fields": [*fields, *declared],
            "extra_kwargs": {name: {"required": True} for name in fields},
        },
    )
    return type(name, (_Model,), {"Meta": meta, **declared})


def _fields(model: type[models.Model], skip: tuple[str, ...] = ()) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name not in ("programme", *skip)]


@cache
def child_serializer(rel: Any) -> Any:
    model: type[models.Model] = rel.related_model
    return _model_serializer(
        f"{model.__name__}Record", model, _fields(model, (rel.field.name,)), {}
    )


@cache
def record_serializer(slug: str) -> Any:
    register = BY_SLUG[slug]
    declared: dict[str, Any] = {
        "version": serializers.IntegerField(
            source="api_version",
            read_only=True,
            help_text="Grows with every change to the record or its children: name it when "
            "you edit or delete the record.",
        )
    }
    for rel in child_relations(register):
        accessor = rel.get_accessor_name()
        declared[accessor] = child_serializer(rel)(
            many=True, read_only=True, source=f"api_{accessor}"
        )
    return _model_serializer(
        f"{register.model.__name__}Record", register.model, _fields(register.model), declared
    )


@cache
def page_serializer(slug: str) -> Any:
    model = BY_SLUG[slug].model
    fields = {
        "count": serializers.IntegerField(help_text="Records in the whole register."),
        "page": serializers.IntegerField(),
        "pages": serializers.IntegerField(),
        "next": serializers.CharField(allow_null=True, help_text="The next page's URL."),
        "previous": serializers.CharField(allow_null=True),
        "as_of": serializers.CharField(allow_null=True, help_text="The meeting, if any."),
        "results": record_serializer(slug)(many=True),
    }
    return type(f"{model.__name__}Page", (serializers.Serializer,), fields)


@cache
def rows_serializer(slug: str, accessor: str) -> Any:
    """One row of a child the PMO keeps with the record, as a POST or PATCH sends it."""
    child = next(c for c in BY_SLUG[slug].kept_children if c.accessor == accessor)
    declared = {
        "id": serializers.IntegerField(
            required=False,
            min_value=0,
            max_value=MAX_ID,
            help_text="A row the record has (only the fields sent change); none for a new row.",
        )
    }
    meta = type(
        "Meta",
        (),
        {
            "model": child.model,
            "fields": [*child.editable, "id"],
            "extra_kwargs": {name: {"required": False} for name in child.editable},
        },
    )
    return type(
        f"{child.model.__name__}Row", (serializers.ModelSerializer,), {"Meta": meta, **declared}
    )


def _rows_fields(register: Register) -> dict[str, Any]:
    """The children the PMO keeps with the record: each, when sent, the whole new list of
    its rows (a row left out of it is deleted); when not sent, left as it is."""
    return {
        child.accessor: rows_serializer(register.slug, child.accessor)(
            many=True,
            required=False,
            help_text=f"Every {child.model._meta.verbose_name} the record is to keep, in "
            "order: rows with an id are changed, rows without are added, rows left out "
            "are deleted. Leave it out to keep them as they are.",
        )
        for child in register.kept_children
    }


def _edit_field(register: Register, name: str) -> Any:
    field = register.model._meta.get_field(name)
    if field.is_relation:  # the web form checks the id; the API checks it is in the programme
        return serializers.IntegerField(
            required=False, allow_null=bool(getattr(field, "null", False))
        )
    return None


@cache
def edit_serializer(slug: str) -> Any:
    """What an edit sends: any of the fields the web edit form offers, the version read
    and the reason, which goes into history."""
    register = BY_SLUG[slug]
    declared: dict[str, Any] = {
        "version": serializers.IntegerField(
            min_value=0, help_text="The version read: a newer one means someone else saved."
        ),
        "reason": serializers.CharField(max_length=300, help_text="Why: kept in history."),
    }
    for name in register.editable:
        field = _edit_field(register, name)
        if field is not None:
            declared[name] = field
    fields = [name for name in register.editable if name not in declared]
    declared.update(_rows_fields(register))
    meta = type(
        "Meta",
        (),
        {
            "model": register.model,
            "fields": [*fields, *declared],
            "extra_kwargs": {name: {"required": False} for name in fields},
        },
    )
    return type(
        f"{register.model.__name__}Edit", (serializers.ModelSerializer,), {"Meta": meta, **declared}
    )


@cache
def create_serializer(slug: str) -> Any:
    """What a new record sends: the fields the web's creation form offers and the reason,
    which goes into history. The key may be left out where the form would propose one."""
    register = BY_SLUG[slug]
    declared: dict[str, Any] = {
        "reason": serializers.CharField(max_length=300, help_text="Why: kept in history."),
    }
    for name in register.creatable:
        field: Any = register.model._meta.get_field(name)
        if field.is_relation:
            declared[name] = serializers.IntegerField(
                required=not field.blank, allow_null=bool(field.null)
            )
    fields = [name for name in register.creatable if name not in declared]
    declared.update(_rows_fields(register))
    meta = type(
        "Meta",
        (),
        {
            "model": register.model,
            "fields": [*fields, *declared],
            # Uniqueness within the programme is the creation form's to check, in its words.
            "validators": [],
        },
    )
    return type(
        f"{register.model.__name__}New", (serializers.ModelSerializer,), {"Meta": meta, **declared}
    )


class DifferenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField()
    theirs = serializers.JSONField(allow_null=True)
    yours = serializers.JSONField(allow_null=True)


@cache
def conflict_serializer(slug: str) -> Any:
    model = BY_SLUG[slug].model
    fields = {
        "detail": serializers.CharField(),
        "version": serializers.IntegerField(help_text="The version to edit now."),
        "differences": DifferenceSerializer(many=True),
        "current": record_serializer(slug)(),
    }
    return type(f"{model.__name__}Conflict", (serializers.Serializer,), fields)


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    detail = serializers.CharField()


class ProgrammeLinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()


class IndexSerializer(serializers.Serializer):  # type: ignore[type-arg]
    programmes = ProgrammeLinkSerializer(many=True)
    schema = serializers.CharField()
    docs = serializers.CharField()


class RegisterLinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    editable = serializers.ListField(child=serializers.CharField())


class ProgrammeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    meetings = serializers.ListField(
        child=serializers.CharField(), help_text="Codes to read as of (?as_of=PSG-23)."
    )
    registers = RegisterLinkSerializer(many=True)
    exports = serializers.ListField(child=serializers.CharField())


class ExportSerializer(serializers.Serializer):  # type: ignore[type-arg]
    register = serializers.CharField()
    programme = serializers.CharField()
    as_of = serializers.CharField(allow_null=True)
    cutoff = serializers.CharField(allow_null=True)
    sections = serializers.DictField(
        child=serializers.ListField(child=serializers.DictField()),
        help_text="Each section's rows, children nested, as `steerco export` writes them.",
    )


class ForecastStepSerializer(serializers.Serializer):  # type: ignore[type-arg]
    meeting = serializers.CharField()
    date = serializers.DateField(help_text="The meeting's date.")
    forecast = serializers.DateField(allow_null=True, help_text="As at the meeting's cut-off.")
    rag = serializers.CharField(allow_blank=True)
    slip = serializers.IntegerField(
        allow_null=True, help_text="Working days later than at the meeting before."
    )


class DerivedConfidenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    probability = serializers.FloatField(help_text="The chance the forecast holds.")
    confidence = serializers.CharField(help_text="high, medium or low.")
    party_held = serializers.IntegerField()
    party_made = serializers.IntegerField()
    programme_held = serializers.IntegerField()
    programme_made = serializers.IntegerField()


class MilestoneConfidenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text="A programme milestone's code; else organisation: name.")
    kind = serializers.ChoiceField(choices=["programme", "report"])
    title = serializers.CharField(allow_blank=True)
    party = serializers.CharField(allow_blank=True)
    meeting = serializers.CharField(help_text="The meeting it was last recorded at.")
    forecast = serializers.DateField(allow_null=True)
    rag = serializers.CharField(allow_blank=True)
    reforecasts = serializers.IntegerField()
    total_slip = serializers.IntegerField(allow_null=True)
    float_days = serializers.IntegerField(allow_null=True)
    next_dependent = serializers.CharField(allow_blank=True)
    derived = DerivedConfidenceSerializer(allow_null=True)
    stated = serializers.CharField(allow_blank=True, help_text="The party's own confidence.")
    disagrees = serializers.BooleanField()
    reason = serializers.CharField()
    history = ForecastStepSerializer(many=True)


class ConfidenceSerializer(serializers.Serializer):  # type: ignore[type-arg]
    programme = serializers.CharField()
    as_of = serializers.CharField(allow_null=True)
    judged_at = serializers.CharField(allow_null=True, help_text="The last meeting held.")
    method = serializers.DictField(help_text="The settings used (docs/confidence.md).")
    milestones = MilestoneConfidenceSerializer(many=True)
