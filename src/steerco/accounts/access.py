"""Who may see and do what: the one place every page and action asks.

``visible(queryset, principal)`` narrows any register queryset (live or historical) to the
records the principal may see; ``published_packs`` narrows meetings to those whose pack it
may download; ``get_or_refuse`` returns one record or refuses (404 when the
record is not visible, so its existence is not disclosed); ``require`` refuses an action
(403). Nothing reads a register around these.

A record is visible when its classification — and that of every record it belongs to
(a mitigation step's risk, a report line's report) — is one the role reads. A participant
contact also reads its own organisation's participant-confidential records. A delivery
report (and everything in it) is visible before it is published only to the PMO, admins
and its own organisation's contacts: risk R040 of the seed, data shared with the wrong
market participant, is what this prevents.

Two things are known whatever their classification, because something the reader already
holds names them: the programme an account is bound to (its membership names it), and a
published meeting of that programme, to a reader of packs (the cover of its edition names
the meeting, its date and the programme). The second opens the meeting's pack download, not
its page: what the meeting holds is still read record by record.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from steerco.accounts.choices import Role
from steerco.core.choices import PUBLISHED_MEETING_STATES, Classification, ReportStatus
from steerco.core.models import Meeting, Programme
from steerco.organisations.models import Organisation
from steerco.reports.models import DeliveryReport

M = TypeVar("M", bound=models.Model)


class Can(enum.StrEnum):
    """Actions beyond reading visible records."""

    READ_REGISTERS = "read registers, their history and what changed"
    EDIT_REGISTERS = "edit registers"
    READ_PACK = "download meeting packs"
    READ_PLANS = "read migration plans (they hold suppliers' portfolio sizes)"
    CREATE_PROGRAMMES = "create programmes"


class Reports(enum.StrEnum):
    """Which unpublished delivery reports a role reads."""

    ALL = "all"
    OWN = "own organisation's"
    NONE = "none"


@dataclass(frozen=True)
class Grants:
    classifications: frozenset[str]
    own_confidential: bool
    unpublished_reports: Reports
    can: frozenset[Can]


_ALL = frozenset(Classification.values)
_OPEN = frozenset({Classification.PUBLIC, Classification.PROGRAMME})

# What each role may do. Roles are data (accounts.Membership rows); this is their meaning.
GRANTS: dict[Role, Grants] = {
    Role.ADMIN: Grants(_ALL, True, Reports.ALL, frozenset(Can)),
    Role.PMO: Grants(_ALL, True, Reports.ALL, frozenset(Can) - {Can.CREATE_PROGRAMMES}),
    Role.STEERING: Grants(
        _OPEN,
        False,
        Reports.NONE,
        frozenset({Can.READ_REGISTERS, Can.READ_PACK, Can.READ_PLANS}),
    ),
    Role.PARTICIPANT: Grants(
        _OPEN, True, Reports.OWN, frozenset({Can.READ_REGISTERS, Can.READ_PACK})
    ),
    Role.PUBLIC: Grants(
        frozenset({Classification.PUBLIC}), False, Reports.NONE, frozenset({Can.READ_PACK})
    ),
}


@dataclass(frozen=True)
class Principal:
    """The person asking, as far as access is concerned."""

    role: Role
    user_id: int | None = None
    programme_id: int | None = None  # None: every programme
    organisation_id: int | None = None

    @property
    def grants(self) -> Grants:
        return GRANTS[self.role]

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def may(self, action: Can) -> bool:
        return action in self.grants.can


PUBLIC = Principal(Role.PUBLIC)


def principal_of(user: AbstractBaseUser | AnonymousUser) -> Principal:
    if not user.is_authenticated:
        return PUBLIC
    from steerco.accounts.models import Membership

    user_id = int(user.pk)
    membership = Membership.objects.filter(user_id=user_id).first()
    if membership is None:
        # An account with no role (a superuser made by createsuperuser or demo-admin).
        role = Role.ADMIN if getattr(user, "is_superuser", False) else Role.PUBLIC
        return Principal(role, user_id)
    return Principal(
        Role(membership.role), user_id, membership.programme_id, membership.organisation_id
    )


def principal(request: HttpRequest) -> Principal:
    """The request's principal, worked out once per request."""
    cached: Principal | None = getattr(request, "_steerco_principal", None)
    if cached is None:
        cached = principal_of(request.user)
        request._steerco_principal = cached  # type: ignore[attr-defined]
    return cached


def require(who: Principal, action: Can) -> None:
    if not who.may(action):
        raise PermissionDenied(f"{who.role.label} may not {action.value}")


def may_create_programmes(who: Principal) -> bool:
    """Creating a programme is for an admin of every programme: one bound to a programme
    (``Membership.programme``) could not see the programme it made."""
    return who.may(Can.CREATE_PROGRAMMES) and who.programme_id is None


def require_programme_creator(who: Principal) -> None:
    require(who, Can.CREATE_PROGRAMMES)
    if not may_create_programmes(who):
        raise PermissionDenied(
            "Only an admin of every programme may create one: yours is bound to one programme."
        )


def visible(queryset: QuerySet[M], who: Principal) -> QuerySet[M]:
    """Narrow ``queryset`` (of a register model or its historical model) to what ``who``
    may see."""
    return queryset.filter(visibility(_live_model(queryset.model), who))


def get_or_refuse(queryset: QuerySet[M], who: Principal, **lookup: Any) -> M:
    try:
        return visible(queryset, who).get(**lookup)
    except (ObjectDoesNotExist, ValueError):
        raise Http404("No such record, or not one you may see.") from None


def programme_or_refuse(who: Principal, code: str) -> Programme:
    return get_or_refuse(Programme.objects.all(), who, code=code)


def bound_to(who: Principal, programme_id: Any) -> bool:
    """Whether ``who``'s membership names this programme: then it knows the programme."""
    return who.programme_id is not None and who.programme_id == programme_id


def published_packs(meetings: QuerySet[Meeting], who: Principal) -> QuerySet[Meeting]:
    """The meetings whose pack ``who`` may download: the published ones (its edition names
    them) of programmes ``who`` sees, and those it may see that are not yet published (a
    draft, for the PMO). The editions themselves are ``steerco.pack.editions``'."""
    if not who.may(Can.READ_PACK):
        return meetings.none()
    seen = visible(Programme.objects.all(), who)
    published = Q(state__in=sorted(PUBLISHED_MEETING_STATES), programme__in=seen)
    return meetings.filter(published | visibility(Meeting, who))


def pack_meeting_or_refuse(who: Principal, programme: Programme, code: str) -> Meeting:
    """One meeting whose pack ``who`` may download, or 404."""
    meetings = published_packs(Meeting.objects.filter(programme=programme), who)
    try:
        return meetings.get(code=code)
    except ObjectDoesNotExist:
        raise Http404("No such meeting, or not one whose pack you may read.") from None


WITHHELD = "_steerco_withheld"


def classified(model: type[models.Model]) -> bool:
    """Register data carries a classification; accounts (an organisation's contacts) do not
    and are read by no one but the operator and full-access roles."""
    return any(field.name == "classification" for field in model._meta.concrete_fields)


def withhold_links(records: Iterable[M], who: Principal) -> list[M]:
    """Mark on each record the foreign keys that point at a record ``who`` may not see (a
    confidential organisation named by a Programme record), so a page shows "not visible to
    you" instead of its name (one query per foreign key)."""
    records = list(records)
    if not records:
        return records
    for field in records[0]._meta.concrete_fields:
        target: Any = field.related_model if field.is_relation else None
        if target is None or not classified(target):
            continue
        ids = {getattr(r, field.attname) for r in records} - {None}
        if not ids:
            continue
        shown = set(
            visible(target._default_manager.filter(pk__in=ids), who).values_list("pk", flat=True)
        )
        for record in records:
            if getattr(record, field.attname) not in shown | {None}:
                withheld: set[str] = record.__dict__.setdefault(WITHHELD, set())
                withheld.add(field.name)
    return records


def may_edit(who: Principal, record: models.Model) -> bool:
    """Whether ``who`` may change ``record`` (already known to be visible to them)."""
    return who.may(Can.EDIT_REGISTERS)


def visibility(model: type[models.Model], who: Principal) -> Q:
    """The condition a record of ``model`` must meet to be visible to ``who``."""
    shape = shape_of(model)
    condition = Q()
    if who.programme_id is not None:
        if model is Programme:
            return Q(pk=who.programme_id)  # bound_to: its membership names it
        elif shape.programme:
            condition &= Q(**{f"{shape.programme}_id": who.programme_id})
    grants = who.grants
    if grants.classifications != _ALL:
        for prefix in shape.chain:
            allowed = Q(**{f"{prefix}classification__in": sorted(grants.classifications)})
            if grants.own_confidential and shape.organisation and who.organisation_id:
                allowed |= Q(
                    **{
                        f"{prefix}classification": Classification.CONFIDENTIAL,
                        f"{shape.organisation}_id": who.organisation_id,
                    }
                )
            condition &= allowed
    if shape.report is not None and grants.unpublished_reports is not Reports.ALL:
        published = Q(**{f"{shape.report}status": ReportStatus.PUBLISHED})
        if grants.unpublished_reports is Reports.OWN and who.organisation_id:
            published |= Q(**{f"{shape.report}organisation_id": who.organisation_id})
        condition &= published
    return condition


@dataclass(frozen=True)
class Shape:
    """Where a model's programme, organisation and report are, as lookup paths."""

    programme: str  # "programme" or "meeting__programme"…; "" for Programme itself
    chain: tuple[str, ...]  # "" and the prefix of every record it belongs to: ("", "report__")
    organisation: str  # "organisation", "report__organisation" or ""
    report: str | None  # "" for a DeliveryReport, "report__" for its lines, None otherwise


@cache
def shape_of(model: type[models.Model]) -> Shape:
    chain = [""]
    current: type[models.Model] = model
    organisation = ""
    report: str | None = None
    for _ in range(6):
        prefix = chain[-1]
        if current is DeliveryReport and report is None:
            report = prefix
        if not organisation and _fk_to(current, "organisation", Organisation):
            organisation = f"{prefix}organisation"
        if current is Programme:
            return Shape("", tuple(chain), organisation, report)
        if _fk_to(current, "programme", Programme):
            return Shape(f"{prefix}programme", tuple(chain), organisation, report)
        parent = _parent(current)
        if parent is None:
            break
        name, current = parent
        chain.append(f"{prefix}{name}__")
    return Shape("", tuple(chain[:1]), organisation, report)


def _fk_to(model: type[models.Model], name: str, target: type[models.Model]) -> bool:
    try:
        field = model._meta.get_field(name)
    except Exception:
        return False
    return bool(field.is_relation and field.related_model is target)


def _parent(model: type[models.Model]) -> tuple[str, type[models.Model]] | None:
    """The record a child belongs to, as the child declares it (``ACCESS_PARENT``, the name
    of its foreign key to the parent): declared, never inferred, so changing a foreign key's
    ``on_delete`` cannot change who sees what. A register record with neither a programme nor
    a declared parent is a mistake, refused at once."""
    name = getattr(model, "ACCESS_PARENT", None)
    if name is None:
        if classified(model):
            raise ImproperlyConfigured(
                f"{model.__name__} has no programme and declares no ACCESS_PARENT: say which "
                "foreign key names the record it belongs to"
            )
        return None
    field = model._meta.get_field(name)
    if not (field.many_to_one and field.related_model is not None):
        raise ImproperlyConfigured(f"{model.__name__}.ACCESS_PARENT {name!r} is no foreign key")
    return name, field.related_model  # type: ignore[return-value]


def _live_model(model: type[models.Model]) -> type[models.Model]:
    """A historical model's live model (simple-history keeps it as ``instance_type``)."""
    return getattr(model, "instance_type", model)
