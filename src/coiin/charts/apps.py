from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChartsConfig(AppConfig):
    name = "coiin.charts"
    label = "charts"
    verbose_name = _("Charts")

    def ready(self) -> None:
        from coiin.measures import changes, recent
        from coiin.vitals import changes as vitals_changes

        from .recent import stored_recent
        from .summaries.services import refresh_after_change, refresh_survey_pools

        # Values changed (entry, workflow, import): their stored chart summaries follow.
        changes.on_values_changed(refresh_after_change)
        # The entry and review page draws each measure's recent series from the summaries.
        recent.on_recent_series(stored_recent)
        # Births changed: the survey measures' pools, weighted by them, follow.
        vitals_changes.on_figures_changed(refresh_survey_pools)
