from django.apps import AppConfig


class RulesConfig(AppConfig):
    name = "steerco.rules"
    label = "rules"
    verbose_name = "Rules and findings"

    def ready(self) -> None:
        # The consistency rules join the checker's rules (findings.CHECKS) as they load.
        from steerco.rules import consistency  # noqa: F401
