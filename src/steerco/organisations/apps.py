from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "steerco.organisations"
    label = "organisations"
