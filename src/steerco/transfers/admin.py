from steerco.core.admin_utils import register
from steerco.transfers.models import ColumnMapping

register(ColumnMapping, list_display=("name", "register", "source"), search_fields=("name",))
