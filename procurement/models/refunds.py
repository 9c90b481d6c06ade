"""Refunds (退款) of accepted procurement goods: returned or found faulty after acceptance."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProcurementRefund(models.Model):
    """A supplier's refund of some accepted lines of one order. Its ``entry`` is the ledger
    entry (kind ``refund``) that released the amount from the unit's filing."""

    procurement = models.ForeignKey(
        "procurement.ProcurementOrder",
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("订单"),
    )
    settlement = models.ForeignKey(
        "procurement.Settlement",
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("结算"),
    )
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="+", verbose_name=_("供应商")
    )
    amount = models.DecimalField(_("退款金额"), max_digits=14, decimal_places=2)
    reason = models.CharField(_("退款原因"), max_length=300)
    voucher = models.CharField(
        _("凭证号码"),
        max_length=60,
        blank=True,
        help_text=_("已开票的填红字发票号码，已转账的填退款转账流水号。"),
    )
    entry = models.OneToOneField(
        "procurement.QuotaEntry",
        on_delete=models.PROTECT,
        related_name="refund",
        verbose_name=_("台账"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("采购退款")
        verbose_name_plural = _("采购退款")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="procurementrefund_amount_positive"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="procurementrefund_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.procurement} · {self.partner} · {self.amount}"


class ProcurementRefundLine(models.Model):
    refund = models.ForeignKey(
        ProcurementRefund, on_delete=models.PROTECT, related_name="lines", verbose_name=_("退款")
    )
    line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="+", verbose_name=_("订单行")
    )
    quantity = models.PositiveIntegerField(_("退货数量"))
    amount = models.DecimalField(_("退款金额"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("退款明细")
        verbose_name_plural = _("退款明细")
        constraints = [
            models.UniqueConstraint(
                fields=["refund", "line"], name="unique_procurementrefund_line"
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="procurementrefundline_quantity"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="procurementrefundline_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.line_id} × {self.quantity}"
