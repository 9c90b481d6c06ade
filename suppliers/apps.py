import oscar.apps.partner.apps as oscar_apps
from django.utils.translation import gettext_lazy as _


class PartnerConfig(oscar_apps.PartnerConfig):
    """Fork of Oscar's partner app (label ``partner``): suppliers and their certification."""

    name = "suppliers"
    verbose_name = _("供应商")
