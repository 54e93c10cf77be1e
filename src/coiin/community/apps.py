from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "coiin.community"
    label = "community"
    verbose_name = "The online community"
