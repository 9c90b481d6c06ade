import oscar.apps.partner.apps as oscar_apps
from django.utils.translation import gettext_lazy as _


class PartnerConfig(oscar_apps.PartnerConfig):
    """Fork of Oscar's partner app (label ``partner``): suppliers and their certification."""

    name = "suppliers"
    verbose_name = _("供应商")

    def ready(self) -> None:
        super().ready()
        # The portal home's cached copies are retired by writes to what they show.
        from .portal_cache import receivers_connect

        receivers_connect()
