"""Planted secrets for the canary matrix: a distinct, short word in every kind of restricted
state, each with the personas that may see it.

Each secret is frozen into a meeting's state (PSG-99, whose cut-off falls after the planting)
and, where it says so, changed or declassified after the cut-off, so the live state, the
state as of the meeting and the history between them all differ."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import models
from django.utils import timezone

from steerco.core.history import acting
from steerco.core.models import Meeting, Paper, Programme
from steerco.milestones.models import Milestone
from steerco.organisations.models import Organisation
from steerco.raid.models import Action, MitigationStep, RaidItem
from steerco.registers import FILED
from steerco.reports.models import (
    DeliveryReport,
    ProviderStatus,
    ReportDecision,
    ReportEscalation,
    ReportMilestone,
    ReportRaidEntry,
)
from tests.portal_support import answer_round, open_round, raise_submission
from tests.web_support import Cast

PMO = frozenset({"admin", "pmo"})
DCC = PMO | {"dcc"}
MEETING = "PSG-99"

_numbers = itertools.count(1)


def secret_word(kind: str) -> str:
    """Short and unbroken, so it survives table cells and PDF text extraction."""
    return f"CNRY{kind[:4].upper()}{next(_numbers):03d}"


@dataclass
class Secret:
    word: str
    what: str
    readers: frozenset[str]


@dataclass
class Planted:
    meeting: Meeting
    secrets: list[Secret] = field(default_factory=list)

    def add(self, kind: str, what: str, readers: frozenset[str]) -> str:
        word = secret_word(kind)
        self.secrets.append(Secret(word, what, readers))
        return word


def _text_field(model: type[models.Model]) -> models.Field[Any, Any] | None:
    """A free-text field of ``model`` to hide a word in (not a key other rows name it by)."""
    natural = getattr(model, "NATURAL_KEY", None)
    for wanted in (models.TextField, models.CharField):
        for candidate in model._meta.concrete_fields:
            if (
                type(candidate) is wanted
                and not candidate.choices
                and not candidate.unique
                and candidate.name not in (natural, "classification", "code", "ref", "slug")
                and (candidate.max_length or 1000) >= 20
            ):
                return candidate
    return None


def plant(cast: Cast) -> Planted:
    programme = cast.programme
    dcc = Organisation.objects.get(programme=programme, name="DCC")
    with acting("tests", "canaries"):
        # The programme and the meeting are Public, so the public and anonymous visitors read
        # its public edition and whatever else the access rules would let them.
        Programme.objects.filter(pk=programme.pk).update(classification="public")
        programme.refresh_from_db()
        meeting = Meeting.objects.create(
            programme=programme,
            code=MEETING,
            body="PSG",
            number=99,
            date=timezone.localdate() + dt.timedelta(days=7),
            cutoff=timezone.now() + dt.timedelta(days=1),  # set to the end of the planting below
            classification="public",
        )
        planted = Planted(meeting)
        for status in ("draft", "submitted", "returned"):
            _report(planted, programme, meeting, dcc, status)
        _drafts_of_a_published_report(planted, programme, meeting, dcc)
        _confidential_of_each_register(planted, programme, dcc)
        _confidential_organisation(planted, programme)
        item = _declassified_later(planted, programme)
        _confidential_paper(planted, meeting)
        _in_calendar_feeds(planted, programme)
        submission = raise_submission(cast, "dcc", planted.add("subm", "RAID submission", DCC))
        answer_round(open_round(programme), "DCC", planted.add("answ", "RA answer", DCC))
        meeting.cutoff = timezone.now()
        meeting.save()
    with acting("tests", "declassified after the cut-off"):
        item.classification = "programme"
        item.description = "Declassified after the cut-off; what it said before is not shown."
        item.save()
    assert submission.pk
    return planted


def _report(
    planted: Planted, programme: Programme, meeting: Meeting, org: Organisation, status: str
) -> DeliveryReport:
    report = DeliveryReport.objects.create(
        programme=programme,
        meeting=meeting,
        organisation=org,
        title=f"DCC {status} report {planted.add('rept', f'{status} report title', DCC)}",
        progress_last_month=planted.add("prog", f"{status} report progress", DCC),
        kind="core provider",
        status=status,
        overall_rag="red",
        order=90 + len(planted.secrets),
    )
    ReportMilestone.objects.create(
        report=report, order=1, name=planted.add("rmil", f"{status} report milestone", DCC)
    )
    ReportRaidEntry.objects.create(
        report=report,
        order=1,
        type="risk",
        description=planted.add("rrai", f"{status} report RAID", DCC),
    )
    ReportDecision.objects.create(
        report=report, order=1, description=planted.add("rdec", f"{status} report decision", DCC)
    )
    ReportEscalation.objects.create(
        report=report, order=1, text=planted.add("resc", f"{status} report escalation", DCC)
    )
    return report


def _drafts_of_a_published_report(
    planted: Planted, programme: Programme, meeting: Meeting, org: Organisation
) -> None:
    """A report whose line said one thing while a draft, then was corrected and published:
    the draft's words stay the PMO's and DCC's."""
    report = _report_shell(programme, meeting, org)
    line = ReportEscalation.objects.create(
        report=report, order=1, text=planted.add("dedi", "published report's draft edit", DCC)
    )
    line.text = "Corrected before publication."
    line.save()
    report.status = "published"
    report.save()


def _report_shell(programme: Programme, meeting: Meeting, org: Organisation) -> DeliveryReport:
    return DeliveryReport.objects.create(
        programme=programme,
        meeting=meeting,
        organisation=org,
        title="DCC published report",
        kind="core provider",
        status="draft",
        overall_rag="amber",
        order=89,
    )


def _confidential_of_each_register(planted: Planted, programme: Programme, dcc: Any) -> None:
    """One participant-confidential record of each register section (DCC's where the record
    has an organisation, so DCC's contact reads it and no one else outside the PMO does),
    and one child row (a mitigation step) confidential under a Programme risk."""
    for section in FILED:
        model = section.model
        record = model._default_manager.filter(programme=programme).order_by("pk").first()
        text = _text_field(model)
        if record is None or text is None:
            continue
        own = any(f.name == "organisation" for f in model._meta.concrete_fields)
        if own:
            record.organisation = dcc  # type: ignore[attr-defined]
        readers = DCC if own else PMO
        word = planted.add(section.key, f"confidential {model.__name__}", readers)
        setattr(record, text.attname, word)
        record.classification = "confidential"  # type: ignore[attr-defined]
        record.save()
    risk = RaidItem.objects.filter(programme=programme, classification="programme").first()
    assert risk is not None
    MitigationStep.objects.create(
        item=risk,
        order=99,
        text=planted.add("miti", "confidential mitigation step", PMO),
        classification="confidential",
    )


def _confidential_organisation(planted: Planted, programme: Programme) -> None:
    """An organisation classified confidential, named by a Programme record: the name is
    shown to no one who may not see the organisation."""
    org = Organisation.objects.create(
        programme=programme,
        name=planted.add("orgn", "confidential organisation's name", PMO),
        classification="confidential",
    )
    ProviderStatus.objects.create(
        programme=programme, organisation=org, table="core", order=99, stated_name="Provider X"
    )


def _declassified_later(planted: Planted, programme: Programme) -> RaidItem:
    item = RaidItem.objects.filter(programme=programme, classification="programme").last()
    assert item is not None
    item.classification = "confidential"
    item.description = planted.add("decl", "confidential at the cut-off, declassified after", PMO)
    item.save()
    return item


def _in_calendar_feeds(planted: Planted, programme: Programme) -> None:
    """What calendar feeds carry: a confidential tier 1 milestone and a confidential action
    naming DCC (both the PMO's alone), and a Programme-classified meeting (not the public's)."""
    Milestone.objects.create(
        programme=programme,
        code="T1-CN-0001",
        tier="T1",
        title=planted.add("cmil", "confidential tier 1 milestone", PMO),
        forecast_date=timezone.localdate(),
        classification="confidential",
    )
    Action.objects.create(
        programme=programme,
        ref="CNRY-01",
        text=planted.add("cact", "confidential action owned by DCC", PMO),
        owners="DCC",
        due_date=timezone.localdate(),
        status="open",
        classification="confidential",
    )
    Meeting.objects.create(
        programme=programme,
        code="TMAG-99",
        body="TMAG",
        title=planted.add("pmtg", "Programme meeting", PMO | {"dcc", "recco", "steering"}),
        date=timezone.localdate(),
        classification="programme",
    )


def _confidential_paper(planted: Planted, meeting: Meeting) -> Paper:
    """A participant-confidential paper of the (public) canary meeting: its title and its
    file's words are the PMO's alone, in the list of papers and at its download."""
    word = planted.add("papr", "confidential paper (title and file)", PMO)
    paper = Paper(meeting=meeting, title=f"Paper {word}", classification="confidential")
    paper.file.save("confidential.txt", ContentFile(f"The paper says {word}.".encode()), save=True)
    return paper
