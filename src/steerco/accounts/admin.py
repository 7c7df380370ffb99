from steerco.accounts.models import Membership
from steerco.core.admin_utils import register

register(Membership, list_display=("user", "role", "programme", "organisation"))
