"""The pages of the URL configuration, each with its parameters filled in every useful way:
the access matrix (tests/test_web_access.py) and the canary matrix (tests/test_canaries.py)
both walk them, so a new page cannot escape either."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from steerco.accounts.access import Principal, visible
from steerco.accounts.choices import Role
from steerco.registers import PAGES as REGISTERS
from steerco.web.dashboards import DASHBOARDS
from tests.planning_support import finished_run
from tests.portal_support import PORTAL_PARAMS, portal_values
from tests.web_support import Cast


@dataclass(frozen=True)
class Page:
    name: str
    kwargs: dict[str, Any]
    draft: bool = False

    @property
    def url(self) -> str:
        return reverse(self.name, kwargs=self.kwargs)


def url_names() -> Iterator[tuple[str, list[str]]]:
    """(namespaced name, keyword arguments) of every URL pattern outside the admin."""

    def walk(patterns: list[Any], namespace: str) -> Iterator[tuple[str, list[str]]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"unnamed URL pattern {entry.pattern}"
                yield f"{namespace}{entry.name}", list(entry.pattern.converters)

    yield from walk(get_resolver().url_patterns, "")


def samples(cast: Cast, known: Collection[str]) -> list[Page]:
    """Every page of every URL pattern, with each parameter filled in every useful way; a
    pattern whose name is not in ``known`` fails."""
    pmo = Principal(Role.PMO)
    pages = []
    for name, params in url_names():
        assert name in known, f"{name} is not in the access matrix: add it to EXPECTED"
        choices: list[dict[str, Any]] = [{}]
        for param in params:
            if param == "register" and "pk" in params:
                continue  # a record's register is chosen with the record, below
            choices = [dict(c, **extra) for c in choices for extra in _values(param, cast, pmo)]
        for kwargs in choices:
            if "pk" not in kwargs:
                pages.append(Page(name, kwargs))
                continue
            for register in REGISTERS:
                records = register.model._default_manager.filter(programme=cast.programme)
                record = visible(records, pmo).first()
                if record is not None:  # the example has none of some (applications)
                    pages.append(Page(name, {**kwargs, "register": register.slug, "pk": record.pk}))
            pages.append(
                Page(name, {**kwargs, "register": "reports", "pk": cast.draft.pk}, draft=True)
            )
    return pages


def _values(param: str, cast: Cast, pmo: Principal) -> list[dict[str, Any]]:
    if param == "programme":
        return [{"programme": cast.programme.code}]
    if param == "dashboard":
        return [{"dashboard": d.slug} for d in DASHBOARDS]
    if param == "meeting":
        return [{"meeting": "PSG-24"}]
    if param == "body":
        return [{"body": "PSG"}]
    if param == "register":
        return [{"register": r.slug} for r in REGISTERS]
    if param == "pk":
        return [{"pk": "register"}]  # filled per register above
    if param == "uidb64":
        return [{"uidb64": "MQ"}]
    if param == "token":
        return [{"token": "not-a-valid-token"}]
    if param in PORTAL_PARAMS:
        return portal_values(param, cast)
    if param == "job":
        from steerco.jobs.models import Job
        from steerco.transfers import imports

        # A large import's finished preview (the PMO's upload): its progress page, and its
        # preview page for every editor (the confirm form only for the PMO).
        preview = imports.shown(imports.Preview(None, error="sample."))
        job = Job.objects.create(
            programme=cast.programme,
            kind="import",
            params={"step": "preview", "register": "milestones", "source": "plan.csv"},
            requested_by=cast.users["pmo"],
            state="done",
            result={"step": "preview", "preview": preview},
        )
        return [{"job": job.pk}]
    if param == "section":
        from steerco.core.models import NarrativeSection

        section = NarrativeSection.objects.filter(meeting__code="PSG-24").order_by("pk").first()
        assert section is not None
        return [{"section": section.pk}]
    if param == "paper":
        return [{"paper": sample_paper(cast).pk}]
    if param == "milestone":
        return [{"milestone": "T1-TE-1000"}]
    if param == "run":
        return [{"run": finished_run(cast.programme).pk}]
    if param == "secret":
        from steerco.calendars import addresses
        from steerco.calendars.models import FeedScope

        feed = addresses.issue(cast.users["pmo"], cast.programme, FeedScope.PROGRAMME)
        return [{"secret": feed}]
    raise AssertionError(f"no sample value for URL parameter {param!r}: add one")


def sample_paper(cast: Cast) -> Any:
    """A Programme paper of PSG-24: every reader of the meeting may download it."""
    from django.core.files.base import ContentFile

    from steerco.core.history import acting
    from steerco.core.models import Meeting, Paper

    meeting = Meeting.objects.get(programme=cast.programme, code="PSG-24")
    with acting("tests", "a sample paper"):
        paper = Paper(meeting=meeting, title="Sample paper", classification="programme")
        paper.file.save("sample.txt", ContentFile(b"A sample paper."), save=True)
    return paper
