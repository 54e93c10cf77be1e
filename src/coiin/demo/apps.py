from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo network: top of the app order, it may use every other app."""

    name = "coiin.demo"
    label = "demo"
    verbose_name = _("Demo network")
