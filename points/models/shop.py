"""The supermarket's goods and stock, and redemptions (积分兑换) that move points and stock
together."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .ledger import AppendOnlyRow
from .places import Household, Supermarket


class Goods(models.Model):
    """A line of goods on the supermarket's shelf: its points price, its value in yuan (what
    one unit cost the supermarket, for the bureau's figures) and its stock, the cached sum of
    its stock moves."""

    supermarket = models.ForeignKey(
        Supermarket, on_delete=models.PROTECT, related_name="goods", verbose_name=_("积分超市")
    )
    name = models.CharField(_("品名"), max_length=100)
    unit = models.CharField(_("单位"), max_length=10, default="件")
    points_price = models.PositiveIntegerField(_("兑换积分"))
    unit_value = models.DecimalField(_("单价（元）"), max_digits=10, decimal_places=2)
    stock = models.IntegerField(_("库存"), default=0)
    product = models.ForeignKey(
        "catalogue.Product",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("集市商品"),
    )
    is_active = models.BooleanField(_("上架"), default=True)

    class Meta:
        verbose_name = _("超市商品")
        verbose_name_plural = _("超市商品")
        ordering = ["supermarket", "points_price", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="points_goods_stock_not_negative"
            ),
            models.CheckConstraint(condition=Q(points_price__gt=0), name="points_goods_priced"),
            models.UniqueConstraint(fields=["supermarket", "name"], name="points_goods_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.points_price} 分/{self.unit}）"


class RedemptionStatus(models.TextChoices):
    DONE = "done", _("已兑换")
    REVERSED = "reversed", _("已退兑")


class Redemption(models.Model):
    number = models.CharField(_("兑换单号"), max_length=20, unique=True)
    supermarket = models.ForeignKey(
        Supermarket,
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("积分超市"),
    )
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("农户")
    )
    total_points = models.PositiveIntegerField(_("积分合计"))
    total_value = models.DecimalField(_("价值合计（元）"), max_digits=12, decimal_places=2)
    status = models.CharField(
        _("状态"), max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.DONE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("经办人"),
    )
    created_at = models.DateTimeField(_("兑换时间"), default=timezone.now, db_index=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("退兑经办人"),
    )
    reversed_at = models.DateTimeField(_("退兑时间"), null=True, blank=True)
    reversal_reason = models.CharField(_("退兑原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("兑换单")
        verbose_name_plural = _("兑换单")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_points__gt=0), name="points_redemption_points"
            ),
            models.CheckConstraint(
                condition=Q(status="done") | ~Q(reversal_reason=""),
                name="points_redemption_reversal_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number


class RedemptionLine(models.Model):
    redemption = models.ForeignKey(
        Redemption, on_delete=models.PROTECT, related_name="lines", verbose_name=_("兑换单")
    )
    goods = models.ForeignKey(
        Goods, on_delete=models.PROTECT, related_name="+", verbose_name=_("商品")
    )
    quantity = models.PositiveIntegerField(_("数量"))
    points_price = models.PositiveIntegerField(_("兑换积分"))
    unit_value = models.DecimalField(_("单价（元）"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("兑换明细")
        verbose_name_plural = _("兑换明细")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="points_line_quantity"),
        ]

    def __str__(self) -> str:
        return f"{self.goods.name} × {self.quantity}"

    @property
    def points(self) -> int:
        return self.points_price * self.quantity


class StockMoveKind(models.TextChoices):
    RESTOCK = "restock", _("入库")
    REDEMPTION = "redemption", _("兑换出库")
    REVERSAL = "reversal", _("退兑入库")
    ADJUST = "adjust", _("盘点调整")


class StockMove(AppendOnlyRow):
    """One movement of a line of goods' stock. Never updated or deleted."""

    goods = models.ForeignKey(
        Goods, on_delete=models.PROTECT, related_name="moves", verbose_name=_("商品")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=StockMoveKind.choices)
    delta = models.IntegerField(_("数量变动"))
    redemption = models.ForeignKey(
        Redemption,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stock_moves",
        verbose_name=_("兑换单"),
    )
    # A delivery of a restocking order (集市补货): the order line and the acceptance line
    # it comes from. One move per acceptance line, ever (a unique constraint).
    order_line = models.ForeignKey(
        "order.Line",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("补货订单行"),
    )
    acceptance_line = models.OneToOneField(
        "procurement.AcceptanceLine",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_stock_move",
        verbose_name=_("验收明细"),
    )

    class Meta:
        verbose_name = _("库存变动")
        verbose_name_plural = _("库存变动")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="points_stockmove_moves"),
            models.CheckConstraint(
                condition=~Q(kind__in=["redemption", "reversal"]) | Q(redemption__isnull=False),
                name="points_stockmove_redemption",
            ),
            models.CheckConstraint(
                condition=Q(order_line__isnull=True, acceptance_line__isnull=True)
                | Q(
                    kind="restock",
                    delta__gt=0,
                    order_line__isnull=False,
                    acceptance_line__isnull=False,
                ),
                name="points_stockmove_restock_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goods.name} · {self.delta:+d}"
