from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "coiin.measures"
    label = "measures"
    verbose_name = _("Measures and data reporting")

    def ready(self) -> None:
        # A jurisdiction's official figures reach its teams' official-outcome values.
        from coiin.vitals import changes

        from .services.official import sync_figures

        changes.on_figures_changed(sync_figures)
