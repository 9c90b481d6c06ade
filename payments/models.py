"""Card payments through Stripe: one row per PaymentIntent, every webhook event, every refund.

The order statuses these payments move are ``orders.models.OrderStatus``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    REQUIRES_ACTION = "requires_action", _("待验证")
    PROCESSING = "processing", _("处理中")
    FAILED = "failed", _("支付失败")
    SUCCEEDED = "succeeded", _("支付成功")
    CANCELED = "canceled", _("已撤销")


#: A payment in one of these statuses never changes again.
PAYMENT_FINAL_STATUSES = (PaymentStatus.SUCCEEDED, PaymentStatus.CANCELED)


class StripePayment(models.Model):
    """One PaymentIntent attempt for an order (a new card is a new attempt).

    ``intent_id`` stays empty until Stripe has answered; ``idempotency_key`` is derived from
    the order number and the payment method, so a repeated request is the same attempt.
    """

    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="stripe_payments",
        verbose_name=_("订单"),
    )
    intent_id = models.CharField(_("PaymentIntent"), max_length=255, unique=True, null=True)
    payment_method_id = models.CharField(_("支付方式"), max_length=255)
    idempotency_key = models.CharField(_("幂等键"), max_length=255, unique=True)
    amount = models.DecimalField(_("金额"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("币种"), max_length=3, default="CNY")
    status = models.CharField(
        _("状态"), max_length=20, choices=PaymentStatus.choices, default=PaymentStatus.PENDING
    )
    client_secret = models.CharField(max_length=255, blank=True)
    last_error = models.CharField(_("最近错误"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("银行卡支付")
        verbose_name_plural = _("银行卡支付")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="stripepayment_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.intent_id or '-'} · {self.get_status_display()}"

    @property
    def is_final(self) -> bool:
        return self.status in PAYMENT_FINAL_STATUSES


class StripeEvent(models.Model):
    """A webhook event, stored once under Stripe's id before anything acts on it."""

    event_id = models.CharField(_("事件ID"), max_length=255, unique=True)
    type = models.CharField(_("类型"), max_length=100, db_index=True)
    payload = models.JSONField(_("内容"))
    received_at = models.DateTimeField(_("接收时间"), auto_now_add=True)
    processed_at = models.DateTimeField(_("处理时间"), null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(_("处理次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("Stripe 事件")
        verbose_name_plural = _("Stripe 事件")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.event_id} · {self.type}"

    @property
    def state(self) -> str:
        """处理失败 once a handler raised (attempts recorded, the sweep tries again), 待处理
        before any attempt, 已处理 once handled."""
        if self.processed_at is not None:
            return _("已处理")
        return _("处理失败") if self.attempts else _("待处理")

    @property
    def data_object(self) -> dict:
        return (self.payload.get("data") or {}).get("object") or {}


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("退款处理中")
    SUCCEEDED = "succeeded", _("已退款")
    FAILED = "failed", _("退款失败")


class Refund(models.Model):
    """Money given back on an order's card payment, in full or in part.

    ``applied_at`` is when the refund took effect on our books (payment event, source,
    order status); reports count a refund as negative sales on that date.
    """

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="refunds", verbose_name=_("订单")
    )
    payment = models.ForeignKey(
        StripePayment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("支付")
    )
    line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="refunds",
        verbose_name=_("订单行"),
        help_text=_("只退这一行（售后）时填写；为空表示按订单退款"),
    )
    key = models.CharField(
        _("来源键"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("发起退款的业务记录（如售后单 aftersales-12）：同一来源只退一次"),
    )
    amount = models.DecimalField(_("退款金额"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("退款原因"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=20, choices=RefundStatus.choices, default=RefundStatus.PENDING
    )
    stripe_refund_id = models.CharField(_("Stripe 退款"), max_length=255, unique=True, null=True)
    last_error = models.CharField(_("最近错误"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    applied_at = models.DateTimeField(_("退款完成时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("退款")
        verbose_name_plural = _("退款")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_amount_positive"),
            models.CheckConstraint(
                condition=~models.Q(status="succeeded") | models.Q(applied_at__isnull=False),
                name="refund_succeeded_is_applied",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · ¥{self.amount} · {self.get_status_display()}"

    @property
    def idempotency_key(self) -> str:
        """Stripe's idempotency key: the source's key (one per after-sales case) where the
        refund has one, else the refund's own id."""
        return self.key or f"refund-{self.pk}"

    @property
    def counts_against_payment(self) -> bool:
        return self.status != RefundStatus.FAILED
