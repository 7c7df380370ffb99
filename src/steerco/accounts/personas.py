"""One demo persona per role for a loaded programme (the demo and the tests use them)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password

from steerco.accounts.choices import Role
from steerco.accounts.models import Membership
from steerco.core.models import Programme
from steerco.organisations.models import Organisation


class PersonaError(ValueError):
    pass


@dataclass(frozen=True)
class Persona:
    key: str
    role: Role
    organisation: str = ""  # the organisation's name, for participant contacts
    purpose: str = ""  # what to sign in as it for, in the demo's words

    def username(self, programme: Programme) -> str:
        return f"{programme.code}-{self.key}"


# Participants of two organisations, so that isolation between them can be seen.
PERSONAS: tuple[Persona, ...] = (
    Persona(
        "admin",
        Role.ADMIN,
        purpose="sets up programmes, bodies and members; the Django admin at /admin/",
    ),
    Persona(
        "pmo",
        Role.PMO,
        purpose="start here: edits the registers, prepares PSG-25, freezes and publishes packs",
    ),
    Persona(
        "dcc",
        Role.PARTICIPANT,
        "DCC",
        purpose="writes DCC's delivery report in the portal; sees DCC's confidential records",
    ),
    Persona(
        "recco",
        Role.PARTICIPANT,
        "RECCo",
        purpose="another participant: sees neither DCC's draft report nor its confidential ones",
    ),
    Persona(
        "steering",
        Role.STEERING,
        purpose="reads the dashboards, the members' edition of the pack and the migration plan",
    ),
    Persona(
        "public",
        Role.PUBLIC,
        purpose="reads only what is public: the public edition of a published pack",
    ),
)


@dataclass(frozen=True)
class Account:
    persona: Persona
    username: str
    password: str
    user: AbstractUser


def ensure_personas(
    programme: Programme,
    password: Callable[[Persona], str] | None = lambda _: secrets.token_urlsafe(15),
    personas: tuple[Persona, ...] = PERSONAS,
) -> list[Account]:
    """Create or reset each persona's account and role; returns their credentials.

    ``password=None`` gives accounts that cannot sign in with a password (tests that log
    them in directly, without paying for Argon2 six times)."""
    accounts = []
    for persona in personas:
        organisation = None
        if persona.organisation:
            organisation = Organisation.objects.filter(
                programme=programme, name=persona.organisation
            ).first()
            if organisation is None:
                raise PersonaError(
                    f"programme {programme.code} has no organisation {persona.organisation!r}"
                )
        secret = password(persona) if password else ""
        user: AbstractUser = get_user_model().objects.get_or_create(
            username=persona.username(programme)
        )[0]
        user.is_staff = user.is_superuser = persona.role is Role.ADMIN
        # A reserved domain (RFC 2606): the demo's notices reach no one.
        user.email = f"{user.get_username()}@example.invalid"
        if secret:
            # The real accounts' rules hold for the demo's too (the stubs want the concrete User).
            validate_password(secret, user)  # type: ignore[arg-type]
            user.set_password(secret)
        else:
            user.set_unusable_password()  # tests that sign in without a password
        user.save()
        # The programme admin is an admin of every programme (Membership.programme blank),
        # so it reaches a programme it creates on the web; every other role is bound to one.
        bound = None if persona.role is Role.ADMIN else programme
        Membership.objects.update_or_create(
            user=user,
            defaults={"role": persona.role, "programme": bound, "organisation": organisation},
        )
        accounts.append(Account(persona, user.get_username(), secret, user))
    return accounts
