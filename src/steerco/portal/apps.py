from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "steerco.portal"
    label = "portal"
    verbose_name = "Participant portal"
