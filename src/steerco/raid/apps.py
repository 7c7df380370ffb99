from django.apps import AppConfig


class RaidConfig(AppConfig):
    name = "steerco.raid"
    label = "raid"
