from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from steerco.api import tokens
from steerco.api.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue an API token for a user (run as `steerco api-token`): the secret is printed once "
        "and only its digest is kept. The token acts with the user's role. Also lists and "
        "revokes a user's tokens."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", help="what the token is for (issue or revoke this one)")
        parser.add_argument("--days", type=int, help="expire after this many days")
        parser.add_argument("--revoke", action="store_true", help="revoke the token --name")
        parser.add_argument("--list", action="store_true", help="list the user's tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"no user {options['username']!r}")
        name = options["name"]
        if options["list"]:
            for token in ApiToken.objects.filter(user=user).order_by("name"):
                state = f"revoked {token.revoked:%Y-%m-%d}" if token.revoked else "live"
                self.stdout.write(f"{token.name}\t{token.prefix}…\t{state}")
            return
        if not name:
            raise CommandError("give the token a --name (what it is for)")
        if options["revoke"]:
            if not tokens.revoke(user, name):
                raise CommandError(f"{user.get_username()} has no live token named {name!r}")
            self.stdout.write(f"Revoked {name}.")
            return
        if options["days"] is not None and options["days"] < 1:
            raise CommandError("--days must be 1 or more")
        try:
            _, secret = tokens.issue(user, name, days=options["days"])
        except tokens.TokenError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(secret)
