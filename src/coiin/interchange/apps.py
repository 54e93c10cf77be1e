from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterchangeConfig(AppConfig):
    name = "coiin.interchange"
    label = "interchange"
    verbose_name = _("Interchange (FHIR, DHIS2)")

    def ready(self) -> None:
        # The import page and the export-data / import-data commands of the measures app
        # find the FHIR and DHIS2 formats here (measures sits below this app).
        from . import formats

        formats.register_all()
