from django.apps import AppConfig


class PackConfig(AppConfig):
    name = "steerco.pack"
    verbose_name = "Steering-group pack"
