from steerco.changes.models import ChangeRequest
from steerco.core.admin_utils import register

register(
    ChangeRequest,
    list_display=("ref", "title", "approval_status", "stage", "implementation", "change_owner"),
    list_filter=("programme", "approval_status", "stage"),
    search_fields=("ref", "title", "raisers"),
)
