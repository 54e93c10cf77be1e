from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "coiin.improvement"
    label = "improvement"
    verbose_name = "The improvement method"
