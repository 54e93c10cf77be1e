from django.apps import AppConfig


class StoryboardsConfig(AppConfig):
    name = "coiin.storyboards"
    label = "storyboards"
    verbose_name = "Storyboards"

    def ready(self) -> None:
        from . import hooks

        hooks.register()
