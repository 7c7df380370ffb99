"""Who is reminded of what, and the one digest e-mail per person per run.

Routing (the rules are in steerco.reminders.rules):

- An action due soon or overdue goes to the participant contacts of every organisation its
  owner text names, among them only those who may read it (steerco.accounts.access). When
  that leaves nobody — an owner matching no organisation, an organisation with no contact,
  a record its contacts may not read — it goes to the programme's PMO users instead, saying
  why. The PMO is also told of every overdue action.
- A delivery report not yet submitted or published for the reporting meeting (the portal's
  rule) goes to its organisation's participant contacts.
- An open meeting due within the window goes to the PMO users, to freeze it.

Every item is checked once more against what its reader may see before it is sent, so a
digest never carries a record its reader could not open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from steerco.accounts.access import Principal, principal_of, visible
from steerco.accounts.choices import Role
from steerco.accounts.models import Membership
from steerco.core.models import Meeting, Programme
from steerco.organisations.models import Organisation
from steerco.portal import services as portal
from steerco.raid.models import Action
from steerco.reminders import rules
from steerco.reminders.models import Reminder
from steerco.reminders.rules import Item, Kind

# How often a person's digest is retried when a concurrent run claims some of its items.
ATTEMPTS = 3


def link(name: str, *args: object) -> str:
    return settings.BASE_URL + reverse(name, args=args)


@dataclass
class Plan:
    """Each person's items, one per key."""

    users: dict[int, AbstractUser] = field(default_factory=dict)
    items: dict[int, dict[str, Item]] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)  # by code

    def add(self, users: Iterable[AbstractUser], item: Item) -> None:
        for user in users:
            self.users[user.pk] = user
            self.items.setdefault(user.pk, {}).setdefault(item.key, item)


# -- who -------------------------------------------------------------------------------------


def pmo_users(programme: Programme) -> list[AbstractUser]:
    return [
        m.user
        for m in Membership.objects.filter(
            Q(programme=programme) | Q(programme__isnull=True),
            role=Role.PMO,
            user__is_active=True,
        ).select_related("user")
    ]


def contacts(programme: Programme) -> dict[int, list[AbstractUser]]:
    """Each organisation's participant contacts (organisation id → users)."""
    found: dict[int, list[AbstractUser]] = {}
    for m in Membership.objects.filter(
        role=Role.PARTICIPANT, organisation__programme=programme, user__is_active=True
    ).select_related("user"):
        assert m.organisation_id is not None
        found.setdefault(m.organisation_id, []).append(m.user)
    return found


class Readers:
    """What each person may read, asked of the access module in batches and remembered."""

    def __init__(self) -> None:
        self._principals: dict[int, Principal] = {}
        self._known: dict[tuple[int, str], dict[int, bool]] = {}

    def may_read(
        self, user: AbstractUser, record: tuple[str, int], among: Iterable[int] = ()
    ) -> bool:
        """Whether ``user`` may read ``record``; ``among`` are other pks of its model worth
        asking about in the same query."""
        label, pk = record
        known = self._known.setdefault((user.pk, label), {})
        if pk not in known:
            asked = (set(among) | {pk}) - known.keys()
            who = self._principals.setdefault(user.pk, principal_of(user))
            query = apps.get_model(label)._default_manager.filter(pk__in=asked)
            shown = set(visible(query, who).values_list("pk", flat=True))
            known.update({p: p in shown for p in asked})
        return known[pk]


# -- what ------------------------------------------------------------------------------------


def collect(programmes: Iterable[Programme], today: dt.date, days: int) -> Plan:
    plan = Plan()
    readers = Readers()
    for programme in programmes:
        plan.programmes[programme.code] = programme
        pmo = pmo_users(programme)
        by_organisation = contacts(programme)
        _actions(plan, readers, programme, pmo, by_organisation, today, days)
        _reports(plan, programme, by_organisation, today, days)
        _meetings(plan, programme, pmo, today, days)
    # The last word on confidentiality: nobody is told of a record they may not read.
    for user_id, items in plan.items.items():
        user = plan.users[user_id]
        pks: dict[str, list[int]] = {}
        for item in items.values():
            pks.setdefault(item.record[0], []).append(item.record[1])
        plan.items[user_id] = {
            key: item
            for key, item in items.items()
            if readers.may_read(user, item.record, pks[item.record[0]])
        }
    return plan


def _actions(
    plan: Plan,
    readers: Readers,
    programme: Programme,
    pmo: list[AbstractUser],
    by_organisation: dict[int, list[AbstractUser]],
    today: dt.date,
    days: int,
) -> None:
    names = {
        o.pk: [o.name, *(str(a) for a in o.aliases or [])]
        for o in Organisation.objects.filter(programme=programme)
    }
    actions = [
        (action, kind)
        for action in Action.objects.filter(programme=programme, due_date__isnull=False)
        if (kind := rules.action_kind(action.due_date, action.status, today, days)) is not None
    ]
    pks = [a.pk for a, _ in actions]
    for action, kind in actions:
        assert action.due_date is not None
        item = Item(
            key=rules.action_key(action.pk, kind, action.due_date),
            kind=kind,
            programme=programme.code,
            date=action.due_date,
            title=f"{action.ref}: {_short(action.text)}",
            detail=f"due {action.due_date:%d %b %Y} ({rules.days_phrase(action.due_date, today)})"
            + (f"; owner {action.owners}" if action.owners else "; no owner"),
            link=link("web:register-item", programme.code, "actions", action.pk),
            record=(Action._meta.label, action.pk),
        )
        organisations = rules.owner_organisations(action.owners, names)
        owners = [u for org in sorted(organisations) for u in by_organisation.get(org, [])]
        told = [u for u in owners if readers.may_read(u, item.record, pks)]
        plan.add(told, item)
        note = rules.pmo_note(bool(organisations), bool(owners), bool(told), kind)
        if note is not None:
            plan.add(pmo, replace(item, note=note))


def _reports(
    plan: Plan,
    programme: Programme,
    by_organisation: dict[int, list[AbstractUser]],
    today: dt.date,
    days: int,
) -> None:
    meeting = portal.reporting_period(programme)
    if meeting is None or not rules.report_due(meeting.date, today, days):
        return
    for late in portal.returns(programme, meeting):
        if not late.late:
            continue
        status = late.status or "not started"
        item = Item(
            key=rules.report_key(late.organisation_id, meeting.pk),
            kind=Kind.REPORT,
            programme=programme.code,
            date=meeting.date,
            title=f"{late.name}'s delivery report for {meeting.code}",
            detail=f"{status}; the meeting is on {meeting.date:%d %b %Y} "
            f"({rules.days_phrase(meeting.date, today)})",
            link=link("portal:home", programme.code),
            record=(Meeting._meta.label, meeting.pk),
        )
        plan.add(by_organisation.get(late.organisation_id, []), item)


def _meetings(
    plan: Plan, programme: Programme, pmo: list[AbstractUser], today: dt.date, days: int
) -> None:
    for meeting in Meeting.objects.filter(programme=programme, state="open"):
        if not rules.needs_freezing(meeting.state, meeting.date, today, days):
            continue
        plan.add(
            pmo,
            Item(
                key=rules.freeze_key(meeting.pk, meeting.date),
                kind=Kind.FREEZE,
                programme=programme.code,
                date=meeting.date,
                title=f"{meeting.code} {meeting.title}".strip(),
                detail=f"still open; it meets on {meeting.date:%d %b %Y} "
                f"({rules.days_phrase(meeting.date, today)})",
                link=link("web:meeting", programme.code, meeting.code),
                record=(Meeting._meta.label, meeting.pk),
            ),
        )


def _short(text: str, limit: int = 100) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# -- sending ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    username: str
    email: str
    items: tuple[Item, ...]


@dataclass
class Outcome:
    sent: list[Digest] = field(default_factory=list)  # or, in a dry run, would be sent
    skipped: list[Digest] = field(default_factory=list)  # no e-mail address

    @property
    def items(self) -> int:
        return sum(len(d.items) for d in self.sent)


def run(
    programmes: Iterable[Programme], today: dt.date, days: int, *, dry_run: bool = False
) -> Outcome:
    plan = collect(programmes, today, days)
    outcome = Outcome()
    for user_id in sorted(plan.items, key=lambda pk: plan.users[pk].get_username()):
        user = plan.users[user_id]
        items = list(plan.items[user_id].values())
        if not items:
            continue
        if not user.email:
            fresh = [i for i in items if i.key not in claimed(user, items)]
            if fresh:
                outcome.skipped.append(Digest(user.get_username(), "", tuple(fresh)))
            continue
        if dry_run:
            sent = [i for i in items if i.key not in claimed(user, items)]
        else:
            sent = deliver(user, items, plan.programmes)
        if sent:
            outcome.sent.append(Digest(user.get_username(), user.email, tuple(sent)))
    return outcome


def claimed(user: AbstractUser, items: Sequence[Item]) -> set[str]:
    """The keys among ``items`` this person has already been sent."""
    keys = [i.key for i in items]
    return set(Reminder.objects.filter(user_id=user.pk, key__in=keys).values_list("key", flat=True))


def deliver(
    user: AbstractUser, items: Sequence[Item], programmes: dict[str, Programme]
) -> list[Item]:
    """Send ``user`` one digest of the items not yet sent to them, logging each in the same
    transaction; returns what was sent. A concurrent run that logs one of them first makes
    the insert fail: the digest is rolled back and rebuilt from what is left."""
    for attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                # Serialises runs per person on PostgreSQL; the unique key is the backstop.
                get_user_model().objects.select_for_update().filter(pk=user.pk).first()
                done = claimed(user, items)
                fresh = [i for i in items if i.key not in done]
                if not fresh:
                    return []
                Reminder.objects.bulk_create(
                    Reminder(user_id=user.pk, programme=programmes[i.programme], key=i.key)
                    for i in fresh
                )
                message(user, fresh, programmes).send()
                return fresh
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    return []


def message(
    user: AbstractUser, items: Sequence[Item], programmes: dict[str, Programme]
) -> EmailMultiAlternatives:
    context: dict[str, Any] = {
        "name": user.get_full_name() or user.get_username(),
        "sections": rules.grouped(items),
        "base_url": settings.BASE_URL,
    }
    names = [programmes[i.programme].name for i in items]
    email = EmailMultiAlternatives(
        rules.subject(items, names),
        render_to_string("reminders/digest.txt", context),
        None,
        [user.email],
    )
    email.attach_alternative(render_to_string("reminders/digest.html", context), "text/html")
    return email
