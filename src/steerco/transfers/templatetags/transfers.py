"""The download (and, for editors, import) buttons of a register page."""

from __future__ import annotations

from typing import Any

from django import template

from steerco.accounts.access import Can, principal, visible
from steerco.core.models import Meeting

register = template.Library()


@register.inclusion_tag("transfers/_buttons.html", takes_context=True)
def transfer_buttons(context: Any) -> dict[str, Any]:
    """Needs the page's ``programme`` and (web) ``register`` in the context."""
    who = principal(context["request"])
    programme = context["programme"]
    meetings = visible(Meeting.objects.filter(programme=programme), who).order_by("-date")
    return {
        "programme": programme,
        "register": context["register"],
        "meetings": list(meetings.values_list("code", flat=True)),
        "may_import": who.may(Can.EDIT_REGISTERS),
        "import_register": context["register"].part_of or context["register"].slug,
    }
