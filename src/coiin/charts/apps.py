from django.apps import AppConfig


class ChartsConfig(AppConfig):
    name = "coiin.charts"
    label = "charts"
    verbose_name = "Charts"
