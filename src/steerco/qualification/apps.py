from django.apps import AppConfig


class QualificationConfig(AppConfig):
    name = "steerco.qualification"
    label = "qualification"
