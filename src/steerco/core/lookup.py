"""The programme and meeting a command names, as every command resolves them."""

from __future__ import annotations

from steerco.core.models import Meeting, Programme


class LookupFailed(ValueError):
    """A programme or meeting that is not there, or a programme left unnamed among several."""


def resolve_meeting(programme: Programme, code: str) -> Meeting:
    meeting = Meeting.objects.filter(programme=programme, code=code).first()
    if meeting is None:
        known = ", ".join(
            Meeting.objects.filter(programme=programme).values_list("code", flat=True)
        )
        raise LookupFailed(f"no meeting '{code}' in programme {programme.code} (known: {known})")
    return meeting


def default_programme(code: str | None = None) -> Programme:
    if code:
        programme = Programme.objects.filter(code=code).first()
        if programme is None:
            raise LookupFailed(f"no programme '{code}' is loaded")
        return programme
    programmes = list(Programme.objects.order_by("code"))
    if not programmes:
        raise LookupFailed("no programme is loaded: run `steerco load examples/mhhs` first")
    if len(programmes) > 1:
        codes = ", ".join(p.code for p in programmes)
        raise LookupFailed(f"several programmes are loaded ({codes}): name one with --programme")
    return programmes[0]
