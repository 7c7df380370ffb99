"""`steerco generate`: a synthetic programme for benchmarks, in the programme directory format.

Everything written here is made up and says so: the programme is marked synthetic, its name
and description say SYNTHETIC, and a README in the directory repeats it. The shape follows
the MHHS example (the same registers, roughly its row counts times the scale) with 36
monthly meetings of history.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from steerco.core import cadence
from steerco.io import yamlfile

MEETINGS = 36
RAGS = ["green", "green", "green", "yellow", "amber", "red"]
WORKSTREAMS = ["TE", "DB", "RE", "CP", "RA", "MI"]
BODIES = ["PSG", "TMAG", "DAG", "CCAG"]
WORDS = (
    "design build test integration readiness migration data environment interface release "
    "assurance supplier network registration settlement qualification cutover plan report "
    "approval capacity defect certificate onboarding cohort tranche"
).split()

Record = dict[str, Any]


PSG_CADENCE = "FREQ=MONTHLY;BYDAY=+1WE"  # the first Wednesday of each month


class Generator:
    def __init__(self, scale: int, seed: int = 24) -> None:
        if scale < 1:
            raise ValueError("scale must be at least 1")
        self.scale = scale
        self.random = random.Random(seed)
        self.meetings = self._meeting_dates()
        self.codes = [f"PSG-{n}" for n in range(1, MEETINGS + 1)]

    # -- helpers ----------------------------------------------------------------------

    def _meeting_dates(self) -> list[dt.date]:
        return cadence.dates(PSG_CADENCE, dt.date(2020, 12, 31), MEETINGS)

    def words(self, n: int) -> str:
        text = " ".join(self.random.choice(WORDS) for _ in range(n))
        return text[:1].upper() + text[1:]

    def working_day(self, start: dt.date, spread: int) -> dt.date:
        day = start + dt.timedelta(days=self.random.randint(0, spread))
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day

    def history(
        self, first: int, make: Callable[[int], Record], change: float = 0.3
    ) -> tuple[Record, dict[str, Record]]:
        """States from meeting ``first`` on: the last is the record's own, earlier ones where
        something changed are its history."""
        states: dict[str, Record] = {}
        previous: Record | None = None
        for index in range(first, MEETINGS):
            state = make(index) if previous is None or self.random.random() < change else previous
            if state is not previous:
                states[self.codes[index]] = state
            previous = state
        last = self.codes[-1]
        final = states.pop(last, previous or make(MEETINGS - 1))
        return final, states

    # -- registers ----------------------------------------------------------------------

    def programme(self) -> Record:
        return {
            "programme": {
                "code": f"synthetic-x{self.scale}",
                "name": f"SYNTHETIC programme (scale {self.scale})",
                "description": (
                    "SYNTHETIC DATA made by `steerco generate` for benchmarks. It stands for "
                    "no real programme; its shape follows the MHHS example."
                ),
                "calendar_country": "GB",
                "calendar_subdivision": "ENG",
                "current_meeting_code": self.codes[-1],
                "synthetic": True,
            }
        }

    def meetings_file(self) -> Record:
        meetings = []
        for number, (code, day) in enumerate(zip(self.codes, self.meetings, strict=True), 1):
            minute = 0
            items = []
            for item in range(1, 11):
                duration = self.random.choice([5, 10, 15])
                start = dt.time(10 + minute // 60, minute % 60)
                minute += duration
                end = dt.time(10 + minute // 60, minute % 60)
                items.append(
                    {
                        "number": item,
                        "title": self.words(3),
                        "objective": self.words(8),
                        "type": self.random.choice(["decision", "information", "discussion"]),
                        "lead": "Chair",
                        "duration_minutes": duration,
                        "stated_start": start.strftime("%H:%M"),
                        "stated_end": end.strftime("%H:%M"),
                    }
                )
            meetings.append(
                {
                    "code": code,
                    "body": "PSG",
                    "number": number,
                    "kind": "regular",
                    "title": f"SYNTHETIC Programme Steering Group #{number}",
                    "date": day,
                    "start_time": "10:00",
                    # The last is the current meeting, its pack published; those before closed.
                    "state": "published" if number == MEETINGS else "closed",
                    "cutoff": f"{day.isoformat()}T10:00:00+00:00",
                    "agenda_items": items,
                    "sections": [{"slug": "summary", "title": "Summary", "body": self.words(60)}],
                }
            )
        return {"meetings": meetings}

    def organisations(self) -> list[str]:
        return [f"Synthetic Org {n:04d}" for n in range(1, 50 * self.scale + 1)]

    def organisations_file(self, names: list[str]) -> Record:
        kinds = ["participant"] * 8 + ["core_provider", "service_provider"]
        return {
            "organisations": [
                {"name": name, "kind": self.random.choice(kinds), "constituency": "Synthetic"}
                for name in names
            ]
        }

    def market_roles_file(self, names: list[str]) -> Record:
        constituencies = []
        for c in range(1, 5 * self.scale + 1):
            roles = []
            for r in range(1, 4):
                participants = self.random.sample(names, self.random.randint(0, 5))
                roles.append(
                    {
                        "name": f"Role {c}.{r}",
                        "mvc_required": self.random.randint(1, 2),
                        "stated_confirmed": len(participants),
                        "participants": [
                            {
                                "stated_name": p,
                                "organisation": p,
                                "status": self.random.choice(["confirmed", "tbc"]),
                            }
                            for p in participants
                        ],
                    }
                )
            constituencies.append(
                {
                    "name": f"Constituency {c}",
                    "stated_participants_confirmed": 3,
                    "market_roles": roles,
                }
            )
        return {"constituencies": constituencies}

    def milestones_file(self) -> Record:
        milestones = []
        for n in range(1, 27 * self.scale + 1):
            tier = self.random.choice(["T1", "T2", "T3", "T3"])
            workstream = self.random.choice(WORKSTREAMS)
            baseline = self.working_day(self.meetings[0], 1000)
            first = self.random.randint(0, MEETINGS - 2)

            def state(index: int, baseline: dt.date = baseline) -> Record:
                slip = self.random.choice([0, 0, 0, 7, 14, 28])
                return {
                    "rag": self.random.choice(RAGS),
                    "baseline_date": baseline,
                    "forecast_date": baseline + dt.timedelta(days=slip),
                }

            final, history = self.history(first, state)
            code = f"{tier}-{workstream}-{n:04d}"
            milestones.append(
                {
                    "code": code,
                    "tier": tier,
                    "workstream": workstream,
                    "title": self.words(6),
                    "governing_body": self.random.choice(BODIES),
                    **final,
                    "forecast_rag": self.random.choice(RAGS),
                    "commentary": self.words(10) if self.random.random() < 0.3 else "",
                    "history": history,
                }
            )
        return {"milestones": milestones}

    def raid_file(self) -> Record:
        themes = []
        for t in range(1, 3 * self.scale + 1):
            final, history = self.history(
                0,
                lambda i: {
                    "rag": self.random.choice(RAGS[:5]),
                    "stated_item_count": self.random.randint(5, 30),
                    "stated_item_noun": "Risks",
                },
                change=0.2,
            )
            themes.append(
                {
                    "number": t,
                    "title": self.words(5),
                    "summary": self.words(20),
                    **final,
                    "history": history,
                }
            )
        items = []
        for n in range(1, 19 * self.scale + 1):
            first = self.random.randint(0, MEETINGS - 2)

            def state(index: int) -> Record:
                return {"current_score": self.random.randint(1, 30)}

            final, history = self.history(first, state, change=0.25)
            items.append(
                {
                    "ref": f"R{n:05d}",
                    "type": "risk",
                    "theme": self.random.randint(1, 3 * self.scale),
                    "log": "key-risks",
                    "description": "There is a risk that " + self.words(12).lower(),
                    "owner": self.random.choice(BODIES),
                    "initial_score": self.random.randint(10, 30),
                    **final,
                    "target_score": self.random.randint(1, 10),
                    "mitigations": [self.words(10) for _ in range(self.random.randint(1, 4))],
                    "history": history,
                }
            )
        return {"themes": themes, "items": items}

    def actions_file(self) -> Record:
        actions = []
        for n in range(1, 8 * self.scale + 1):
            first = self.random.randint(0, MEETINGS - 2)
            final, history = self.history(
                first, lambda i: {"status": self.random.choice(["open", "ongoing", "closed"])}
            )
            actions.append(
                {
                    "ref": f"PSG{first + 1:02d}-{n:04d}",
                    "raised_at": self.codes[first],
                    "text": self.words(15),
                    "owners": "Programme",
                    "due_date": self.working_day(self.meetings[first], 120),
                    **final,
                    "updates": [{"date": self.meetings[-1], "text": self.words(12)}],
                    "history": history,
                }
            )
        return {"actions": actions}

    def changes_file(self) -> Record:
        changes = []
        stages = [
            "Impact Assessment",
            "Awaiting DAG approval decision",
            "Implementation",
            "Completed",
        ]
        for n in range(1, 13 * self.scale + 1):
            first = self.random.randint(0, MEETINGS - 2)
            final, history = self.history(first, lambda i: {"stage": self.random.choice(stages)})
            changes.append(
                {
                    "ref": f"CR{n:04d}",
                    "title": self.words(6),
                    "raisers": "Synthetic raiser",
                    "change_type": "Full Impact Assessment",
                    "approval_status": "Open",
                    **final,
                    "change_owner": "Programme",
                    "history": history,
                }
            )
        return {"changes": changes}

    def reports_file(self, names: list[str]) -> Record:
        reports = []
        for n, name in enumerate(names[: 8 * self.scale], 1):
            reports.append(
                {
                    "title": f"SYNTHETIC delivery report {n}",
                    "organisation": name,
                    "meeting": self.codes[-1],
                    "kind": "core provider",
                    "status": "published",
                    "overall_rag": self.random.choice(RAGS[:5]),
                    "progress_last_month": "- " + self.words(12),
                    "progress_next_month": "- " + self.words(12),
                    "milestones": [
                        {
                            "name": self.words(4),
                            "baseline_date": self.working_day(self.meetings[-1], 200),
                        }
                        for _ in range(4)
                    ],
                    "raid": [
                        {"type": "risk", "description": self.words(12), "owner": name}
                        for _ in range(3)
                    ],
                }
            )
        return {"reports": reports, "sit_areas": [], "provider_statuses": []}

    def finance_file(self) -> Record:
        cells: list[Record] = []
        months = [dt.date(2023 + (m + 3) // 12, (m + 3) % 12 + 1, 1) for m in range(12)]
        for p in range(1, 4 * self.scale + 1):
            for measure in ("budget", "actual_forecast"):
                amounts = [round(self.random.uniform(0.1, 3.0), 2) for _ in months]
                label = f"Party {p} {measure}"
                for month, amount in zip(months, amounts, strict=True):
                    cells.append(
                        {
                            "financial_year": "FY 23/24",
                            "party": f"Party {p}",
                            "measure": measure,
                            "row_label": label,
                            "month": month,
                            "amount": amount,
                            "stated": f"{amount:.2f}",
                        }
                    )
                total = round(sum(amounts), 2)
                cells.append(
                    {
                        "financial_year": "FY 23/24",
                        "party": f"Party {p}",
                        "measure": measure,
                        "row_label": label,
                        "month": None,
                        "amount": total,
                        "stated": f"{total:.2f}",
                    }
                )
        return {"cells": cells, "notes": [{"financial_year": "FY 23/24", "text": "SYNTHETIC"}]}

    def trackers_file(self) -> Record:
        return {
            "code_drafting": [
                {
                    "name": self.words(4),
                    "target_date": self.working_day(self.meetings[-1], 300),
                    "status": "Green",
                }
                for _ in range(12 * self.scale)
            ]
        }

    # -- writing ------------------------------------------------------------------------

    def write(self, directory: Path) -> dict[str, int]:
        directory.mkdir(parents=True, exist_ok=True)
        names = self.organisations()
        files: dict[str, Record] = {
            "programme.yaml": self.programme(),
            "meetings.yaml": self.meetings_file(),
            "bodies.yaml": {
                "bodies": [
                    {"code": "PSG", "name": "SYNTHETIC steering group", "cadence": PSG_CADENCE}
                ]
            },
            "organisations.yaml": self.organisations_file(names),
            "market-roles.yaml": self.market_roles_file(names),
            "milestones.yaml": self.milestones_file(),
            "raid.yaml": self.raid_file(),
            "actions.yaml": self.actions_file(),
            "changes.yaml": self.changes_file(),
            "reports.yaml": self.reports_file(names),
            "finance.yaml": self.finance_file(),
            "trackers.yaml": self.trackers_file(),
        }
        counts = {}
        for name, content in files.items():
            header = "# SYNTHETIC DATA written by `steerco generate`: no real programme.\n"
            (directory / name).write_text(header + yamlfile.dump(content), encoding="utf-8")
            counts[name] = sum(len(v) for v in content.values() if isinstance(v, list))
        (directory / "README.md").write_text(
            f"# SYNTHETIC programme, scale {self.scale}\n\nMade by `steerco generate` for "
            "benchmarks. Nothing here describes a real programme or organisation.\n",
            encoding="utf-8",
        )
        return counts
