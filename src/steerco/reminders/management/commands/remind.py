from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from steerco.core.models import Programme
from steerco.reminders import services


class Command(BaseCommand):
    help = (
        "E-mail each person one digest of what is due to them: actions due within --days or "
        "overdue, late delivery reports, open meetings to freeze. Nothing is sent twice; safe "
        "to run from a timer."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", metavar="CODE", help="one programme (default: all)")
        parser.add_argument(
            "--days", type=int, default=7, help="how far ahead counts as due (default: 7)"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be sent; send and log nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError("--days cannot be negative")
        programmes = Programme.objects.order_by("code")
        if options["programme"]:
            programmes = programmes.filter(code=options["programme"])
            if not programmes.exists():
                raise CommandError(f"no programme {options['programme']!r}")
        dry = options["dry_run"]
        outcome = services.run(list(programmes), timezone.localdate(), options["days"], dry_run=dry)
        verb = "Would e-mail" if dry else "E-mailed"
        for digest in outcome.sent:
            self.stdout.write(f"{verb} {digest.username} <{digest.email}>:")
            for item in digest.items:
                self.stdout.write(f"  {item.key}  {item.title}")
        for digest in outcome.skipped:
            self.stdout.write(
                f"Skipped {digest.username}: no e-mail address "
                f"({len(digest.items)} item{'s' if len(digest.items) != 1 else ''} unsent)"
            )
        people, items, skipped = len(outcome.sent), outcome.items, len(outcome.skipped)
        self.stdout.write(
            f"{'Dry run: would e-mail' if dry else 'E-mailed'} {people} "
            f"{'person' if people == 1 else 'people'} about {items} "
            f"item{'' if items == 1 else 's'}; skipped {skipped} without an e-mail address."
        )
