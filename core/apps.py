from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared bottom layer: money, version caches, widgets, validators, spreadsheet safety.

    Every domain app may import ``core``; ``core`` imports no domain app.
    """

    name = "core"
    verbose_name = _("公共组件")
