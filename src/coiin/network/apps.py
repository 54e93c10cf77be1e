from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "coiin.network"
    label = "network"
    verbose_name = _("The network")

    def ready(self) -> None:
        from allauth.account.signals import user_logged_in

        from . import sso

        user_logged_in.connect(sso.remember_sign_in, dispatch_uid="coiin_sso_remember")
