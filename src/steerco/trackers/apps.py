from django.apps import AppConfig


class TrackersConfig(AppConfig):
    name = "steerco.trackers"
    label = "trackers"
