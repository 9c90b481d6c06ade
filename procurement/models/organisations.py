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
