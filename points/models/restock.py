"""Restocking from the marketplace (集市补货): the supermarket's procurement orders and the
funding sources each is paid from. The order itself is an Oscar order placed through the
procurement checkout (channel ``points_supermarket``); these rows add what only the points
scheme knows."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .places import Supermarket


class FundingSource(models.TextChoices):
    DONATION = "donation", _("帮扶单位捐赠")
    COLLECTIVE = "collective", _("村集体经济收入")
    SUBSIDY = "subsidy", _("财政补助")


class RestockOrder(models.Model):
    """A supermarket's order on the marketplace. Its funding rows add up to the order's total
    exactly (checked by the service in the placing transaction and by ``reconcile_points``;
    on PostgreSQL by a deferred constraint trigger at commit)."""

    supermarket = models.ForeignKey(
        Supermarket,
        on_delete=models.PROTECT,
        related_name="restock_orders",
        verbose_name=_("积分超市"),
    )
    order = models.OneToOneField(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="points_restock",
        verbose_name=_("订单"),
    )
    total = models.DecimalField(_("订单金额（元）"), max_digits=14, decimal_places=2)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("下单人"),
    )
    placed_at = models.DateTimeField(_("下单时间"), default=timezone.now)

    class Meta:
        verbose_name = _("集市补货单")
        verbose_name_plural = _("集市补货单")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gt=0), name="points_restock_total"),
        ]

    def __str__(self) -> str:
        return f"{self.supermarket} · {self.order_id}"


class RestockFunding(models.Model):
    """The part of a restocking order paid from one funding source."""

    restock = models.ForeignKey(
        RestockOrder, on_delete=models.CASCADE, related_name="funding", verbose_name=_("补货单")
    )
    source = models.CharField(_("资金来源"), max_length=12, choices=FundingSource.choices)
    amount = models.DecimalField(_("金额（元）"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("补货资金来源")
        verbose_name_plural = _("补货资金来源")
        ordering = ["restock", "source"]
        constraints = [
            models.UniqueConstraint(fields=["restock", "source"], name="points_funding_source"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="points_funding_positive"),
            models.CheckConstraint(
                condition=Q(source__in=FundingSource.values), name="points_funding_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} ¥{self.amount}"
