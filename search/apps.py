import oscar.apps.search.apps as oscar_apps
from django.db.models.signals import post_delete, post_save
from django.urls import path


class SearchConfig(oscar_apps.SearchConfig):
    """Fork of Oscar's search app (label ``search``).

    Oscar's haystack views are replaced by views over our own search engines; the
    database engine serves when no search cluster is configured.
    """

    name = "search"

    def ready(self):
        super().ready()
        from oscar.core.loading import get_model

        from . import receivers

        Product = get_model("catalogue", "Product")
        connections = [
            (post_save, Product, receivers.product_saved),
            (post_delete, Product, receivers.product_deleted),
            (post_save, get_model("partner", "StockRecord"), receivers.stockrecord_saved),
            (post_delete, get_model("partner", "StockRecord"), receivers.product_link_changed),
            (post_save, get_model("catalogue", "ProductCategory"), receivers.product_link_changed),
            (
                post_delete,
                get_model("catalogue", "ProductCategory"),
                receivers.product_link_changed,
            ),
            (post_save, get_model("partner", "Partner"), receivers.supplier_changed),
            (post_save, get_model("partner", "Certification"), receivers.certification_changed),
        ]
        for signal, sender, receiver in connections:
            kind = "save" if signal is post_save else "delete"
            uid = f"search-{receiver.__name__}-{sender.__name__}-{kind}"
            signal.connect(receiver, sender=sender, dispatch_uid=uid)

    def get_urls(self):
        from .views import SuggestView

        urls = super().get_urls()
        urls.append(path("suggest/", SuggestView.as_view(), name="suggest"))
        return self.post_process_urls(urls)
