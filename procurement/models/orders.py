"""A procurement order's details beside Oscar's order: approval, acceptance, settlement."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Decision

from .filings import CountingEvent


class ProcurementOrder(models.Model):
    """The buyer's side of an Oscar order placed through the procurement checkout: a budget
    unit's (channel ``procurement``), a union's (``union``) or another "八进" organisation's
    (``organisation``)."""

    order = models.OneToOneField(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="procurement",
        verbose_name=_("订单"),
    )
    unit = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("预算单位"),
    )
    # Empty for an organisation's order that counts toward no reserved share (see
    # ``procurement.services.organisations.order_filing_for``).
    filing = models.ForeignKey(
        "procurement.Filing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("填报"),
    )
    purchaser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("采购员"),
    )
    canteen = models.CharField(_("收货食堂"), max_length=100)
    delivery_address = models.CharField(_("收货地址"), max_length=200)
    contact_name = models.CharField(_("收货人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    invoice_title = models.CharField(_("发票抬头"), max_length=100)
    tax_number = models.CharField(_("纳税人识别号"), max_length=20)
    note = models.CharField(_("备注"), max_length=300, blank=True)
    counting_event = models.CharField(
        _("计入完成的环节"), max_length=10, choices=CountingEvent.choices
    )
    levels_required = models.PositiveSmallIntegerField(_("审批级数"), default=0)
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    approved_at = models.DateTimeField(_("审批通过时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("采购订单")
        verbose_name_plural = _("采购订单")
        ordering = ["-submitted_at"]
        # The unit portal's newest orders and the paged order list read this index in
        # order and stop at the page, whatever the unit's number of orders.
        indexes = [
            models.Index(
                fields=["unit", "-submitted_at", "-id"], name="procurement_order_unit_newest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.order.number}"


class ApprovalRule(models.Model):
    """Orders of at least ``min_amount`` need an approver's decision at ``level``."""

    unit = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.CASCADE,
        related_name="approval_rules",
        verbose_name=_("预算单位"),
    )
    level = models.PositiveSmallIntegerField(_("审批级别"), default=1)
    min_amount = models.DecimalField(_("金额起点（元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("审批规则")
        verbose_name_plural = _("审批规则")
        ordering = ["unit", "level"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "level"], name="unique_unit_approval_level"),
            models.CheckConstraint(condition=Q(min_amount__gte=0), name="approvalrule_min_amount"),
            models.CheckConstraint(condition=Q(level__gte=1), name="approvalrule_level_positive"),
        ]

    def __str__(self) -> str:
        return _("第 %(level)s 级：¥%(amount)s 起") % {
            "level": self.level,
            "amount": self.min_amount,
        }


class ApprovalDecision(models.TextChoices):
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("驳回")


class OrderApproval(Decision):
    """One approval level's decision on a procurement order."""

    who_field = "approver"
    outcome_field = "decision"
    reason_field = "comment"
    when_field = "decided_at"
    created_at = None  # its time is ``decided_at``, as it always was

    procurement = models.ForeignKey(
        ProcurementOrder, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("订单")
    )
    level = models.PositiveSmallIntegerField(_("审批级别"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decision = models.CharField(_("审批意见"), max_length=10, choices=ApprovalDecision.choices)
    comment = models.CharField(_("说明"), max_length=300, blank=True)
    decided_at = models.DateTimeField(_("审批时间"), default=timezone.now)

    class Meta:
        verbose_name = _("订单审批")
        verbose_name_plural = _("订单审批")
        ordering = ["procurement", "level"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "level"], name="unique_order_approval"),
        ]

    def __str__(self) -> str:
        return f"{self.procurement} · L{self.level} · {self.get_decision_display()}"


class Acceptance(models.Model):
    """The unit's acceptance (验收) of one shipment; each shipment is accepted once."""

    procurement = models.ForeignKey(
        ProcurementOrder,
        on_delete=models.PROTECT,
        related_name="acceptances",
        verbose_name=_("订单"),
    )
    shipping_event = models.OneToOneField(
        "order.ShippingEvent",
        on_delete=models.PROTECT,
        related_name="acceptance",
        verbose_name=_("发货"),
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("验收人"),
    )
    accepted_at = models.DateTimeField(_("验收时间"), default=timezone.now)
    note = models.CharField(_("验收说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("验收")
        verbose_name_plural = _("验收")
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.procurement} · {self.shipping_event_id}"


class AcceptanceLine(models.Model):
    acceptance = models.ForeignKey(
        Acceptance, on_delete=models.CASCADE, related_name="lines", verbose_name=_("验收")
    )
    line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="+", verbose_name=_("订单行")
    )
    shipped = models.PositiveIntegerField(_("发货数量"))
    accepted = models.PositiveIntegerField(_("验收合格"))
    short = models.PositiveIntegerField(_("短少"), default=0)
    damaged = models.PositiveIntegerField(_("破损"), default=0)

    class Meta:
        verbose_name = _("验收明细")
        verbose_name_plural = _("验收明细")
        constraints = [
            models.CheckConstraint(
                condition=Q(shipped=models.F("accepted") + models.F("short") + models.F("damaged")),
                name="acceptanceline_accounts_for_shipment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_id}: {self.accepted}/{self.shipped}"


class Settlement(models.Model):
    """Payment by bank transfer for one supplier's accepted lines of an order: the supplier
    records its invoice, the unit records the transfer, the supplier confirms receipt."""

    procurement = models.ForeignKey(
        ProcurementOrder,
        on_delete=models.PROTECT,
        related_name="settlements",
        verbose_name=_("订单"),
    )
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="+", verbose_name=_("供应商")
    )
    amount = models.DecimalField(_("验收合格金额"), max_digits=14, decimal_places=2)
    # The sum of this supplier's refunds on the order (a cache of ProcurementRefund.amount,
    # changed only with a refund); the unit pays ``due``.
    refunded = models.DecimalField(_("已退款"), max_digits=14, decimal_places=2, default=0)
    invoice_number = models.CharField(_("发票号码"), max_length=40, blank=True)
    invoice_date = models.DateField(_("开票日期"), null=True, blank=True)
    invoiced_at = models.DateTimeField(_("发票登记时间"), null=True, blank=True)
    invoiced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("开票登记人"),
    )
    transfer_reference = models.CharField(_("转账流水号"), max_length=60, blank=True)
    transferred_at = models.DateTimeField(_("转账登记时间"), null=True, blank=True)
    transferred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转账登记人"),
    )
    received_at = models.DateTimeField(_("确认收款时间"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("确认收款人"),
    )

    class Meta:
        verbose_name = _("结算")
        verbose_name_plural = _("结算")
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "partner"], name="unique_settlement_partner"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="settlement_amount"),
            models.CheckConstraint(
                condition=Q(refunded__gte=0) & Q(refunded__lte=models.F("amount")),
                name="settlement_refunded_within_amount",
            ),
            models.CheckConstraint(
                condition=Q(transferred_at__isnull=True) | Q(invoiced_at__isnull=False),
                name="settlement_transfer_after_invoice",
            ),
            models.CheckConstraint(
                condition=Q(received_at__isnull=True) | Q(transferred_at__isnull=False),
                name="settlement_receipt_after_transfer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procurement} · {self.partner}"

    @property
    def due(self):
        """What the unit owes for this supplier's accepted goods after refunds."""
        return self.amount - self.refunded

    @property
    def stage(self) -> str:
        if self.received_at:
            return "received"
        if self.transferred_at:
            return "transferred"
        if self.invoiced_at:
            return "invoiced"
        return "waiting"


class PurchaseList(models.Model):
    """A saved purchase list (常购清单): what a canteen buys every week."""

    unit = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.CASCADE,
        related_name="purchase_lists",
        verbose_name=_("预算单位"),
    )
    name = models.CharField(_("清单名称"), max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("常购清单")
        verbose_name_plural = _("常购清单")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="unique_unit_purchase_list"),
        ]

    def __str__(self) -> str:
        return self.name


class PurchaseListItem(models.Model):
    purchase_list = models.ForeignKey(
        PurchaseList, on_delete=models.CASCADE, related_name="items", verbose_name=_("清单")
    )
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("商品")
    )
    quantity = models.PositiveIntegerField(_("数量"), default=1)

    class Meta:
        verbose_name = _("清单商品")
        verbose_name_plural = _("清单商品")
        constraints = [
            models.UniqueConstraint(
                fields=["purchase_list", "product"], name="unique_purchase_list_product"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="purchaselistitem_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class ReminderSent(models.Model):
    """The monthly reminder to a unit behind schedule goes out once per month."""

    unit = models.ForeignKey(
        "procurement.BudgetUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("单位")
    )
    year = models.PositiveIntegerField(_("年"))
    month = models.PositiveSmallIntegerField(_("月"))
    completion_rate = models.DecimalField(_("完成率"), max_digits=7, decimal_places=4)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("进度提醒")
        verbose_name_plural = _("进度提醒")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "month"], name="unique_unit_reminder"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}-{self.month:02d}"
