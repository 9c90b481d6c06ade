"""Policy years, reserved-share filings with their versions, and the quota ledger.

The ledger (``QuotaEntry``) is append-only: on PostgreSQL a trigger refuses UPDATE and
DELETE (migration 0003). A filing's ``committed`` and ``completed`` are a cache of the sums of
its entries, changed only in the transaction that appends the entry. The reserved amount is a
floor to reach, not a ceiling: both sums may pass it (超额完成). Where the policy year caps
spending at the filed canteen budget, the ledger checks that cap under the filing's row lock.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ChangeRecord, Decision
from core.money import ZERO

from .units import CanteenStatus


class CountingEvent(models.TextChoices):
    PLACED = "placed", _("下单（审批通过）")
    ACCEPTED = "accepted", _("验收")
    PAID = "paid", _("付款（供应商确认收款）")


class PolicyYear(models.Model):
    """The year's rules, set by city bureau staff. Nothing about ratios is hard-coded."""

    year = models.PositiveIntegerField(_("年度"), unique=True)
    min_ratio = models.DecimalField(
        _("最低预留比例"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("预留份额占食堂食材采购预算的最低比例，如 0.10 表示 10%。"),
    )
    encouraged_ratio = models.DecimalField(
        _("鼓励预留比例"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1500"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    filing_deadline = models.DateField(_("填报截止日期"))
    counting_event = models.CharField(
        _("计入完成的环节"),
        max_length=10,
        choices=CountingEvent.choices,
        default=CountingEvent.ACCEPTED,
    )
    is_open = models.BooleanField(
        _("接受填报"), default=True, help_text=_("关闭后不再接受新的填报和修改。")
    )
    cap_at_canteen_budget = models.BooleanField(
        _("以年度食堂食材采购预算为采购上限"),
        default=False,
        help_text=_(
            "预留份额是应达到的下限，单位可以超额采购；勾选后，单位本年度已占用与已完成之和"
            "不得超过其填报的年度食堂食材采购预算。"
        ),
    )
    union_counts_for_parent = models.BooleanField(
        _("工会采购计入所属单位预留份额"),
        default=False,
        help_text=_(
            "勾选后，工会采购同时计入其所属预算单位当年的预留份额完成额；"
            "不勾选时只计入工会自己的消费帮扶任务。"
        ),
    )
    supervisor_review_required = models.BooleanField(
        _("申报须经主管预算单位初审"),
        default=False,
        help_text=_(
            "勾选后，设有主管预算单位（且其有主管审核人）的单位提交的填报先由主管预算单位初审，"
            "初审通过后再由财政局或乡村振兴局审核。"
        ),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度政策")
        verbose_name_plural = _("年度政策")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_ratio__gte=0) & Q(min_ratio__lte=1),
                name="policyyear_min_ratio_range",
            ),
            models.CheckConstraint(
                condition=Q(encouraged_ratio__gte=F("min_ratio")),
                name="policyyear_encouraged_at_least_min",
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s 年度") % {"year": self.year}


#: A policy year's own rules: a change of any is recorded (``PolicyYearChange``).
POLICY_YEAR_FIELDS = (
    "min_ratio",
    "encouraged_ratio",
    "filing_deadline",
    "counting_event",
    "is_open",
    "cap_at_canteen_budget",
    "union_counts_for_parent",
    "supervisor_review_required",
)


class PolicyYearChange(ChangeRecord):
    """A policy year set or changed by city bureau staff: who, when, and its rules before
    (empty when the year was created) and after. Written by ``policy_year_save``."""

    policy_year = models.ForeignKey(
        PolicyYear,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("年度政策"),
    )

    class Meta(ChangeRecord.Meta):
        verbose_name = _("年度政策变更记录")
        verbose_name_plural = _("年度政策变更记录")

    def __str__(self) -> str:
        return f"{self.policy_year_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class PolicyRegionOverride(models.Model):
    """A region's own ratios for a year (e.g. a county asking 15%); the deepest region
    containing a unit's region applies."""

    policy_year = models.ForeignKey(
        PolicyYear, on_delete=models.CASCADE, related_name="overrides", verbose_name=_("年度")
    )
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("区域")
    )
    min_ratio = models.DecimalField(_("最低预留比例"), max_digits=5, decimal_places=4)
    encouraged_ratio = models.DecimalField(_("鼓励预留比例"), max_digits=5, decimal_places=4)

    class Meta:
        verbose_name = _("区域政策")
        verbose_name_plural = _("区域政策")
        constraints = [
            models.UniqueConstraint(
                fields=["policy_year", "region"], name="unique_policy_region_override"
            ),
            models.CheckConstraint(
                condition=Q(min_ratio__gte=0) & Q(min_ratio__lte=1),
                name="policyoverride_min_ratio_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_year} · {self.region}"


class PolicyCanteenCase(models.Model):
    """A year's rule for one canteen case (自有、无食堂、共用、外包): its own minimum ratio,
    and whether a zero reserve with a reason may be filed. Without a row the year's (or the
    region's) minimum applies, and only a unit without a canteen may file a zero reserve."""

    policy_year = models.ForeignKey(
        PolicyYear, on_delete=models.CASCADE, related_name="canteen_cases", verbose_name=_("年度")
    )
    canteen_status = models.CharField(_("食堂情况"), max_length=20, choices=CanteenStatus.choices)
    min_ratio = models.DecimalField(
        _("最低预留比例"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    zero_reserve_allowed = models.BooleanField(_("可填报零预留（须说明原因）"), default=False)

    class Meta:
        verbose_name = _("食堂情况政策")
        verbose_name_plural = _("食堂情况政策")
        constraints = [
            models.UniqueConstraint(
                fields=["policy_year", "canteen_status"], name="unique_policy_canteen_case"
            ),
            models.CheckConstraint(
                condition=Q(min_ratio__isnull=True) | (Q(min_ratio__gte=0) & Q(min_ratio__lte=1)),
                name="policycanteencase_ratio_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy_year} · {self.get_canteen_status_display()}"


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PRE_REVIEW = "prereview", _("待主管单位初审")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")


class Filing(models.Model):
    """A unit's reserved share for a policy year. The figures on the row are the ones in force
    (the last approved version, or the draft before the first approval); every submission is
    kept as a ``FilingVersion``."""

    unit = models.ForeignKey(
        "procurement.BudgetUnit",
        on_delete=models.PROTECT,
        related_name="filings",
        verbose_name=_("预算单位"),
    )
    policy_year = models.ForeignKey(
        PolicyYear, on_delete=models.PROTECT, related_name="filings", verbose_name=_("年度")
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    canteen_budget = models.DecimalField(
        _("年度食堂食材采购预算（元）"), max_digits=14, decimal_places=2
    )
    reserved_amount = models.DecimalField(_("预留份额（元）"), max_digits=14, decimal_places=2)
    union_demand = models.DecimalField(
        _("工会采购需求（元）"), max_digits=14, decimal_places=2, default=ZERO
    )
    canteen_status = models.CharField(
        _("食堂情况"), max_length=20, choices=CanteenStatus.choices, default=CanteenStatus.OWN
    )
    zero_reason = models.CharField(_("零预留原因"), max_length=300, blank=True)
    contractor_name = models.CharField(_("食堂承包方"), max_length=100, blank=True)
    contract_no = models.CharField(_("承包合同编号"), max_length=60, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    is_late = models.BooleanField(_("逾期填报"), default=False)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    approved_at = models.DateTimeField(_("通过时间"), null=True, blank=True)
    # Cache of the ledger's sums; changed only together with an appended QuotaEntry.
    committed = models.DecimalField(_("已占用"), max_digits=14, decimal_places=2, default=ZERO)
    completed = models.DecimalField(_("已完成"), max_digits=14, decimal_places=2, default=ZERO)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("预留份额填报")
        verbose_name_plural = _("预留份额填报")
        ordering = ["-policy_year__year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "policy_year"], name="unique_unit_year_filing"),
            models.CheckConstraint(
                condition=Q(committed__gte=0) & Q(completed__gte=0),
                name="filing_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(reserved_amount__gte=0) & Q(canteen_budget__gte=0),
                name="filing_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.policy_year}"

    @property
    def remaining(self) -> Decimal:
        """What is still to be ordered to reach the reserved amount (never below zero: the
        reserve is a floor, and orders beyond it are welcome)."""
        return max(self.reserved_amount - self.committed - self.completed, ZERO)

    @property
    def exceeded(self) -> Decimal:
        """Completed beyond the reserved amount (超额完成), zero until it is reached."""
        return max(self.completed - self.reserved_amount, ZERO)

    @property
    def is_exceeded(self) -> bool:
        return self.completed > self.reserved_amount

    @property
    def spending_cap(self) -> Decimal | None:
        """The most committed + completed may reach: the filed canteen budget where the
        policy year caps spending, else None (no cap beyond the unit's approval rules)."""
        return self.canteen_budget if self.policy_year.cap_at_canteen_budget else None

    @property
    def cap_remaining(self) -> Decimal | None:
        cap = self.spending_cap
        return None if cap is None else max(cap - self.committed - self.completed, ZERO)

    @property
    def ratio(self) -> Decimal | None:
        if not self.canteen_budget:
            return None
        return self.reserved_amount / self.canteen_budget

    @property
    def completion_rate(self) -> Decimal:
        # A zero reserve (a unit without a canteen, with a reason the bureau accepted) is a
        # floor already reached.
        if not self.reserved_amount:
            return Decimal("1")
        return self.completed / self.reserved_amount


class FilingVersion(models.Model):
    """One submitted version of a filing and the bureau's decision on it."""

    filing = models.ForeignKey(
        Filing, on_delete=models.CASCADE, related_name="versions", verbose_name=_("填报")
    )
    number = models.PositiveIntegerField(_("版本"))
    canteen_budget = models.DecimalField(
        _("年度食堂食材采购预算（元）"), max_digits=14, decimal_places=2
    )
    reserved_amount = models.DecimalField(_("预留份额（元）"), max_digits=14, decimal_places=2)
    union_demand = models.DecimalField(_("工会采购需求（元）"), max_digits=14, decimal_places=2)
    canteen_status = models.CharField(
        _("食堂情况"), max_length=20, choices=CanteenStatus.choices, default=CanteenStatus.OWN
    )
    zero_reason = models.CharField(_("零预留原因"), max_length=300, blank=True)
    contractor_name = models.CharField(_("食堂承包方"), max_length=100, blank=True)
    contract_no = models.CharField(_("承包合同编号"), max_length=60, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=FilingStatus.choices, default=FilingStatus.SUBMITTED
    )
    is_late = models.BooleanField(_("逾期"), default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("退回原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("填报版本")
        verbose_name_plural = _("填报版本")
        ordering = ["filing", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["filing", "number"], name="unique_filing_version"),
        ]

    def __str__(self) -> str:
        return f"{self.filing} · v{self.number}"


#: A version waiting for a decision: the supervising unit's pre-review or the bureau's review.
FILING_PENDING = (FilingStatus.PRE_REVIEW, FilingStatus.SUBMITTED)


class ReviewRole(models.TextChoices):
    """Who decided a step of a filing's review, as the UI names them."""

    SUPERVISOR = "supervisor", _("主管预算单位初审")
    FINANCE = "finance", _("财政局审核")
    RURAL = "rural", _("乡村振兴局审核")
    BUREAU = "bureau", _("审核部门审核")


class FilingAction(models.TextChoices):
    APPROVED = "approved", _("通过")
    RETURNED = "returned", _("退回")


class FilingDecision(Decision):
    """One review step of a filing version: who (in which role, for which office), when,
    the outcome and the reason. A supervising unit's pre-review passes the version on to the
    bureau (通过) or returns it; the bureau's decision is final."""

    outcome_field = "action"

    filing = models.ForeignKey(
        Filing, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("填报")
    )
    version = models.ForeignKey(
        FilingVersion, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("版本")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    role = models.CharField(_("审核角色"), max_length=12, choices=ReviewRole.choices)
    office = models.CharField(_("审核单位"), max_length=100)
    action = models.CharField(_("审核结果"), max_length=10, choices=FilingAction.choices)
    reason = models.CharField(_("原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("填报审核记录")
        verbose_name_plural = _("填报审核记录")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action="returned") | ~Q(reason=""),
                name="filingdecision_returned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_role_display()} · {self.get_action_display()}"


class QuotaEntryKind(models.TextChoices):
    COMMIT = "commit", _("提交占用")
    RELEASE = "release", _("释放")
    COMPLETE = "complete", _("计入完成")
    ADJUST = "adjust", _("调整")
    REFUND = "refund", _("退款释放")
    PURCHASE_832 = "p832", _("832平台采购")


class QuotaEntry(models.Model):
    """One movement of a filing's balance. ``committed_delta`` and ``completed_delta`` are
    signed; the filing's cached balance is their running sum. Never updated or deleted."""

    # Empty for an organisation's order that counts toward no reserved share (a union's
    # order in a year whose policy does not count it for the parent unit, an enterprise's):
    # the entry then moves no balance but still records what the order counts, and when.
    filing = models.ForeignKey(
        Filing,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("填报"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=QuotaEntryKind.choices)
    committed_delta = models.DecimalField(_("占用变动"), max_digits=14, decimal_places=2)
    completed_delta = models.DecimalField(_("完成变动"), max_digits=14, decimal_places=2)
    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quota_entries",
        verbose_name=_("订单"),
    )
    reason = models.CharField(_("原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("份额台账")
        verbose_name_plural = _("份额台账")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(committed_delta=0) | ~Q(completed_delta=0),
                name="quotaentry_moves_something",
            ),
            models.CheckConstraint(
                condition=~Q(kind="adjust") | ~Q(reason=""),
                name="quotaentry_adjust_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(kind="refund") | ~Q(reason=""),
                name="quotaentry_refund_has_reason",
            ),
            # Only an order's own moves stand outside any filing; adjustments and 832
            # purchases always belong to a filing.
            models.CheckConstraint(
                condition=Q(filing__isnull=False)
                | Q(order__isnull=False, kind__in=["commit", "release", "complete", "refund"]),
                name="quotaentry_no_filing_only_order_moves",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.filing} · {self.get_kind_display()} · "
            f"{self.committed_delta}/{self.completed_delta}"
        )


class QuotaEntryLine(models.Model):
    """The order lines (quantity and amount) behind an entry; they add up to the entry."""

    entry = models.ForeignKey(
        QuotaEntry, on_delete=models.PROTECT, related_name="lines", verbose_name=_("台账")
    )
    line = models.ForeignKey(
        "order.Line", on_delete=models.PROTECT, related_name="+", verbose_name=_("订单行")
    )
    quantity = models.IntegerField(_("数量"))
    committed_delta = models.DecimalField(_("占用变动"), max_digits=14, decimal_places=2)
    completed_delta = models.DecimalField(_("完成变动"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("台账明细")
        verbose_name_plural = _("台账明细")

    def __str__(self) -> str:
        return f"#{self.entry_id} · {self.line_id} × {self.quantity}"
