from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "coiin.measures"
    label = "measures"
    verbose_name = "Measures and data reporting"
