from django.apps import AppConfig


class PackConfig(AppConfig):
    name = "steerco.pack"
    verbose_name = "Steering-group pack"

    def ready(self) -> None:
        from steerco.jobs.models import Job
        from steerco.jobs.tasks import register
        from steerco.pack.tasks import build_pack

        register(Job.Kind.PACK, build_pack)
