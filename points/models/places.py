"""Villages, their points supermarkets, who works there, and the households."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Supermarket(models.Model):
    """A village points supermarket (乡村振兴积分超市); one per village or shared by a town's
    villages. Its managers redeem points for its goods."""

    name = models.CharField(_("名称"), max_length=100, unique=True)
    town = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在乡镇")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="points_supermarkets",
        verbose_name=_("超市管理员"),
    )
    is_active = models.BooleanField(_("营业中"), default=True)
    # Who the supermarket buys as on the marketplace (集市补货): a "八进" organisation of type
    # ``points_supermarket``, so that its orders go through the procurement checkout,
    # approval, acceptance and transfer unchanged (see docs/points.md).
    buyer = models.OneToOneField(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_supermarket",
        verbose_name=_("采购主体"),
    )

    class Meta:
        verbose_name = _("积分超市")
        verbose_name_plural = _("积分超市")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    """An administrative village (行政村) under a town of the region tree, with the clerks
    who record its households' points (村级记分员)."""

    code = models.CharField(
        _("村代码"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("村代码应为 12 位数字。"))],
    )
    name = models.CharField(_("村名"), max_length=50)
    town = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="points_villages",
        verbose_name=_("所属乡镇"),
    )
    supermarket = models.ForeignKey(
        Supermarket,
        on_delete=models.PROTECT,
        related_name="villages",
        verbose_name=_("积分超市"),
    )
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="points_villages",
        verbose_name=_("记分员"),
    )
    objection_contact = models.CharField(_("异议受理电话"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("行政村")
        verbose_name_plural = _("行政村")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    """A household (户) taking part in the scheme. ``balance`` is the cached sum of its
    ledger entries, changed only under a row lock together with the entry."""

    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, related_name="households", verbose_name=_("所属村")
    )
    code = models.CharField(
        _("户编码"),
        max_length=20,
        unique=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z-]{4,20}$", _("户编码为 4-20 位数字、字母或短横线。"))
        ],
    )
    head_name = models.CharField(_("户主"), max_length=30)
    members = models.PositiveSmallIntegerField(_("家庭人口"), default=1)
    phone_last4 = models.CharField(
        _("联系电话后四位"),
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("请填写联系电话的后四位数字。"))],
    )
    balance = models.IntegerField(_("积分余额"), default=0)
    is_active = models.BooleanField(_("参与积分制"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("农户")
        verbose_name_plural = _("农户")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0), name="points_household_balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.head_name}"

    @property
    def masked_head_name(self) -> str:
        """The head's name as public boards print it: 张*明, 李*."""
        name = self.head_name
        if len(name) <= 1:
            return name
        if len(name) == 2:
            return name[0] + "*"
        return name[0] + "*" * (len(name) - 2) + name[-1]
