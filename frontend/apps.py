from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = _("网站前台")

    def ready(self):
        from oscar.core.loading import get_model

        from .caching import catalogue_changed

        for app_label, model_name in [
            ("catalogue", "Product"),
            ("catalogue", "ProductImage"),
            ("catalogue", "ProductCategory"),
            ("catalogue", "Category"),
            ("partner", "StockRecord"),
            ("partner", "Partner"),
        ]:
            model = get_model(app_label, model_name)
            uid = f"frontend-catalogue-changed-{app_label}-{model_name}"
            post_save.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(catalogue_changed, sender=model, dispatch_uid=f"{uid}-delete")
