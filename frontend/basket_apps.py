"""Oscar's basket app with the basket page of ``frontend.basket`` (models, label, URLs and
templates unchanged), and what retires a cached basket page (``frontend.basket_cache``).
Its own module: an app config is imported before the models, the views after."""

from oscar.apps.basket import apps as basket_apps


class BasketConfig(basket_apps.BasketConfig):
    name = "oscar.apps.basket"

    def ready(self):
        super().ready()
        from .basket import BasketView

        self.summary_view = BasketView
        self._connect_page_cache_signals()

    def _connect_page_cache_signals(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save
        from oscar.core.loading import get_model

        from procurement.models import BudgetUnit, BudgetUnitMember

        from . import basket_cache

        Basket = get_model("basket", "Basket")
        Range = get_model("offer", "Range")
        Voucher = get_model("voucher", "Voucher")
        receivers = [
            (Basket, basket_cache.basket_saved),
            (get_model("basket", "Line"), basket_cache.line_saved),
            (get_model("basket", "LineAttribute"), basket_cache.line_attribute_saved),
            (get_model("partner", "StockRecord"), basket_cache.stockrecord_saved),
            (get_model("shipping", "SupplierShippingRule"), basket_cache.terms_changed),
            (BudgetUnit, basket_cache.terms_changed),
            (BudgetUnitMember, basket_cache.terms_changed),
        ]
        for name in ("ConditionalOffer", "Condition", "Benefit", "Range", "RangeProduct"):
            receivers.append((get_model("offer", name), basket_cache.offers_changed))
        for name in ("Voucher", "VoucherSet"):
            receivers.append((get_model("voucher", name), basket_cache.offers_changed))
        for signal_name, signal in (("save", post_save), ("delete", post_delete)):
            for model, receiver in receivers:
                uid = f"basket-page-{model._meta.label_lower}-{signal_name}"
                signal.connect(receiver, sender=model, dispatch_uid=uid)
        m2m_changed.connect(
            basket_cache.basket_vouchers_changed,
            sender=Basket.vouchers.through,
            dispatch_uid="basket-page-basket-vouchers",
        )
        for through in (
            Range.excluded_products.through,
            Range.classes.through,
            Range.included_categories.through,
            Voucher.offers.through,
        ):
            m2m_changed.connect(
                basket_cache.offer_links_changed,
                sender=through,
                dispatch_uid=f"basket-page-{through._meta.label_lower}",
            )
