from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplierShippingRule(models.Model):
    """A supplier's shipping fee: ``fee`` per order, nothing when its goods reach
    ``free_threshold``. Suppliers without a rule use the settings' defaults."""

    partner = models.OneToOneField(
        "partner.Partner",
        on_delete=models.CASCADE,
        related_name="shipping_rule",
        verbose_name=_("供应商"),
    )
    fee = models.DecimalField(
        _("运费"), max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    free_threshold = models.DecimalField(
        _("包邮门槛"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("该供应商商品金额达到此数即免运费；留空表示不包邮。"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        app_label = "shipping"
        verbose_name = _("供应商运费规则")
        verbose_name_plural = _("供应商运费规则")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fee__gte=0), name="shippingrule_fee_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(free_threshold__isnull=True) | models.Q(free_threshold__gte=0),
                name="shippingrule_threshold_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner} · ¥{self.fee}"

    @classmethod
    def default_terms(cls) -> tuple[Decimal, Decimal | None]:
        return (
            Decimal(settings.SUPPLIER_SHIPPING_DEFAULT_FEE),
            Decimal(settings.SUPPLIER_SHIPPING_DEFAULT_FREE_THRESHOLD)
            if settings.SUPPLIER_SHIPPING_DEFAULT_FREE_THRESHOLD is not None
            else None,
        )


class SupplierShippingCharge(models.Model):
    """The shipping fee one supplier charged on one order, as quoted when it was placed."""

    order = models.ForeignKey(
        "order.Order",
        on_delete=models.CASCADE,
        related_name="supplier_shipping_charges",
        verbose_name=_("订单"),
    )
    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("供应商"),
    )
    partner_name = models.CharField(_("供应商名称"), max_length=128)
    subtotal = models.DecimalField(_("商品金额"), max_digits=12, decimal_places=2)
    fee = models.DecimalField(_("运费"), max_digits=8, decimal_places=2)

    class Meta:
        app_label = "shipping"
        verbose_name = _("订单供应商运费")
        verbose_name_plural = _("订单供应商运费")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "partner"], name="shippingcharge_one_per_supplier"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order.number} · {self.partner_name} · ¥{self.fee}"


from oscar.apps.shipping.models import *  # noqa: E402, F403
