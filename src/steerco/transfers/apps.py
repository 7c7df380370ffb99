from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "steerco.transfers"
    label = "transfers"
    verbose_name = "Imports and column mappings"

    def ready(self) -> None:
        from steerco.jobs.models import Job
        from steerco.jobs.tasks import register
        from steerco.transfers.tasks import run_import

        register(Job.Kind.IMPORT, run_import)
