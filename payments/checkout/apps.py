import oscar.apps.checkout.apps as oscar_apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(oscar_apps.CheckoutConfig):
    """Fork of Oscar's checkout (label ``checkout``): Chinese address, per-supplier preview,
    the order placed as 待付款 with its stock allocated, then card payment on its own page."""

    name = "payments.checkout"

    def ready(self):
        super().ready()
        self.pay_view = get_class("checkout.views", "PayView")
        self.pay_card_view = get_class("checkout.views", "PayCardView")
        self.pay_confirm_view = get_class("checkout.views", "PayConfirmView")
        self.pay_cancel_view = get_class("checkout.views", "PayCancelView")

    def get_urls(self):
        urls = [
            path("pay/<str:order_number>/", self.pay_view.as_view(), name="pay"),
            path("pay/<str:order_number>/card/", self.pay_card_view.as_view(), name="pay-card"),
            path(
                "pay/<str:order_number>/confirm/",
                self.pay_confirm_view.as_view(),
                name="pay-confirm",
            ),
            path(
                "pay/<str:order_number>/cancel/", self.pay_cancel_view.as_view(), name="pay-cancel"
            ),
        ]
        return super().get_urls() + self.post_process_urls(urls)
