from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "steerco.core"
    label = "core"
    verbose_name = "Programme and meetings"

    def ready(self) -> None:
        from steerco.core import history  # noqa: F401  (connects the history signal)
