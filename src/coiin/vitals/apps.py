from django.apps import AppConfig


class VitalsConfig(AppConfig):
    name = "coiin.vitals"
    verbose_name = "Vital statistics"
