from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "steerco.api"
    label = "api"
    verbose_name = "JSON API and its tokens"

    def ready(self) -> None:
        # The OpenAPI description of the token scheme registers itself on import.
        from steerco.api import schema  # noqa: F401
