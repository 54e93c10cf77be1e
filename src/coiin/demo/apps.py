from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo network: top of the app order, it may use every other app."""

    name = "coiin.demo"
    label = "demo"
    verbose_name = "Demo network"
