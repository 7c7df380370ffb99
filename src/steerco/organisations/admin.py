from steerco.core.admin_utils import register
from steerco.organisations.models import (
    Constituency,
    MarketRole,
    Organisation,
    RoleParticipation,
)

register(
    Organisation,
    list_display=("name", "kind", "constituency", "ftig_attendee"),
    list_filter=("programme", "kind"),
    search_fields=("name",),
)
register(
    Constituency, list_display=("name", "stated_participants_confirmed"), inlines=(MarketRole,)
)
register(
    MarketRole,
    list_display=("name", "constituency", "mvc_required", "stated_confirmed"),
    inlines=(RoleParticipation,),
)
register(RoleParticipation, list_display=("stated_name", "market_role", "organisation", "status"))
