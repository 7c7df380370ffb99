from django.apps import AppConfig


class CalendarsConfig(AppConfig):
    name = "steerco.calendars"
    label = "calendars"
    verbose_name = "Calendar feeds"
