from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "steerco.reminders"
    label = "reminders"
    verbose_name = "Reminders"
