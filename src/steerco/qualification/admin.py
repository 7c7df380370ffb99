from steerco.core.admin_utils import register
from steerco.qualification.models import Application, QadIteration, QualificationRoute, Tranche

register(Tranche, list_display=("number", "name", "window_start", "window_end", "capacity"))
register(Application, list_display=("organisation", "intention_date", "allocated_tranche", "state"))
register(QualificationRoute, list_display=("order", "route"))
register(QadIteration, list_display=("order", "iteration", "expected_issue_stated"))
