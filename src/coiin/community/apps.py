from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "coiin.community"
    label = "community"
    verbose_name = _("The online community")

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
        # Due dates and data reviews land in the inbox (see ``notifications``).
        from coiin.measures import signals as reporting

        from .notifications import services as notifications

        reporting.period_due.connect(notifications.on_period_due,
                                     dispatch_uid="community_period_due")
        reporting.submission_moved.connect(notifications.on_submission_moved,
                                           dispatch_uid="community_submission_moved")
        # What the community shows on the pages of apps below it (they cannot import it).
        from . import extensions

        extensions.register()
