from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoryboardsConfig(AppConfig):
    name = "coiin.storyboards"
    label = "storyboards"
    verbose_name = _("Storyboards")

    def ready(self) -> None:
        from . import hooks

        hooks.register()
