"""Oscar's order fork (label ``order``): the sales channel of an order, shipments that name
their supplier, and the order status machine.

Order statuses are stored as the Chinese words the shop shows (Oscar's templates print
``order.status`` as it is). ``OrderStatus.TRANSITIONS`` is the whole state machine and only
moves forward; ``OSCAR_ORDER_STATUS_PIPELINE`` in the settings is the part of it that staff may
take by hand in the dashboard (the money-bound moves belong to the services).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from oscar.apps.address.abstract_models import AbstractShippingAddress
from oscar.apps.order.abstract_models import (
    AbstractOrder,
    AbstractShippingEvent,
)

from core.states import StateMachine
from regions.addresses import RegionCodedAddress

from .exceptions import OrderStatusTransitionError


class OrderStatus:
    """Every status an order (and its lines) can take, consumer and procurement alike.

    The procurement statuses live here, not in the procurement app, because they are values of
    the same ``Order.status`` column and ``TRANSITIONS`` is one machine: ``order_status_move``
    checks every move against it, Oscar's dashboard pipeline is checked against it, and
    suppliers and reports filter on these statuses without importing procurement.
    """

    PENDING = gettext_noop("待付款")
    PAID = gettext_noop("已付款")
    SHIPPED = gettext_noop("已发货")
    COMPLETED = gettext_noop("已完成")
    CANCELLED = gettext_noop("已取消")
    REFUNDED = gettext_noop("已退款")

    # Procurement orders (budget units, paid by bank transfer against the supplier's invoice):
    # 待审批 -> 已审批 -> 已发货 -> 已验收 -> 已开票 -> 已转账 -> 已完成, or 已驳回 / 已取消.
    PENDING_APPROVAL = gettext_noop("待审批")
    APPROVED = gettext_noop("已审批")
    REJECTED = gettext_noop("已驳回")
    ACCEPTED = gettext_noop("已验收")
    INVOICED = gettext_noop("已开票")
    TRANSFERRED = gettext_noop("已转账")

    #: Every status, in forward order (consumer and procurement).
    ALL = (
        PENDING,
        PENDING_APPROVAL,
        APPROVED,
        REJECTED,
        PAID,
        SHIPPED,
        ACCEPTED,
        INVOICED,
        TRANSFERRED,
        COMPLETED,
        CANCELLED,
        REFUNDED,
    )
    PROCUREMENT = (
        PENDING_APPROVAL,
        APPROVED,
        REJECTED,
        SHIPPED,
        ACCEPTED,
        INVOICED,
        TRANSFERRED,
        COMPLETED,
        CANCELLED,
        REFUNDED,
    )
    TRANSITIONS = {
        PENDING: (PAID, CANCELLED),
        PAID: (SHIPPED, COMPLETED, REFUNDED),
        SHIPPED: (COMPLETED, REFUNDED, ACCEPTED),
        COMPLETED: (REFUNDED,),
        CANCELLED: (),
        REFUNDED: (),
        PENDING_APPROVAL: (APPROVED, REJECTED, CANCELLED),
        APPROVED: (SHIPPED, ACCEPTED, CANCELLED),
        REJECTED: (),
        ACCEPTED: (INVOICED, TRANSFERRED, COMPLETED, REFUNDED),
        INVOICED: (TRANSFERRED, COMPLETED, REFUNDED),
        TRANSFERRED: (COMPLETED, REFUNDED),
    }
    #: Statuses in which the customer has paid and the money has not all gone back.
    PAID_STATUSES = (PAID, SHIPPED, COMPLETED)
    #: Statuses in which suppliers see an order's lines (to ship them, or as history).
    #: Orders before that (unpaid, unapproved) or cancelled before it are not theirs yet.
    SUPPLIER_VISIBLE_STATUSES = (
        PAID,
        SHIPPED,
        COMPLETED,
        REFUNDED,
        APPROVED,
        ACCEPTED,
        INVOICED,
        TRANSFERRED,
    )


#: Every move of an order's (and its lines') status, checked by ``order_status_move``.
ORDER_STATUS_MOVES = StateMachine(
    field="status",
    transitions=OrderStatus.TRANSITIONS,
    error=OrderStatusTransitionError,
    refusal=_("订单当前状态为“%(status)s”，不能改为“%(to)s”。"),
)


class SalesChannel(models.TextChoices):
    """Where a sale comes from. Orders carry one of the first six; ``offline`` is for
    sales at "八进" events that bureau staff record in the reports app, and ``p832`` for
    budget units' purchases on the national 832 platform imported from its statistics;
    neither is ever an order's."""

    CONSUMER = "consumer", _("消费者网购")
    PROCUREMENT = "procurement", _("预算单位采购")
    UNION = "union", _("工会采购")
    STAFF = "staff", _("职工个人消费")
    ORGANISATION = "organisation", _("“八进”单位采购")
    POINTS_SUPERMARKET = "points_supermarket", _("积分超市")
    OFFLINE = "offline", _("线下“八进”活动")
    P832 = "p832", _("832平台采购（导入）")


class Order(AbstractOrder):
    channel = models.CharField(
        _("销售渠道"),
        max_length=20,
        choices=SalesChannel.choices,
        default=SalesChannel.CONSUMER,
        db_index=True,
    )


class OrderNumberTicket(models.Model):
    """One row per order number handed out. The row's id comes from the database's own
    counter (a sequence on PostgreSQL, AUTOINCREMENT on SQLite), so two submissions at
    once can never get the same number; the number is ``ORDER_NUMBER_BASE + id``."""

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField(_("发号时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("订单号")
        verbose_name_plural = _("订单号")

    #: Numbers start above the ones Oscar built from basket ids (100000 + basket id); the
    #: migration that added the table moved the counter past every number already used.
    ORDER_NUMBER_BASE = 100000

    def __str__(self) -> str:
        return str(self.ORDER_NUMBER_BASE + self.pk)


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


class ShippingAddress(AbstractShippingAddress, RegionCodedAddress):
    """Oscar's delivery address, written the Chinese way (state = 省, line4 = 市, line3 =
    区/县, line1 = 详细地址) with the county's division code (``RegionCodedAddress``); an
    address copied from an address book entry brings the entry's code along."""


class ShipmentAddress(models.Model):
    """One row of a group order's address list (多地址配送): a recipient, their mobile, the
    county's division code and names (``regions.divisions``), the street address and how
    many sets (份) of the order go there. A set is the order's lines divided by the list's
    total of sets, so every address gets the same mix of products."""

    order = models.ForeignKey(
        "order.Order",
        on_delete=models.CASCADE,
        related_name="group_addresses",
        verbose_name=_("订单"),
    )
    row = models.PositiveIntegerField(_("清单行号"))
    recipient = models.CharField(_("收货人"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11)
    region_code = models.CharField(_("区划代码"), max_length=6)
    province = models.CharField(_("省"), max_length=30)
    city = models.CharField(_("市"), max_length=30)
    county = models.CharField(_("区县"), max_length=30)
    detail = models.CharField(_("详细地址"), max_length=200)
    sets = models.PositiveIntegerField(_("份数"))

    class Meta:
        verbose_name = _("配送地址")
        verbose_name_plural = _("配送地址")
        ordering = ["order", "row"]
        constraints = [
            models.UniqueConstraint(fields=["order", "row"], name="unique_group_address_row"),
            models.CheckConstraint(condition=models.Q(sets__gte=1), name="group_address_sets"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.province}{self.city}{self.county}{self.detail}"


class Shipment(models.Model):
    """What one supplier sends to one address of a group order: its own lines, as many sets
    as the address takes. Shipping it records the shared contract's ``ShippingEvent`` (with
    its carrier and tracking number), which the buyer accepts like any shipment."""

    order = models.ForeignKey(
        "order.Order",
        on_delete=models.CASCADE,
        related_name="group_shipments",
        verbose_name=_("订单"),
    )
    address = models.ForeignKey(
        ShipmentAddress,
        on_delete=models.CASCADE,
        related_name="shipments",
        verbose_name=_("配送地址"),
    )
    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        related_name="group_shipments",
        verbose_name=_("供应商"),
    )
    shipping_event = models.OneToOneField(
        ShippingEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_shipment",
        verbose_name=_("发货记录"),
    )

    class Meta:
        verbose_name = _("分地址发货")
        verbose_name_plural = _("分地址发货")
        ordering = ["address__row", "partner_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["address", "partner"], name="unique_group_shipment_partner"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.address_id} · {self.partner_id}"


from oscar.apps.order.models import *  # noqa: E402, F403
