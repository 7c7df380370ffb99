from django.apps import AppConfig


class ChangesConfig(AppConfig):
    name = "steerco.changes"
    label = "changes"
