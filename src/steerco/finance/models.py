"""Central-party finances: party × month budget and actual/forecast, with notes."""

from __future__ import annotations

from typing import Any

from django.db import models

from steerco.core.history import history
from steerco.core.models import Programme, Register, Stated


class FinanceCell(Stated):
    """One cell of the finance table. A blank amount is unknown; totals are stated cells.

    A cell covers a period: a month, or a quarter printed as one merged cell over its
    three months. A quarter's amount is the quarter's; it counts towards a month's sums only
    where the pack says the amount is split monthly (``split_monthly``), never otherwise."""

    class Measure(models.TextChoices):
        BUDGET = "budget", "Budget"
        ACTUAL_FORECAST = "actual_forecast", "Actual/Forecast"

    class Period(models.TextChoices):
        MONTH = "month", "Month"
        QUARTER = "quarter", "Quarter"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="finance")
    financial_year = models.CharField(max_length=20, help_text="For example FY 23/24.")
    party = models.CharField(max_length=60, help_text="MHHS, DCC, Helix, RECCo or Total.")
    measure = models.CharField(max_length=20, choices=Measure.choices)
    row_label = models.CharField(max_length=100, help_text="The row label as printed.")
    month = models.DateField(
        null=True, blank=True, help_text="First of the period's first month; blank: total."
    )
    period = models.CharField(
        max_length=10,
        choices=Period.choices,
        default=Period.MONTH,
        help_text="What the cell covers from its month: one month, or a quarter (merged cell).",
    )
    split_monthly = models.BooleanField(
        default=False,
        help_text="The pack says a quarter's amount is reported split evenly over its months.",
    )
    amount = models.DecimalField(
        max_digits=14, decimal_places=4, null=True, blank=True, help_text="£ million."
    )
    stated = models.CharField(max_length=200, blank=True, help_text="The cell as printed.")
    order = models.PositiveIntegerField(default=0)
    history = history()

    STATED_FIELDS = ("stated",)  # a total cell (no month) is a statement as a whole

    class Meta:
        ordering = ["financial_year", "order", "month"]

    @classmethod
    def unstated(cls, row: dict[str, Any]) -> dict[str, Any]:
        """A total (no month, or the Total party's) is a statement as a whole: its amount
        too. A month's amount is the register's own value; only its printed text goes."""
        blanks = super().unstated(row)
        if row["month"] is None or row["party"] == "Total":
            blanks["amount"] = None
        return blanks

    @property
    def is_total(self) -> bool:
        return self.month is None

    def __str__(self) -> str:
        month = f"{self.month:%b %Y}" if self.month else "total"
        if self.month and self.period == self.Period.QUARTER:
            month = f"quarter from {month}"
        return f"{self.financial_year} {self.row_label}, {month}"


class FinanceNote(Register):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="finance_notes")
    financial_year = models.CharField(max_length=20)
    order = models.PositiveIntegerField()
    text = models.TextField()
    history = history()

    class Meta:
        ordering = ["financial_year", "order"]

    def __str__(self) -> str:
        return self.text[:60]
