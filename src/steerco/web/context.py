from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from steerco.accounts.access import Can, may_create_programmes, principal


def access(request: HttpRequest) -> dict[str, Any]:
    """The principal, for navigation only: pages decide access in their views."""
    who = principal(request)
    return {
        "who": who,
        "may_read_registers": who.may(Can.READ_REGISTERS),
        "may_edit": who.may(Can.EDIT_REGISTERS),
        "may_read_plans": who.may(Can.READ_PLANS),
        "may_create_programmes": may_create_programmes(who),
    }
