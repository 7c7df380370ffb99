from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from steerco.core.history import acting, command_actor
from steerco.core.lookup import LookupFailed, default_programme
from steerco.rules.frame import build
from steerco.rules.whatif import Proposal, WhatIfError, propose
from steerco.rules.whatif_apply import StaleProposal, apply, schedule_version


class Command(BaseCommand):
    help = (
        "What must move if a milestone is forecast on another date: the dates the schedule's "
        "rules move with it (in working days), the gates whose readiness changes and the "
        "findings it raises or clears. --apply --reason writes it in one step, in history "
        "with the what-if as reason; without --apply nothing is written. See docs/what-if.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", metavar="CODE")
        parser.add_argument("--milestone", metavar="CODE", required=True, help="T1-TE-1000")
        parser.add_argument("--date", metavar="YYYY-MM-DD", required=True, help="its new date")
        parser.add_argument("--format", choices=("table", "json"), default="table")
        parser.add_argument("--apply", action="store_true", help="write the proposal")
        parser.add_argument("--reason", help="why (kept in history); needed with --apply")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["apply"] and not (options["reason"] or "").strip():
            raise CommandError("--apply needs --reason: it is kept in every record's history")
        try:
            programme = default_programme(options["programme"])
            new = dt.date.fromisoformat(options["date"])
        except (LookupFailed, ValueError) as error:
            raise CommandError(str(error)) from None
        version = schedule_version(programme)
        try:
            proposal = propose(build(programme), options["milestone"], new)
        except WhatIfError as error:
            raise CommandError(str(error)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(proposal.as_dict(), indent=2))
        else:
            self.stdout.write(render(proposal))
        if options["apply"]:
            try:
                with acting(command_actor("what-if"), "what-if"):
                    written = apply(programme, proposal, options["reason"].strip(), version)
            except StaleProposal:
                raise CommandError(
                    "the schedule changed while proposing: nothing written"
                ) from None
            self.stderr.write(f"Applied: {written} records written, each in its history.")


def render(proposal: Proposal) -> str:
    console = Console(file=io.StringIO(), width=180, record=True)
    title = (
        f"What if {proposal.code} moved from {proposal.old:%a %d %b %Y} to "
        f"{proposal.new:%a %d %b %Y} ({proposal.working_days:+d} working days)"
    )
    moves = Table(title=title, show_lines=True)
    for column in ("record", "field", "from", "to", "working days", "why", "via"):
        moves.add_column(column)
    for m in proposal.moves:
        moves.add_row(
            m.record,
            m.field,
            f"{m.old:%a %d %b %Y}",
            f"{m.new:%a %d %b %Y}",
            f"{m.working_days:+d}",
            m.rule,
            " → ".join(m.chain[:-1]) or "—",
        )
    console.print(moves)
    for h in proposal.held:
        console.print(f"Held: {h.record} stays {h.date:%a %d %b %Y} (achieved); {h.rule}")
    gates = Table(title="Gates", show_lines=True)
    for column in ("gate", "milestone", "before", "after", "criteria forecast after it"):
        gates.add_column(column)
    for g in proposal.gates:
        after = g.after + (" (changed)" if g.changed else "")
        gates.add_row(g.gate, g.milestone, g.before, after, "; ".join(g.late) or "—")
    console.print(gates)
    findings = Table(title="Findings", show_lines=True)
    for column in ("", "severity", "rule", "record", "expected", "found"):
        findings.add_column(column)
    for label, shown in (("raised", proposal.raised), ("cleared", proposal.cleared)):
        for f in shown:
            findings.add_row(label, f.severity, f.rule, f.record, f.expected, f.found)
    for was, now in proposal.changed:
        findings.add_row(
            "changed",
            now.severity,
            now.rule,
            now.record,
            _was(now.expected, was.expected),
            _was(now.found, was.found),
        )
    console.print(findings)
    return console.export_text()


def _was(now: str, before: str) -> str:
    return now if now == before else f"{now} (was {before})"
