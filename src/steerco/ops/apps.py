from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "steerco.ops"
    label = "ops"
    verbose_name = "Operations"
