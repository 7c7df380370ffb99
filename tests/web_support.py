"""Personas and data shared by the web tests: one account per role for the MHHS example,
and a draft delivery report of DCC that no other organisation may see."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import AbstractUser
from django.test import Client

from steerco.accounts.personas import PERSONAS, Persona, ensure_personas
from steerco.core.history import acting
from steerco.core.models import Meeting, Programme
from steerco.organisations.models import Organisation
from steerco.pack.editions import Edition
from steerco.reports.models import DeliveryReport

ANONYMOUS = Persona("anonymous", PERSONAS[-1].role)
PERSONA_KEYS = [p.key for p in PERSONAS] + [ANONYMOUS.key]


def password_of(persona: Persona) -> str:
    return f"persona-{persona.key}-password"


@dataclass(frozen=True)
class Cast:
    programme: Programme
    users: dict[str, AbstractUser]
    draft: DeliveryReport  # DCC's unpublished report

    def client(self, key: str) -> Client:
        client = Client(HTTP_HOST="localhost")
        if key != ANONYMOUS.key:
            client.force_login(self.users[key])
        return client


def make_cast(*, with_passwords: bool = False) -> Cast:
    programme = Programme.objects.get(code="mhhs")
    with acting("tests", "web test personas"):
        accounts = ensure_personas(programme, password=password_of if with_passwords else None)
        draft = DeliveryReport.objects.create(
            programme=programme,
            meeting=Meeting.objects.get(programme=programme, code="PSG-24"),
            organisation=Organisation.objects.get(programme=programme, name="DCC"),
            title="DCC draft report — not for other organisations",
            kind="core provider",
            status="draft",
            overall_rag="red",
            order=99,
        )
    return Cast(programme, {a.persona.key: a.user for a in accounts}, draft)


def stand_in_packs(var_dir: Path, meeting: str = "PSG-24") -> None:
    """A meeting's editions as built files where the pages serve them from (settings.VAR_DIR
    set to ``var_dir``): the front door lists a published meeting only once it is built."""
    folder = var_dir / "packs" / "mhhs"
    folder.mkdir(parents=True, exist_ok=True)
    for edition in Edition:
        for suffix in ("pdf", "html"):
            (folder / f"{meeting}-{edition.value}.{suffix}").write_bytes(b"%PDF-1.4 test pack")
