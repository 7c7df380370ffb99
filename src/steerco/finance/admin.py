from steerco.core.admin_utils import register
from steerco.finance.models import FinanceCell, FinanceNote

register(
    FinanceCell,
    list_display=("financial_year", "row_label", "month", "amount", "stated"),
    list_filter=("programme", "financial_year", "party", "measure"),
)
register(FinanceNote, list_display=("financial_year", "order", "text"))
