from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandParser

from steerco.core.history import acting, command_actor


class Command(BaseCommand):
    help = (
        "Create (or reset) the demo programme-admin account and print its credentials. "
        "For the local demo only: it is never run outside scripts/demo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo-admin")

    def handle(self, *args: Any, **options: Any) -> None:
        password = secrets.token_urlsafe(15)  # 20 characters
        with acting(command_actor("demo-admin"), "demo account"):
            user, _ = get_user_model().objects.get_or_create(username=options["username"])
            user.is_staff = user.is_superuser = True
            validate_password(password, user)  # the real accounts' rules hold here too
            user.set_password(password)
            user.save()
        self.stdout.write(f"Demo admin: username {user.get_username()}  password {password}")
