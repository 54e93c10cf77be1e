from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class CommunityConfig(AppConfig):
    name = "coiin.community"
    label = "community"
    verbose_name = "The online community"

    def ready(self) -> None:
        from coiin.network.models import LearningNetwork, Team

        from . import signals

        # Spaces exist for every network and team: after each migrate, and as soon as a
        # learning network or team is created (never at import time).
        post_migrate.connect(signals.spaces_after_migrate, sender=self,
                             dispatch_uid="community_spaces_after_migrate")
        post_save.connect(signals.space_for_new_owner, sender=Team,
                          dispatch_uid="community_space_for_team")
        post_save.connect(signals.space_for_new_owner, sender=LearningNetwork,
                          dispatch_uid="community_space_for_network")
