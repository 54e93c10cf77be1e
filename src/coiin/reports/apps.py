from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "coiin.reports"
    label = "reports"
    verbose_name = "Charts and reports"
