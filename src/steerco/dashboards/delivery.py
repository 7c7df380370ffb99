"""Industry Delivery Status: SIT status and the minimum viable cohort, participants'
delivery reports (core capability providers, LDSOs) and central-party finances."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from steerco.charts import Bar, Series
from steerco.core.colours import SERIES
from steerco.dashboards.basis import DIMENSIONS, UNKNOWN, Source, as_float, number, rag_bars
from steerco.io.exporter import Row
from steerco.rules import derive
from steerco.rules.derived import finance_table

# -- SIT status ------------------------------------------------------------------------------

PARTICIPATION = {"confirmed": "confirmed", "tbc": "TBC"}


@dataclass(frozen=True)
class Participant:
    name: str
    status: str  # "confirmed", "TBC" or "status unknown"


@dataclass(frozen=True)
class Role:
    constituency: str
    constituency_confirmed: int | None  # PPs confirmed for SIT, as stated
    first: bool  # the constituency's first role (where the constituency is named)
    name: str
    required: int | None  # required for the MVC
    required_text: str  # as printed where it is not a number ("n/a")
    confirmed: int | None  # confirmed for SIT: the stated count, which decides the MVC
    confirmed_text: str
    participants: tuple[Participant, ...]

    @property
    def shortfall(self) -> int | None:
        return derive.mvc_shortfall(self.required, self.confirmed)

    @property
    def meets_mvc(self) -> bool | None:
        shortfall = self.shortfall
        return None if shortfall is None else shortfall >= 0

    @property
    def required_shown(self) -> str:
        return self.required_text or number(self.required)

    @property
    def confirmed_shown(self) -> str:
        return self.confirmed_text or number(self.confirmed)

    @property
    def verdict(self) -> str:
        shortfall = self.shortfall
        if shortfall is None:
            return self.required_text or UNKNOWN
        if shortfall < 0:
            return f"Below MVC by {-shortfall}"
        return f"Meets MVC (+{shortfall})"

    @property
    def verdict_rag(self) -> str:
        shortfall = self.shortfall
        return "" if shortfall is None else "red" if shortfall < 0 else "green"

    def named(self, status: str) -> int:
        """Participants named with this status (shown beside the count; never the MVC)."""
        return sum(1 for p in self.participants if p.status == status)


@dataclass(frozen=True)
class SitStatus:
    areas: tuple[Row, ...]  # SIT readiness by test area
    providers: tuple[Row, ...]  # core capability providers' SIT status
    readiness: tuple[Row, ...]  # core capability providers' SIT readiness
    updated_to: dt.date | None
    roles: tuple[Role, ...]


def market_roles(source: Source) -> tuple[Role, ...]:
    roles = []
    for constituency in source.rows("constituencies"):
        for index, role in enumerate(constituency["market_roles"]):
            roles.append(
                Role(
                    constituency=constituency["name"],
                    constituency_confirmed=constituency["stated_participants_confirmed"],
                    first=index == 0,
                    name=role["name"] or "—",
                    required=role["mvc_required"],
                    required_text=role["mvc_required_text"],
                    confirmed=role["stated_confirmed"],
                    confirmed_text=role["stated_confirmed_text"],
                    participants=tuple(
                        Participant(
                            p["stated_name"], PARTICIPATION.get(p["status"], "status unknown")
                        )
                        for p in role["participants"]
                    ),
                )
            )
    return tuple(roles)


def sit_status(source: Source) -> SitStatus:
    # Records: a status's own fields are all it shows (its organisation is named as stated).
    statuses = source.records("provider-statuses")
    providers = tuple(p for p in statuses if p["table"] == "sit-status")
    dates = [p["updated_to"] for p in providers if p["updated_to"]]
    return SitStatus(
        areas=tuple(source.records("sit-areas")),
        providers=providers,
        readiness=tuple(p for p in statuses if p["table"] == "sit-readiness"),
        updated_to=max(dates, default=None),
        roles=market_roles(source),
    )


# -- delivery reports ------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    row: Row  # the report with its milestones, RAID, decisions, escalations
    organisation: str
    title: str
    status: str
    overall: str
    previous_overall: str | None  # the organisation's report for the previous meeting
    dimensions: tuple[tuple[str, str], ...]  # (dimension, RAG), in DIMENSIONS order

    @property
    def rated(self) -> tuple[tuple[str, str], ...]:
        """The (dimension, RAG) pairs the report's own RAG row rates, as it prints them."""
        rated = self.row["rated"] or [d for d, _ in self.dimensions]
        return tuple((d, self.row[f"{d}_rag"]) for d in rated)

    @property
    def not_rated(self) -> frozenset[str]:
        """The dimensions the report's RAG row does not print at all (not unknown: absent)."""
        return frozenset(d for d, _ in self.dimensions) - {d for d, _ in self.rated}


@dataclass(frozen=True)
class Reports:
    kind: str
    dimensions: tuple[str, ...]
    reports: tuple[Report, ...]
    bars: tuple[Bar, ...]  # overall RAG of the reports
    readiness: tuple[Row, ...]  # core providers' SIT readiness (core providers only)


def reports(source: Source, kind: str) -> Reports:
    meetings = tuple(c for c in (source.meeting_code, source.previous_code) if c)
    rows = source.rows_where("reports", kind=(kind,), meeting=meetings)
    before = {r["organisation"]: r for r in rows if r["meeting"] == source.previous_code}
    current = [r for r in rows if r["meeting"] == source.meeting_code]
    found = tuple(
        Report(
            row=r,
            organisation=str(r["organisation"] or UNKNOWN),
            title=r["title"] or str(r["organisation"]),
            status=r["status"],
            overall=r["overall_rag"],
            previous_overall=before[r["organisation"]]["overall_rag"]
            if r["organisation"] in before
            else None,
            dimensions=tuple((d, r[f"{d}_rag"]) for d in DIMENSIONS),
        )
        for r in current
    )
    readiness: tuple[Row, ...] = ()
    if kind == "core provider":
        statuses = source.records("provider-statuses")
        readiness = tuple(p for p in statuses if p["table"] == "sit-readiness")
    return Reports(kind, DIMENSIONS, found, tuple(rag_bars([r.overall for r in found])), readiness)


def core_providers(source: Source) -> Reports:
    return reports(source, "core provider")


def ldso_status(source: Source) -> Reports:
    return reports(source, "LDSO")


# -- finances --------------------------------------------------------------------------------

# Budget and actual/forecast: two series colours (never a RAG colour), and the second series
# hatched (charts' grouped bars), so the two are told apart in greyscale too.
BUDGET_COLOUR, ACTUAL_COLOUR = SERIES[0], SERIES[1]
MEASURES = (
    ("budget", "Budget", BUDGET_COLOUR),
    ("actual_forecast", "Actual/forecast", ACTUAL_COLOUR),
)


@dataclass(frozen=True)
class Amount:
    value: Decimal | None
    stated: str  # as printed; "" where nothing was printed
    months: int = 1  # the month columns the cell covers as printed (3: a merged quarter)

    @property
    def text(self) -> str:
        if self.stated:
            return self.stated
        return UNKNOWN if self.value is None else f"{self.value:,.2f}"


@dataclass(frozen=True)
class FinanceRow:
    year: str
    label: str
    party: str
    measure: str
    cells: tuple[Amount | None, ...]  # one per month; None: no cell for that month
    spans: tuple[int, ...]  # per month: the columns its cell spans; 0 inside a merged cell
    monthly: tuple[Decimal | None, ...]  # per month: what its sums count (a quarter split)
    stated_total: Amount | None
    derived_total: Decimal | None  # the sum of the known months
    mismatch: bool  # the stated total is not the sum, at the precision it is printed with

    @property
    def printed(self) -> tuple[tuple[Amount | None, int], ...]:
        """The month cells as printed, each with the month columns it spans (a quarter's
        one amount merged over its three)."""
        return tuple((c, n) for c, n in zip(self.cells, self.spans, strict=True) if n)


@dataclass(frozen=True)
class MonthSum:
    total: Decimal | None
    unknown: int  # parties whose cell for the month is not known


@dataclass(frozen=True)
class MeasureSums:
    label: str
    months: tuple[MonthSum, ...]
    grand: Decimal | None


@dataclass(frozen=True)
class Finances:
    months: tuple[dt.date, ...]
    rows: tuple[FinanceRow, ...]
    sums: tuple[MeasureSums, ...]  # the parties' sums per month, budget then actual/forecast
    notes: tuple[str, ...]
    parties: tuple[str, ...]
    totals: tuple[Series, ...]  # per party (in ``parties`` order), budget then actual
    by_month: tuple[tuple[str, tuple[Series, ...]], ...]  # per party: its months


def _amount(cell: Row | None) -> Amount | None:
    if cell is None:
        return None
    value = cell["amount"]
    months = derive.PERIOD_MONTHS[cell["period"]] if cell["month"] else 1
    return Amount(None if value is None else Decimal(str(value)), cell["stated"] or "", months)


def _finance_row(row: Row) -> FinanceRow:
    stated = _amount(row["stated_total"])
    derived = row["derived_total"]
    known = [c.value for c in map(_amount, row["cells"]) if c is not None and c.value is not None]
    mismatch = (
        stated is not None
        and stated.value is not None
        and derived is not None
        and not derive.total_holds(known, stated.value, stated.stated)
    )
    return FinanceRow(
        year=row["financial_year"],
        label=row["row_label"],
        party=row["party"],
        measure=row["measure"],
        cells=tuple(_amount(c) for c in row["cells"]),
        spans=tuple(row["spans"]),
        monthly=tuple(row["monthly"]),
        stated_total=stated,
        derived_total=derived,
        mismatch=mismatch,
    )


def _month_sums(rows: list[FinanceRow], months: list[Any], measure: str, label: str) -> MeasureSums:
    parts = [r for r in rows if r.measure == measure and r.party != "Total"]
    sums = []
    for index in range(len(months)):
        # A month inside a merged quarter has a part too: the quarter's (split or unknown).
        present = [r for r in parts if r.cells[index] is not None or r.spans[index] == 0]
        known = [v for r in present if (v := r.monthly[index]) is not None]
        total = sum(known, Decimal(0)) if known else None
        sums.append(MonthSum(total, len(present) - len(known)))
    totals = [s.total for s in sums if s.total is not None]
    return MeasureSums(label, tuple(sums), sum(totals, Decimal(0)) if totals else None)


def finances(source: Source) -> Finances:
    table = finance_table(source, source.records("finance"))  # cells have no children
    months = table["months"]
    rows = [_finance_row(r) for r in table["rows"]]
    year = rows[0].year if rows else ""
    in_year = [r for r in rows if r.year == year]
    sums = (
        _month_sums(in_year, months, "budget", "Budget"),
        _month_sums(in_year, months, "actual_forecast", "Act/Forecast"),
    )
    parties = tuple(dict.fromkeys(r.party for r in rows if r.party != "Total"))

    def measure_of(party: str, measure: str) -> FinanceRow | None:
        return next((r for r in rows if r.party == party and r.measure == measure), None)

    totals = tuple(
        Series(
            label,
            [as_float(r.derived_total) if (r := measure_of(p, m)) else None for p in parties],
            colour,
        )
        for m, label, colour in MEASURES
    )
    by_month = tuple(
        (
            party,
            tuple(
                Series(
                    label,
                    [as_float(v) for v in r.monthly] if (r := measure_of(party, m)) else [],
                    colour,
                )
                for m, label, colour in MEASURES
            ),
        )
        for party in parties
    )
    notes = tuple(n["text"] for n in source.rows("finance-notes"))
    return Finances(tuple(months), tuple(rows), sums, notes, parties, totals, by_month)
