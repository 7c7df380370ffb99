from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "steerco.milestones"
    label = "milestones"
