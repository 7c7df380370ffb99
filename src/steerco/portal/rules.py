"""The portal's domain rules as plain functions over plain values: report status
transitions, what a report needs before it is submitted, dates a participant types, the
reporting period, late returns and the next free RAID ref. No database, no Django models.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from steerco.core.choices import REPORT_RECEIVED
from steerco.reports.dimensions import DIMENSIONS as DIMENSIONS

DRAFT, SUBMITTED, RETURNED, PUBLISHED = "draft", "submitted", "returned", "published"


class TransitionError(ValueError):
    pass


# (status, action) → the status it leads to. Nothing leaves "published": no edits after.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, "submit"): SUBMITTED,
    (RETURNED, "submit"): SUBMITTED,
    (SUBMITTED, "return"): RETURNED,
    (SUBMITTED, "publish"): PUBLISHED,
}
# Who takes each action: the report's own organisation submits, the PMO reviews.
BY_PARTICIPANT = frozenset({"submit"})
BY_PMO = frozenset({"return", "publish"})


def transition(status: str, action: str) -> str:
    """The status ``action`` leads to from ``status``, or TransitionError saying why not."""
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        if status == PUBLISHED:
            raise TransitionError("The report is published: it can no longer change.") from None
        raise TransitionError(f"A {status} report cannot be {_past(action)}.") from None


def _past(action: str) -> str:
    return {"submit": "submitted", "return": "returned", "publish": "published"}.get(action, action)


def editable(status: str) -> bool:
    """A report is edited by its organisation while a draft or after being returned."""
    return status in (DRAFT, RETURNED)


def submission_problems(report: Mapping[str, str]) -> dict[str, str]:
    """What a report still lacks before it may be submitted, by the field that lacks it
    (empty: nothing)."""
    problems = {}
    for name in ("overall", *DIMENSIONS):
        if not report.get(f"{name}_rag"):
            problems[f"{name}_rag"] = f"Give the {name} RAG before submitting."
    for name, label in (
        ("progress_last_month", "progress last month"),
        ("progress_next_month", "what is expected next month"),
    ):
        if not str(report.get(name, "")).strip():
            problems[name] = f"Say {label} before submitting."
    return problems


DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %b %Y", "%d %B %Y")


def parse_date(text: str) -> dt.date | None:
    """A date as a participant types it (2023-10-31, 31/10/2023, 31 Oct 2023), None when
    blank; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date: write it as 2023-10-31 or 31/10/2023.")


def date_order_problem(by_when: dt.date | None, report_date: dt.date | None) -> str | None:
    """A decision or escalation needed before the report's own date is already missed: it
    is refused (say so as an escalation with today's date instead)."""
    if by_when is not None and report_date is not None and by_when < report_date:
        return f"{by_when:%d %b %Y} is before the report date ({report_date:%d %b %Y})."
    return None


def report_date_problem(report_date: dt.date | None, meeting_date: dt.date) -> str | None:
    if report_date is not None and report_date > meeting_date:
        return f"The report date is after the meeting it reports to ({meeting_date:%d %b %Y})."
    return None


@dataclass(frozen=True)
class MeetingInfo:
    code: str
    kind: str
    date: dt.date
    state: str


def reporting_meeting(meetings: Sequence[MeetingInfo], current: str) -> str | None:
    """The meeting participants are reporting for: the first regular meeting still open
    (its pack not yet frozen), the programme's current one or one after it. None when
    none is scheduled."""
    ordered = sorted(meetings, key=lambda m: (m.date, m.code))
    now = next((m for m in ordered if m.code == current), None)
    if now is None:
        return None
    later = [m for m in ordered if m.date >= now.date and m.kind == "regular" and m.state == "open"]
    return later[0].code if later else None


@dataclass(frozen=True)
class Return:
    organisation_id: int
    name: str
    status: str  # "" when nothing was started
    late: bool


def late_returns(expected: Mapping[int, str], statuses: Mapping[int, str]) -> list[Return]:
    """Every expected organisation (id → name) with the status of its report for the
    period; it is late unless the report is submitted or published (a returned report is
    late again until it is resubmitted)."""
    rows = [
        Return(org, name, statuses.get(org, ""), statuses.get(org, "") not in REPORT_RECEIVED)
        for org, name in expected.items()
    ]
    return sorted(rows, key=lambda r: (not r.late, r.name.lower()))


REF_PREFIX = {"risk": "R", "issue": "I", "assumption": "A", "dependency": "D", "risk_or_issue": "R"}


def next_ref(existing: Iterable[str], type: str) -> str:
    """The next free ref for a RAID type: one past the highest number used by that prefix,
    three digits at least (R272 → R273)."""
    prefix = REF_PREFIX.get(type, "R")
    numbers = [
        int(m.group(1)) for ref in existing if (m := re.fullmatch(rf"{prefix}(\d+)", ref.strip()))
    ]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


def expected_organisations(
    previous_reporters: Mapping[int, str], with_contacts: Mapping[int, str]
) -> dict[int, str]:
    """Who owes a report: those that reported for the previous meeting, and every
    organisation with a participant contact."""
    return {**previous_reporters, **with_contacts}
