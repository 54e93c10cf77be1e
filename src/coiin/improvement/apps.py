from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "coiin.improvement"
    label = "improvement"
    verbose_name = _("The improvement method")

    def ready(self) -> None:
        # Team charts show each PDSA cycle's start, and each point links to the cycles
        # that ran in its period: charts sit below this app, so it registers them here.
        from coiin.charts import markers

        from . import services

        markers.register(markers.MarkerProvider(
            name="pdsa-cycles", markers=services.cycle_markers,
            point_page=services.cycles_url))
