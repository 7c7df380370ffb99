from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steerco.accounts.personas import PersonaError, ensure_personas
from steerco.core.history import acting, command_actor
from steerco.core.lookup import LookupFailed, default_programme


class Command(BaseCommand):
    help = (
        "Create (or reset) one demo account per role — programme admin, PMO editor, "
        "participant contacts of DCC and RECCo, steering-group member, public — for a loaded "
        "programme, and print their credentials. For the local demo only (scripts/demo)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--programme", metavar="CODE", help="which programme, where more than one is loaded"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            programme = default_programme(options["programme"])
            with acting(command_actor("demo-users"), "demo accounts"):
                accounts = ensure_personas(programme)
        except (LookupFailed, PersonaError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Demo accounts for {programme.code}, one per role. Sign in as the PMO editor to "
            "start; the others show what each role sees."
        )
        for account in accounts:
            role = account.persona.role.label
            if account.persona.organisation:
                role = f"{role} ({account.persona.organisation})"
            self.stdout.write(
                f"  {role:28} username {account.username:15} password {account.password}"
            )
            if account.persona.purpose:
                self.stdout.write(f"  {'':28} {account.persona.purpose}")
