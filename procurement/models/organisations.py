"""The "八进" buyers beyond budget units: the policy year's organisation types and the
bureau's yearly targets for unions (工会消费帮扶任务). Organisations themselves are
``BudgetUnit`` rows of kind ``organisation`` (see docs/organisations.md for why)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationChannel(models.TextChoices):
    """The sales channel an organisation type's orders are placed in (a subset of
    ``orders.models.SalesChannel``)."""

    UNION = "union", _("工会采购")
    ORGANISATION = "organisation", _("“八进”单位采购")


class OrganisationType(models.Model):
    """One type of "八进" organisation in a policy year (机关, 学校, 医院, 企业, 社区, 军营, 商超,
    工会): data, not code. ``code`` is what organisations and reports keep; the list of a year
    is the list of the latest policy year up to it that has one."""

    policy_year = models.ForeignKey(
        "procurement.PolicyYear",
        on_delete=models.CASCADE,
        related_name="organisation_types",
        verbose_name=_("年度政策"),
    )
    code = models.SlugField(_("代码"), max_length=20)
    name = models.CharField(_("名称"), max_length=20)
    channel = models.CharField(
        _("采购渠道"),
        max_length=20,
        choices=OrganisationChannel.choices,
        default=OrganisationChannel.ORGANISATION,
    )
    # Budget units of these types count under it in the "八进" table (staff purchases).
    budget_unit_types = models.CharField(
        _("对应的预算单位类型"),
        max_length=100,
        blank=True,
        help_text=_("以英文逗号分隔的预算单位类型代码，如 agency,institution。"),
    )
    sort = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("“八进”单位类型")
        verbose_name_plural = _("“八进”单位类型")
        ordering = ["policy_year", "sort", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_year", "code"], name="unique_organisation_type_code"
            ),
            models.CheckConstraint(
                condition=~Q(code="union") | Q(channel="union"),
                name="organisationtype_union_in_union_channel",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def budget_unit_type_codes(self) -> set[str]:
        return {c.strip() for c in self.budget_unit_types.split(",") if c.strip()}


class UnionTarget(models.Model):
    """A union's consumption-assistance target for a year (工会消费帮扶任务), set by bureau
    staff of its region; changed by setting it again (each setting is a ``UnitDecision``)."""

    union = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        related_name="union_targets",
        verbose_name=_("工会"),
    )
    year = models.PositiveIntegerField(_("年度"))
    amount = models.DecimalField(_("任务金额（元）"), max_digits=14, decimal_places=2)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("下达人"),
    )
    set_at = models.DateTimeField(_("下达时间"), default=timezone.now)

    class Meta:
        verbose_name = _("工会消费帮扶任务")
        verbose_name_plural = _("工会消费帮扶任务")
        ordering = ["-year", "union"]
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="unique_union_target_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="uniontarget_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.union} · {self.year} · ¥{self.amount}"


class StaffLinkStatus(models.TextChoices):
    PENDING = "pending", _("待单位确认")
    ACTIVE = "active", _("已关联")
    REFUSED = "refused", _("单位未同意")
    REVOKED = "revoked", _("已解除")


#: A link that holds the account's place for its organisation type.
LIVE_STAFF_LINK = (StaffLinkStatus.PENDING, StaffLinkStatus.ACTIVE)


class StaffLink(models.Model):
    """A consumer account linked to its organisation (职工个人消费): made active at once with
    the organisation's invite code, or requested and approved by its admin; either side may
    end it. ``org_type`` is the organisation's "八进" type when the link was made: one account
    is linked to at most one organisation of a type (a database constraint)."""

    unit = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        related_name="staff_links",
        verbose_name=_("单位"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_links",
        verbose_name=_("职工账号"),
    )
    org_type = models.CharField(_("“八进”单位类型"), max_length=20)
    status = models.CharField(_("状态"), max_length=10, choices=StaffLinkStatus.choices)
    by_invite = models.BooleanField(_("凭邀请码关联"), default=False)
    created_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    ended_at = models.DateTimeField(_("解除时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("解除人"),
    )

    class Meta:
        verbose_name = _("职工关联")
        verbose_name_plural = _("职工关联")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "org_type"],
                condition=Q(status__in=["pending", "active"]),
                name="unique_live_staff_link_per_type",
                violation_error_message=_("该账号已关联同一类型的单位。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user_id} · {self.get_status_display()}"


class StaffInvite(models.Model):
    """An organisation's current invite code for its staff; replaced when rotated."""

    unit = models.OneToOneField(
        "procurement.BudgetUnit",
        on_delete=models.CASCADE,
        related_name="staff_invite",
        verbose_name=_("单位"),
    )
    code = models.CharField(_("邀请码"), max_length=12, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("生成人"),
    )
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("职工邀请码")
        verbose_name_plural = _("职工邀请码")

    def __str__(self) -> str:
        return f"{self.unit} · {self.code}"


class StaffPurchase(models.Model):
    """A linked staff member's paid consumer order, counted for the organisation (channel
    ``staff``): written once, in the transaction that records the payment. The organisation
    reads only sums and counts of these rows, never the order."""

    order = models.OneToOneField(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="staff_purchase",
        verbose_name=_("订单"),
    )
    link = models.ForeignKey(
        StaffLink, on_delete=models.PROTECT, related_name="purchases", verbose_name=_("职工关联")
    )
    unit = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        related_name="staff_purchases",
        verbose_name=_("单位"),
    )
    amount = models.DecimalField(_("商品金额（元）"), max_digits=14, decimal_places=2)
    paid_at = models.DateTimeField(_("付款时间"))

    class Meta:
        verbose_name = _("职工个人消费")
        verbose_name_plural = _("职工个人消费")
        indexes = [models.Index(fields=["unit", "paid_at"], name="staffpurchase_unit_paid_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="staffpurchase_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.order_id}"
