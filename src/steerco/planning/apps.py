from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "steerco.planning"
    label = "planning"
    verbose_name = "Qualification tranches and migration planning"

    def ready(self) -> None:
        from steerco.jobs.models import Job
        from steerco.jobs.tasks import register
        from steerco.planning.tasks import run_plan

        register(Job.Kind.PLAN, run_plan)
