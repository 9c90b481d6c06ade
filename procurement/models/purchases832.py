"""Purchases a unit made on the national 832 platform (脱贫地区农副产品网络销售平台), taken in
from the 832 purchaser system's monthly statistics.

Each record is one month's amount for one unit and one supplier area; it counts toward the
unit's reserve through its own ledger entry (kind 832平台采购) on the unit's filing of that
year, never through an order, so it can never be counted twice with an order placed here.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Purchase832(models.Model):
    unit = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        related_name="purchases_832",
        verbose_name=_("预算单位"),
    )
    filing = models.ForeignKey(
        "procurement.Filing",
        on_delete=models.PROTECT,
        related_name="purchases_832",
        verbose_name=_("填报"),
    )
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    supplier_region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("供应商所在地区"),
    )
    amount = models.DecimalField(_("采购金额（元）"), max_digits=14, decimal_places=2)
    order_count = models.PositiveIntegerField(_("订单数"), default=0)
    entry = models.OneToOneField(
        "procurement.QuotaEntry",
        on_delete=models.PROTECT,
        related_name="purchase_832",
        verbose_name=_("台账"),
    )
    source = models.CharField(_("来源"), max_length=200, help_text=_("导入任务与文件名"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("导入人"),
    )
    created_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("832平台采购记录")
        verbose_name_plural = _("832平台采购记录")
        ordering = ["-month", "unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "month", "supplier_region"], name="unique_purchase832_unit_month"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="purchase832_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.month:%Y-%m} · ¥{self.amount}"
