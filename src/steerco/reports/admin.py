from steerco.core.admin_utils import register
from steerco.reports.models import (
    DeliveryReport,
    ProviderStatus,
    ReportDecision,
    ReportEscalation,
    ReportMilestone,
    ReportRaidEntry,
    SitAreaStatus,
)

register(
    DeliveryReport,
    list_display=("title", "organisation", "meeting", "status", "overall_rag"),
    list_filter=("programme", "meeting", "status", "kind"),
    search_fields=("title",),
    inlines=(ReportMilestone, ReportRaidEntry, ReportDecision, ReportEscalation),
)
for child in (ReportMilestone, ReportRaidEntry, ReportDecision, ReportEscalation):
    register(child, list_display=("report", "order", "__str__"))
register(SitAreaStatus, list_display=("area", "rag"))
register(
    ProviderStatus,
    list_display=("table", "stated_name", "organisation", "rag"),
    list_filter=("table",),
)
