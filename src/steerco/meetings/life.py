"""A meeting's life: open → frozen → published → held → closed.

- **open**: no cut-off yet; its pack is a draft built from the live registers on demand.
- **frozen**: the PMO freezes it; that moment is the cut-off every edition is built from, in
  the background. Re-freezing before publication moves the cut-off and rebuilds; each
  freeze is in the meeting's history with its reason.
- **published**: each audience may download its edition and is told by e-mail; nothing
  rebuilds a published edition. The meeting becomes the programme's current one.
- **held**: what the meeting did is recorded (attendance, minutes, decisions, actions).
- **closed**: the next meeting of its body becomes current (set up from the cadence when
  none is scheduled); open actions carry to its review of actions.

Each step is one transaction, written with its actor and reason, and refused with a reason
the PMO can act on when the meeting is not in the state it needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from steerco.core import cadence
from steerco.core.choices import MeetingState
from steerco.core.history import acting
from steerco.core.models import AgendaItem, Body, Meeting, NarrativeSection, Programme
from steerco.jobs.models import Job
from steerco.raid.models import Action

State = MeetingState

# What each step needs the meeting to be in.
NEEDS: dict[str, tuple[MeetingState, ...]] = {
    "freeze": (State.OPEN, State.FROZEN),
    "publish": (State.FROZEN,),
    "hold": (State.PUBLISHED,),
    "close": (State.HELD,),
}
# Agenda fields a drafted item keeps from the meeting before (not its times or minutes).
_DRAFTED = ("title", "objective", "sub_items", "type", "lead", "duration_minutes", "standing")


class LifeError(Exception):
    """A step the meeting's state does not allow, said so the PMO can act on it."""


def require(meeting: Meeting, step: str) -> None:
    allowed = NEEDS[step]
    if meeting.state not in allowed:
        states = " or ".join(str(MeetingState(s).label).lower() for s in allowed)
        raise LifeError(
            f"{meeting.code} is {meeting.get_state_display().lower()}: only a meeting that is "
            f"{states} can be {_DONE[step]}."
        )


_DONE = {"freeze": "frozen", "publish": "published", "hold": "held", "close": "closed"}


def body_of(meeting: Meeting) -> Body | None:
    return Body.objects.filter(programme_id=meeting.programme_id, code=meeting.body).first()


# -- the next meeting ------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftItem:
    number: int
    values: dict[str, object]

    @property
    def title(self) -> str:
        return str(self.values["title"])


@dataclass(frozen=True)
class Proposal:
    """The body's next regular meeting as its cadence places it, with its agenda drafted."""

    body: Body
    code: str
    number: int | None
    date: dt.date
    start_time: dt.time | None
    end_time: dt.time | None
    location: str
    last: Meeting | None  # the meeting it follows, the agenda drafted from
    agenda: list[DraftItem] = field(default_factory=list)
    sections: list[NarrativeSection] = field(default_factory=list)


def last_regular(programme: Programme, body: str) -> Meeting | None:
    return (
        Meeting.objects.filter(programme=programme, body=body, kind="regular")
        .order_by("-date", "-pk")
        .first()
    )


def propose_next(programme: Programme, body: Body, today: dt.date | None = None) -> Proposal:
    """The next regular meeting of ``body``: the first date of its cadence after its last
    regular meeting, scheduled or held (after today when it has none), numbered one on; its
    agenda the last meeting's standing items, its narrative sections the last meeting's, as
    drafts."""
    if not body.cadence:
        raise LifeError(
            f"{body.code} has no cadence: give it one on its page, or schedule its meeting by date."
        )
    last = last_regular(programme, body.code)
    after = last.date if last else (today or timezone.localdate())
    date = cadence.dates(body.cadence, after, 1)[0]
    number = (last.number + 1) if last and last.number else (None if last else 1)
    code = f"{body.code}-{number}" if number else f"{body.code}-{date:%Y-%m-%d}"
    items = list(last.agenda_items.order_by("number")) if last else []
    standing = [item for item in items if item.standing]
    agenda = [
        DraftItem(n, {name: getattr(item, name) for name in _DRAFTED})
        for n, item in enumerate(standing, 1)
    ]
    sections = list(last.sections.order_by("order")) if last else []
    return Proposal(
        body=body,
        code=code,
        number=number,
        date=date,
        start_time=body.start_time or (last.start_time if last else None),
        end_time=body.end_time or (last.end_time if last else None),
        location=body.location or (last.location if last else ""),
        last=last,
        agenda=agenda,
        sections=sections,
    )


def create_next(
    programme: Programme, proposal: Proposal, actor: str, reason: str, *, sections: bool = True
) -> Meeting:
    """Set up the proposed meeting in one step: open, its agenda and (when ``sections``)
    its narrative sections drafted from the meeting before."""
    if Meeting.objects.filter(programme=programme, code=proposal.code).exists():
        raise LifeError(f"A meeting {proposal.code} already exists in {programme.code}.")
    with transaction.atomic(), acting(actor, reason):
        meeting = Meeting.objects.create(
            programme=programme,
            code=proposal.code,
            body=proposal.body.code,
            number=proposal.number,
            kind="regular",
            title=_title(proposal),
            date=proposal.date,
            start_time=proposal.start_time,
            end_time=proposal.end_time,
            location=proposal.location,
            state=State.OPEN,
        )
        for item in proposal.agenda:
            AgendaItem.objects.create(meeting=meeting, number=item.number, **item.values)
        if sections:
            for section in proposal.sections:
                NarrativeSection.objects.create(
                    meeting=meeting,
                    order=section.order,
                    slug=section.slug,
                    title=section.title,
                    body=section.body,
                    classification=section.classification,
                )
    return meeting


def _title(proposal: Proposal) -> str:
    name = proposal.body.name or proposal.body.code
    return f"{name} #{proposal.number}" if proposal.number else name


# -- open → frozen → published → held → closed -----------------------------------------------


def freeze(meeting: Meeting, actor: str, reason: str = "") -> Meeting:
    """The cut-off is now. A frozen meeting may be frozen again until it is published."""
    require(meeting, "freeze")
    again = meeting.state == State.FROZEN
    words = ("re-frozen" if again else "frozen") + (f": {reason}" if reason else "")
    with transaction.atomic(), acting(actor, words):
        meeting.cutoff = timezone.now()
        meeting.state = State.FROZEN
        meeting.save(update_fields=["cutoff", "state"])
    return meeting


def publish(meeting: Meeting, actor: str, reason: str = "published") -> Meeting:
    """Published: it becomes the programme's current meeting unless a later one already is."""
    require(meeting, "publish")
    with transaction.atomic(), acting(actor, reason):
        meeting.state = State.PUBLISHED
        meeting.published_at = timezone.now()
        meeting.save(update_fields=["state", "published_at"])
        programme = meeting.programme
        current = Meeting.objects.filter(
            programme=programme, code=programme.current_meeting_code
        ).first()
        if current is None or current.date <= meeting.date:
            programme.current_meeting_code = meeting.code
            programme.save(update_fields=["current_meeting_code"])
    return meeting


def hold(meeting: Meeting, actor: str, reason: str = "held") -> Meeting:
    require(meeting, "hold")
    with transaction.atomic(), acting(actor, reason):
        meeting.state = State.HELD
        meeting.save(update_fields=["state"])
    return meeting


@dataclass(frozen=True)
class Closed:
    meeting: Meeting
    current: Meeting  # the programme's current meeting after closing
    created: bool  # whether it was set up from the cadence now
    carried: list[Action]  # open actions its review of actions takes


def close(meeting: Meeting, actor: str, reason: str = "closed") -> Closed:
    """Closed; when it was the current meeting, the next regular meeting of its body becomes
    current, set up from the cadence when none is scheduled."""
    require(meeting, "close")
    programme = meeting.programme
    with transaction.atomic(), acting(actor, reason):
        meeting.state = State.CLOSED
        meeting.save(update_fields=["state"])
        following = (
            Meeting.objects.filter(
                programme=programme, body=meeting.body, kind="regular", date__gt=meeting.date
            )
            .order_by("date")
            .first()
        )
        created = False
        if following is None:
            body = body_of(meeting)
            if body is None:
                raise LifeError(f"{meeting.body} is not a body of {programme.code}.")
            following = create_next(programme, propose_next(programme, body), actor, reason)
            created = True
        current = following
        if programme.current_meeting_code == meeting.code:
            programme.current_meeting_code = following.code
            programme.save(update_fields=["current_meeting_code"])
        else:
            current = Meeting.objects.get(programme=programme, code=programme.current_meeting_code)
    return Closed(meeting, current, created, actions_to_review(following))


def actions_to_review(meeting: Meeting, actions: Sequence[Action] | None = None) -> list[Action]:
    """The open actions a meeting's review of actions takes: not closed, raised at an
    earlier meeting."""
    found = (
        actions
        if actions is not None
        else Action.objects.filter(programme_id=meeting.programme_id).select_related("raised_at")
    )
    return [
        a
        for a in found
        if a.status != "closed" and a.raised_at is not None and a.raised_at.date < meeting.date
    ]


# -- what a held meeting raises --------------------------------------------------------------


def action_prefix(meeting: Meeting) -> str:
    """Actions raised at PSG-25 are PSG25-01, PSG25-02…, as the seed numbers PSG23-01."""
    return f"{meeting.body}{meeting.number}-" if meeting.number else f"{meeting.code}-"


def next_action_ref(meeting: Meeting) -> str:
    prefix = action_prefix(meeting)
    refs = Action.objects.filter(programme_id=meeting.programme_id, ref__startswith=prefix)
    numbers = [
        int(r[len(prefix) :])
        for r in refs.values_list("ref", flat=True)
        if r[len(prefix) :].isdigit()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def quorum(meeting: Meeting, body: Body | None) -> bool | None:
    """Whether the members present make the body's quorum; None where it is unknown."""
    if body is None or body.quorum is None or not meeting.attendees.exists():
        return None
    present = meeting.attendees.filter(member=True, attendance="present").count()
    return present >= body.quorum


# -- its pack's build -----------------------------------------------------------------------


def latest_build(meeting: Meeting) -> Job | None:
    """The newest job building the meeting's pack, whatever its state."""
    return (
        Job.objects.filter(
            programme_id=meeting.programme_id, kind=Job.Kind.PACK, params__meeting=meeting.code
        )
        .order_by("-created")
        .first()
    )


def built_from_cutoff(job: Job, meeting: Meeting) -> bool:
    """Whether the job built from the meeting's present cut-off (not an earlier freeze's)."""
    return meeting.cutoff is not None and job.result.get("cutoff") == meeting.cutoff.isoformat()
