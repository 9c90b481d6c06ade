from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder, AbstractShippingEvent


class SalesChannel(models.TextChoices):
    """Where a sale comes from. Orders carry one of the first four; ``offline`` is for
    sales at "八进" events that bureau staff record in the reports app, not for orders."""

    CONSUMER = "consumer", _("消费者网购")
    PROCUREMENT = "procurement", _("预算单位采购")
    UNION = "union", _("工会采购")
    STAFF = "staff", _("职工个人消费")
    OFFLINE = "offline", _("线下“八进”活动")


class Order(AbstractOrder):
    channel = models.CharField(
        _("销售渠道"),
        max_length=20,
        choices=SalesChannel.choices,
        default=SalesChannel.CONSUMER,
        db_index=True,
    )


class ShippingEvent(AbstractShippingEvent):
    """A shipment (or other shipping step) of some of an order's lines. A supplier ships
    only its own lines, so a shipment names the supplier, the carrier and tracking number."""

    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="shipping_events",
        verbose_name=_("供应商"),
    )
    carrier = models.CharField(_("承运商"), max_length=64, blank=True)
    tracking_number = models.CharField(_("运单号"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )


from oscar.apps.order.models import *  # noqa: E402, F403
