"""What every section of the pack reads: the frame, the meeting, its narrative, the
findings, the audience, and each dashboard's computation (made once per pack).

Its own module, below the builder and the section modules alike, so that none of them
imports another in a circle."""

from __future__ import annotations

from typing import Any

from steerco.dashboards import BY_SLUG
from steerco.io.exporter import Row
from steerco.pack import pictures
from steerco.pack.derive import narrative
from steerco.pack.document import Section
from steerco.pack.editions import Audience
from steerco.rules.findings import Finding
from steerco.rules.frame import Frame


class Pack:
    def __init__(self, frame: Frame, findings: list[Finding], audience: Audience) -> None:
        if frame.meeting is None:
            raise ValueError("a pack is built for a meeting")
        self.frame = frame
        self.meeting = frame.meeting
        self.code = frame.meeting.code
        self.findings = findings
        self.audience = audience
        self.narrative = narrative(frame, self.code)
        self.previous = frame.previous_meeting.code if frame.previous_meeting else None
        self._computed: dict[str, Any] = {}

    def dashboard(self, slug: str) -> Any:
        """The dashboard's computation over this pack's frame (the web's, for its page)."""
        if slug not in self._computed:
            self._computed[slug] = BY_SLUG[slug].compute(self.frame)
        return self._computed[slug]

    def none(self, noun: str) -> str:
        """What an empty table says: in the PMO's edition nothing was recorded; in another,
        nothing its readers may see (there may be records they may not)."""
        if self.audience.findings:
            return f"No {noun} are recorded as of the cut-off."
        edition = self.audience.title.lower()
        return f"No {noun} that the {edition} may show are recorded as of the cut-off."

    def rows(self, register: str, **kw: Any) -> list[Row]:
        return self.frame.rows(register, **kw)

    def story(self, section: Section, *slugs: str, heading: bool = False) -> Section | None:
        """Add the meeting's narrative sections (by slug) to ``section``, each as a
        subsection of its own when ``heading``; return the last section added to, if any."""
        found = None
        for slug in slugs:
            row = self.narrative.get(slug)
            if row is None or not row["body"].strip():
                continue
            found = section.sub(row["title"], slug) if heading else section
            found.add(*pictures.narrative(row["body"], self.frame.papers(), self.code))
        return found
