from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "coiin.api"
    label = "api"
    verbose_name = "API"
