from steerco.core.admin_utils import register
from steerco.raid.models import Action, ActionUpdate, MitigationStep, RaidItem, RaidTheme

register(RaidTheme, list_display=("number", "title", "rag", "stated_item_count"))
register(
    RaidItem,
    list_display=("ref", "type", "theme", "current_score", "stated_movement", "status"),
    list_filter=("programme", "type", "theme", "status"),
    search_fields=("ref", "description", "owner"),
    inlines=(MitigationStep,),
)
register(MitigationStep, list_display=("item", "order", "text"))
register(
    Action,
    list_display=("ref", "owners", "due_date", "due_text", "status"),
    list_filter=("programme", "status"),
    search_fields=("ref", "text", "owners"),
    inlines=(ActionUpdate,),
)
register(ActionUpdate, list_display=("action", "order", "date", "text"))
