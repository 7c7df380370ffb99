from steerco.core.admin_utils import register
from steerco.core.models import AgendaItem, Meeting, NarrativeSection, Programme

register(Programme, list_display=("code", "name", "synthetic"))
register(
    Meeting,
    list_display=("code", "date", "kind", "cutoff"),
    list_filter=("programme", "body", "kind"),
    search_fields=("code", "title"),
    inlines=(AgendaItem, NarrativeSection),
)
register(AgendaItem, list_display=("meeting", "number", "title", "type", "lead"))
register(NarrativeSection, list_display=("meeting", "order", "title"), search_fields=("title",))
