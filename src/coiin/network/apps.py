from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "coiin.network"
    label = "network"
    verbose_name = "The network"
