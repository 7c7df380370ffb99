from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "steerco.transfers"
    label = "transfers"
    verbose_name = "Imports and column mappings"
