from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "coiin.charts"
    label = "charts"
    verbose_name = "Charts"

    def ready(self) -> None:
        from coiin.measures import changes

        from .summaries.services import refresh_after_change

        # Values changed (entry, workflow, import): their stored chart summaries follow.
        changes.on_values_changed(refresh_after_change)
