"""After-sales (售后): a shopper's request about one paid order line, and the supplier's answer.

A case is opened by the shopper (仅退款, 退货退款 or 商品破损 with photos), answered by the
supplier that sold the line (agree, refuse with a reason, or ask for the goods back), and ends
refunded, refused or withdrawn. ``AFTERSALES_MOVES`` is its whole state machine; every move is
an ``AfterSalesEvent`` row (who, when, why). An agreed case refunds through the payments app's
refund of one line, keyed by the case, so Stripe refunds it once.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.states import StateMachine
from suppliers.storage import private_storage

from .exceptions import AfterSalesStateError


class AfterSalesKind(models.TextChoices):
    REFUND_ONLY = "refund", _("仅退款")
    RETURN_REFUND = "return", _("退货退款")
    DAMAGED = "damaged", _("商品破损")


class AfterSalesStatus(models.TextChoices):
    REQUESTED = "requested", _("待商家处理")
    RETURN_REQUESTED = "return_requested", _("待买家退货")
    RETURN_SHIPPED = "return_shipped", _("买家已退货，待商家收货")
    REFUNDING = "refunding", _("退款中")
    REFUNDED = "refunded", _("已退款")
    REFUSED = "refused", _("商家已拒绝")
    CANCELLED = "cancelled", _("买家已撤销")


#: A case in one of these statuses blocks a second case on the same line.
OPEN_STATUSES = (
    AfterSalesStatus.REQUESTED,
    AfterSalesStatus.RETURN_REQUESTED,
    AfterSalesStatus.RETURN_SHIPPED,
    AfterSalesStatus.REFUNDING,
)
#: The supplier must answer a case in these statuses before its ``reply_due_at``.
AWAITING_SUPPLIER = (AfterSalesStatus.REQUESTED, AfterSalesStatus.RETURN_SHIPPED)

AFTERSALES_MOVES = StateMachine(
    field="status",
    transitions={
        AfterSalesStatus.REQUESTED: (
            AfterSalesStatus.REFUNDING,
            AfterSalesStatus.REFUSED,
            AfterSalesStatus.RETURN_REQUESTED,
            AfterSalesStatus.CANCELLED,
        ),
        AfterSalesStatus.RETURN_REQUESTED: (
            AfterSalesStatus.RETURN_SHIPPED,
            AfterSalesStatus.CANCELLED,
        ),
        AfterSalesStatus.RETURN_SHIPPED: (AfterSalesStatus.REFUNDING, AfterSalesStatus.REFUSED),
        AfterSalesStatus.REFUNDING: (AfterSalesStatus.REFUNDED,),
        AfterSalesStatus.REFUNDED: (),
        AfterSalesStatus.REFUSED: (),
        AfterSalesStatus.CANCELLED: (),
    },
    error=AfterSalesStateError,
    refusal=_("售后单当前状态为“%(status)s”，不能改为“%(to)s”。"),
)


class SupplierAfterSalesPolicy(models.Model):
    """A supplier's own after-sales terms; without a row the policy defaults apply
    (``AFTERSALES_WINDOW_DAYS``)."""

    partner = models.OneToOneField(
        "partner.Partner",
        on_delete=models.CASCADE,
        related_name="aftersales_policy",
        verbose_name=_("供应商"),
    )
    window_days = models.PositiveSmallIntegerField(
        _("售后期限（天）"),
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("买家签收后多少天内可以申请售后"),
    )
    return_address = models.TextField(_("退货地址"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("供应商售后设置")
        verbose_name_plural = _("供应商售后设置")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_days__gte=1, window_days__lte=60),
                name="aftersales_policy_window_days_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · {self.window_days}"


class AfterSalesCase(models.Model):
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="aftersales_cases",
        verbose_name=_("订单"),
    )
    line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        related_name="aftersales_cases",
        verbose_name=_("订单行"),
    )
    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        related_name="aftersales_cases",
        verbose_name=_("供应商"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aftersales_cases",
        verbose_name=_("申请人"),
    )
    kind = models.CharField(_("售后类型"), max_length=20, choices=AfterSalesKind.choices)
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=AfterSalesStatus.choices,
        default=AfterSalesStatus.REQUESTED,
        db_index=True,
    )
    reason = models.CharField(_("申请原因"), max_length=200)
    amount = models.DecimalField(_("申请退款金额"), max_digits=12, decimal_places=2)
    return_address = models.TextField(_("退货地址"), blank=True)
    return_carrier = models.CharField(_("退货快递公司"), max_length=40, blank=True)
    return_tracking = models.CharField(_("退货运单号"), max_length=40, blank=True)
    refuse_reason = models.CharField(_("拒绝原因"), max_length=200, blank=True)
    refund = models.OneToOneField(
        "payments.Refund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aftersales_case",
        verbose_name=_("退款"),
    )
    reply_due_at = models.DateTimeField(
        _("商家处理期限"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("到期未处理则系统自动同意"),
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("售后单")
        verbose_name_plural = _("售后单")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="aftersales_amount_positive"
            ),
            models.UniqueConstraint(
                fields=["line"],
                condition=models.Q(status__in=OPEN_STATUSES),
                name="aftersales_one_open_case_per_line",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="refused") | ~models.Q(refuse_reason=""),
                name="aftersales_refused_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.get_kind_display()} · {self.get_status_display()}"

    @property
    def number(self) -> str:
        return f"SH{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def idempotency_key(self) -> str:
        """The key of the case's one refund (``payments.Refund.key``, Stripe's idempotency key)."""
        return f"aftersales-{self.pk}"


class AfterSalesPhoto(models.Model):
    """A photo of damaged goods, checked by content and re-encoded, stored privately."""

    case = models.ForeignKey(
        AfterSalesCase, on_delete=models.CASCADE, related_name="photos", verbose_name=_("售后单")
    )
    file = models.FileField(_("图片"), upload_to="aftersales/%Y/%m/", storage=private_storage)
    content_type = models.CharField(_("文件类型"), max_length=50)
    size = models.PositiveIntegerField(_("大小"))
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("售后图片")
        verbose_name_plural = _("售后图片")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.file.name}"


class AfterSalesAction(models.TextChoices):
    REQUEST = "request", _("申请售后")
    AGREE = "agree", _("同意退款")
    AUTO_AGREE = "auto_agree", _("超时自动同意")
    REFUSE = "refuse", _("拒绝")
    RETURN_REQUEST = "return_request", _("要求退货")
    RETURN_SHIP = "return_ship", _("买家寄回")
    RETURN_RECEIVE = "return_receive", _("确认收货并退款")
    CANCEL = "cancel", _("撤销申请")
    REFUNDED = "refunded", _("退款到账")


class AfterSalesEvent(models.Model):
    """One move of a case: who (None: the system), when, from which status to which, why."""

    case = models.ForeignKey(
        AfterSalesCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("售后单")
    )
    action = models.CharField(_("操作"), max_length=20, choices=AfterSalesAction.choices)
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=AfterSalesStatus.choices, blank=True
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=AfterSalesStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("售后记录")
        verbose_name_plural = _("售后记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_action_display()}"
