from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AfterSalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("售后")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401
