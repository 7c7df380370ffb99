"""A programme's set-up checklist: what it needs before its first meeting, each step done or
not as its data says (never by a flag someone ticks), with where to do it.

``facts_of`` reads the data as the asking person may see it; ``checklist`` turns those
plain facts into steps and needs no database."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from steerco.accounts.access import Principal, visible
from steerco.core import cadence, calendar
from steerco.core.models import Body, BodyMember, Meeting, Programme
from steerco.io.importer import REASON_PREFIX
from steerco.organisations.models import Constituency, MarketRole, Organisation
from steerco.registers import REGISTERS


@dataclass(frozen=True)
class BodyFacts:
    code: str
    cadence: str
    members: int


@dataclass(frozen=True)
class Facts:
    code: str
    calendar_country: str
    calendar_subdivision: str
    bodies: tuple[BodyFacts, ...]
    organisations: int
    constituencies: int
    market_roles: int
    meetings: tuple[str, ...]  # codes, by date
    imported: tuple[str, ...]  # registers holding a record written by an import


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Step:
    title: str
    done: bool
    state: str  # what the data says, in words
    links: tuple[Link, ...] = field(default=())


def facts_of(programme: Programme, who: Principal) -> Facts:
    bodies = visible(Body.objects.filter(programme=programme), who).order_by("code")
    members = visible(BodyMember.objects.filter(body__programme=programme), who)
    seated: dict[int, int] = {}
    for body_id in members.values_list("body_id", flat=True):
        seated[body_id] = seated.get(body_id, 0) + 1

    def count(model: type[Organisation] | type[Constituency] | type[MarketRole]) -> int:
        return visible(model._default_manager.filter(programme=programme), who).count()

    meetings = visible(Meeting.objects.filter(programme=programme), who).order_by("date", "code")
    return Facts(
        code=programme.code,
        calendar_country=programme.calendar_country,
        calendar_subdivision=programme.calendar_subdivision,
        bodies=tuple(BodyFacts(b.code, b.cadence, seated.get(b.pk, 0)) for b in bodies),
        organisations=count(Organisation),
        constituencies=count(Constituency),
        market_roles=count(MarketRole),
        meetings=tuple(meetings.values_list("code", flat=True)),
        imported=_imported(programme, who),
    )


def _imported(programme: Programme, who: Principal) -> tuple[str, ...]:
    """The registers with a record an import wrote, as their history says (one query each)."""
    found = []
    for register in REGISTERS:
        model = register.model
        if register.part_of or not any(f.name == "programme" for f in model._meta.fields):
            continue
        rows = visible(model.history.filter(programme=programme), who)  # type: ignore[attr-defined]
        if rows.filter(history_change_reason__startswith=REASON_PREFIX).exists():
            found.append(register.slug)
    return tuple(found)


def checklist(facts: Facts) -> list[Step]:
    return [
        _calendar(facts),
        _bodies(facts),
        _members(facts),
        _organisations(facts),
        _constituencies(facts),
        _first_meeting(facts),
        _imports(facts),
    ]


def _register(facts: Facts, slug: str, new: str) -> tuple[Link, ...]:
    return (
        Link(new, reverse("web:register-new", args=[facts.code, slug])),
        Link("the register", reverse("web:register-list", args=[facts.code, slug])),
    )


def _calendar(facts: Facts) -> Step:
    country, subdivision = facts.calendar_country, facts.calendar_subdivision
    try:
        region = calendar.check_region(country, subdivision)
    except calendar.CalendarError as error:
        return Step("Bank-holiday calendar", False, f"Not usable: {error}.")
    where = region.subdivisions.get(subdivision, "") if subdivision else "the whole country"
    shown = f"{country}/{subdivision}" if subdivision else country
    return Step("Bank-holiday calendar", True, f"{region.name}, {where} ({shown}).")


def _bodies(facts: Facts) -> Step:
    described = []
    for body in facts.bodies:
        try:
            words = cadence.describe(body.cadence) if body.cadence else "meets when called"
        except cadence.CadenceError as error:
            words = f"cadence not readable: {error}"
        described.append(f"{body.code}: {words}")
    timed = [b for b in facts.bodies if b.cadence]
    state = "; ".join(described) + "." if described else "No governance body yet."
    if facts.bodies and not timed:
        state += " None has a cadence: give one to set its meetings up from it."
    return Step(
        "Governance bodies and cadences", bool(timed), state, _register(facts, "bodies", "New body")
    )


def _members(facts: Facts) -> Step:
    empty = [b.code for b in facts.bodies if not b.members]
    seated = sum(b.members for b in facts.bodies)
    if not facts.bodies:
        state = "No body to seat members on yet."
    elif empty:
        state = f"{seated} members; none yet on {', '.join(empty)}."
    else:
        state = f"{seated} members; every body has at least one."
    links = tuple(
        Link(f"Add a member to {b.code}", reverse("web:body-member-new", args=[facts.code, b.code]))
        for b in facts.bodies
    )
    return Step("Members of each body", bool(facts.bodies) and not empty, state, links)


def _organisations(facts: Facts) -> Step:
    n = facts.organisations
    state = f"{n} organisation{'s' if n != 1 else ''}." if n else "No organisation yet."
    return Step(
        "Organisations", n > 0, state, _register(facts, "organisations", "New organisation")
    )


def _constituencies(facts: Facts) -> Step:
    c, r = facts.constituencies, facts.market_roles
    state = f"{c} constituencies, {r} market roles."
    links = (
        *_register(facts, "constituencies", "New constituency"),
        Link("New market role", reverse("web:register-new", args=[facts.code, "market-roles"])),
    )
    return Step("SIT constituencies and market roles", c > 0 and r > 0, state, links)


def _first_meeting(facts: Facts) -> Step:
    links = tuple(
        Link(
            f"Set up the next {b.code} meeting from its cadence",
            reverse("web:next-meeting", args=[facts.code, b.code]),
        )
        for b in facts.bodies
        if b.cadence
    )
    if facts.meetings:
        state = f"{len(facts.meetings)} meetings, the first {facts.meetings[0]}."
        links = (Link("the meetings", reverse("web:meetings", args=[facts.code])), *links)
    else:
        state = "No meeting yet." + ("" if links else " Give a body a cadence first.")
    return Step("First meeting", bool(facts.meetings), state, links)


def _imports(facts: Facts) -> Step:
    importable = [r.slug for r in REGISTERS if not r.part_of]
    links = tuple(
        Link(slug, reverse("transfers:import", args=[facts.code]) + f"?register={slug}")
        for slug in importable
    )
    if facts.imported:
        state = "Imported into " + ", ".join(facts.imported) + "."
    else:
        state = "Nothing imported from a spreadsheet yet."
    return Step("Registers imported from spreadsheets", bool(facts.imported), state, links)
