from steerco.core.admin_utils import register
from steerco.trackers.models import (
    AssuranceActivity,
    CodeDraftingMilestone,
    HorizonItem,
    ReadinessRound,
    TrackerMetric,
    WorkstreamUpdate,
)

register(CodeDraftingMilestone, list_display=("order", "name", "target_date", "status"))
register(WorkstreamUpdate, list_display=("order", "workstream"))
register(HorizonItem, list_display=("code", "criticality"))
register(
    TrackerMetric, list_display=("tracker", "group", "label", "stated"), list_filter=("tracker",)
)
register(AssuranceActivity, list_display=("stage", "work_package", "title", "status"))
register(ReadinessRound, list_display=("code", "opens", "closes"))
