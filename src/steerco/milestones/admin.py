from steerco.core.admin_utils import register
from steerco.milestones.models import (
    Decision,
    DecisionOption,
    Gate,
    GateCriterion,
    Milestone,
    MilestoneDependency,
    Timetable,
    TimetableActivity,
    TimetableCell,
    TimetableInterval,
)

register(
    Milestone,
    list_display=("code", "title", "baseline_date", "forecast_date", "rag", "forecast_rag"),
    list_filter=("programme", "tier", "rag", "governing_body"),
    search_fields=("code", "title", "commentary"),
    inlines=(MilestoneDependency,),
)
register(MilestoneDependency, list_display=("milestone", "predecessor_code"))
register(Gate, list_display=("title", "milestone_code", "stated_ready"), inlines=(GateCriterion,))
register(GateCriterion, list_display=("gate", "order", "text", "state"))
register(Decision, list_display=("ref", "title", "meeting"), inlines=(DecisionOption,))
register(DecisionOption, list_display=("decision", "name"))
register(Timetable, list_display=("title",), inlines=(TimetableInterval, TimetableActivity))
register(TimetableInterval, list_display=("timetable", "order", "name"))
register(TimetableActivity, list_display=("timetable", "order", "name"), inlines=(TimetableCell,))
register(TimetableCell, list_display=("activity", "interval", "date", "stated"))
