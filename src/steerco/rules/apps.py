from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "steerco.rules"
    label = "rules"
    verbose_name = "Rules and findings"
