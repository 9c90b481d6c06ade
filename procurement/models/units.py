from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Decision
from core.validators import validate_credit_code


class UnitType(models.TextChoices):
    AGENCY = "agency", _("机关")
    SCHOOL = "school", _("学校")
    HOSPITAL = "hospital", _("医院")
    STATE_FIRM = "state_firm", _("国有企业")
    INSTITUTION = "institution", _("事业单位")


class UnitKind(models.TextChoices):
    """A budget unit files a reserved share; an organisation (a "八进" buyer: a union, an
    enterprise, a hospital, a community, a supermarket...) buys without one. Both register,
    are approved and have members the same way."""

    BUDGET_UNIT = "budget_unit", _("预算单位")
    ORGANISATION = "organisation", _("“八进”单位")


class CanteenStatus(models.TextChoices):
    OWN = "own", _("自有食堂")
    NONE = "none", _("无食堂")
    SHARED = "shared", _("共用食堂")
    OUTSOURCED = "outsourced", _("食堂外包")


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    WITHDRAWN = "withdrawn", _("已撤回")
    REJECTED = "rejected", _("不予通过")


#: Final states of a registration: the unit keeps its audit trail but no longer holds its
#: name and credit code, and has no members.
CLOSED_REGISTRATION = (RegistrationStatus.WITHDRAWN, RegistrationStatus.REJECTED)

#: The organisation type code of unions: the one type the code knows by name (a union has a
#: parent unit, a yearly target, and orders in channel ``union``).
UNION_TYPE = "union"
#: A village points supermarket buying its stock (points/, channel ``points_supermarket``).
POINTS_SUPERMARKET_TYPE = "points_supermarket"


def _unique_while_open(field: str, message) -> models.UniqueConstraint:
    """``field`` unique among units whose registration is not withdrawn or rejected, so that
    closing a registration frees it. The code "unique" makes ``full_clean()`` report a
    duplicate as an error of ``field``, with ``message``."""
    return models.UniqueConstraint(
        fields=[field],
        condition=~Q(registration_status__in=CLOSED_REGISTRATION),
        name=f"budgetunit_unique_live_{field}",
        violation_error_code="unique",
        violation_error_message=message,
    )


class BudgetUnit(models.Model):
    """A government budget unit (预算单位) that reserves a share of its canteen budget."""

    # Unique among units whose registration is not closed (see Meta.constraints).
    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[validate_credit_code]
    )
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="budget_units",
        verbose_name=_("所在区域"),
    )
    kind = models.CharField(
        _("主体类别"), max_length=20, choices=UnitKind.choices, default=UnitKind.BUDGET_UNIT
    )
    # A budget unit's type; an organisation has ``org_type`` instead.
    unit_type = models.CharField(_("单位类型"), max_length=20, choices=UnitType.choices, blank=True)
    # The code of an ``OrganisationType`` of the policy year (工会, 企业, 医院...).
    org_type = models.CharField(_("“八进”单位类型"), max_length=20, blank=True)
    # A union's unit or enterprise (工会所属单位).
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unions",
        verbose_name=_("所属单位"),
    )
    # The supervising unit's name as entered (shown, filtered on); ``supervisor`` is the
    # link to it when it is a unit here, whose reviewers pre-review this unit's filings.
    supervising_unit = models.CharField(_("主管单位"), max_length=100, blank=True)
    supervisor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subordinates",
        verbose_name=_("主管预算单位"),
        help_text=_("本单位的主管预算单位：年度政策要求时，由其主管审核人初审本单位的填报。"),
    )
    canteen_status = models.CharField(
        _("食堂情况"), max_length=20, choices=CanteenStatus.choices, default=CanteenStatus.OWN
    )
    canteen_host = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="canteen_members",
        verbose_name=_("共用食堂主办单位"),
        help_text=_("共用食堂的成员单位填写：由主办单位统一填报，本单位计入其填报。"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    # A self-registered unit stays inactive until bureau staff of its region approve it.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("自助注册人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    # Units created by bureau staff (or in the admin) are approved from the start.
    registration_status = models.CharField(
        _("注册审核状态"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.APPROVED,
    )
    # The bureau's reason for returning the registration, or for rejecting it for good.
    return_reason = models.CharField(_("退回或不予通过的原因"), max_length=300, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="BudgetUnitMember",
        related_name="budget_units",
        verbose_name=_("成员"),
    )

    class Meta:
        verbose_name = _("预算单位")
        verbose_name_plural = _("预算单位")
        ordering = ["region__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(registration_status="returned") | ~Q(return_reason=""),
                name="budgetunit_returned_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(registration_status="rejected") | ~Q(return_reason=""),
                name="budgetunit_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(registration_status="approved") | Q(is_active=False),
                name="budgetunit_active_only_when_approved",
            ),
            models.CheckConstraint(
                condition=Q(kind="budget_unit", org_type="") & ~Q(unit_type="")
                | Q(kind="organisation", unit_type="") & ~Q(org_type=""),
                name="budgetunit_kind_has_its_type",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | Q(org_type="union"),
                name="budgetunit_only_unions_have_parent",
            ),
            _unique_while_open(
                "name", _("已有同名的预算单位。如果是本单位，请联系单位管理员添加您为成员。")
            ),
            _unique_while_open(
                "credit_code", _("该统一社会信用代码已被注册。如果是本单位，请联系单位管理员。")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        super().clean()
        if self.supervisor_id and self.supervisor_id == self.pk:
            raise ValidationError({"supervisor": _("主管预算单位不能是本单位。")})
        if self.canteen_host_id and (
            self.canteen_status != CanteenStatus.SHARED or self.canteen_host_id == self.pk
        ):
            raise ValidationError(
                {"canteen_host": _("只有共用食堂的成员单位填写主办单位，且不能是本单位。")}
            )

    @property
    def is_organisation(self) -> bool:
        return self.kind == UnitKind.ORGANISATION

    @property
    def is_union(self) -> bool:
        return self.org_type == UNION_TYPE

    @property
    def filing_unit_id(self) -> int:
        """The unit whose filing this unit's orders are charged to: the host of a shared
        canteen (共用食堂) for a member unit, else the unit itself. The order still records
        this unit as its buyer (members attributed)."""
        if self.canteen_status == CanteenStatus.SHARED and self.canteen_host_id:
            return self.canteen_host_id
        return self.pk

    @property
    def registration_closed(self) -> bool:
        """Withdrawn or rejected: the unit is kept for its audit trail only."""
        return self.registration_status in CLOSED_REGISTRATION


class MemberRole(models.TextChoices):
    PURCHASER = "purchaser", _("采购员")
    APPROVER = "approver", _("审批人")
    ADMIN = "admin", _("单位管理员")
    REVIEWER = "reviewer", _("主管审核人")


#: Who of a supervising unit pre-reviews its subordinate units' filings (主管预算单位初审).
SUPERVISOR_REVIEW_ROLES = (MemberRole.REVIEWER, MemberRole.ADMIN)


class BudgetUnitMember(models.Model):
    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("单位")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="unit_memberships",
        verbose_name=_("用户"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=MemberRole.choices)

    class Meta:
        verbose_name = _("单位成员")
        verbose_name_plural = _("单位成员")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user", "role"], name="unique_unit_member_role")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.user} · {self.get_role_display()}"


class UnitAction(models.TextChoices):
    REGISTERED = "registered", _("自助注册")
    RESUBMITTED = "resubmitted", _("修改后重新提交")
    APPROVED = "approved", _("审核通过")
    RETURNED = "returned", _("退回")
    WITHDRAWN = "withdrawn", _("注册人撤回")
    REJECTED = "rejected", _("不予通过")
    CREATED = "created", _("审核部门直接创建")
    MEMBER_ADDED = "member_added", _("添加成员")
    MEMBER_REMOVED = "member_removed", _("移除成员")
    RULES_CHANGED = "rules_changed", _("修改审批规则")
    TARGET_SET = "target_set", _("下达工会消费帮扶任务")
    STAFF_LINKED = "staff_linked", _("职工关联")
    STAFF_UNLINKED = "staff_unlinked", _("职工解除关联")
    LINKS_CHANGED = "links_changed", _("修改主管单位或食堂情况")


class UnitDecision(Decision):
    """One step in a unit's life, as its audit trail shows it: who, when, what, why."""

    outcome_field = "action"
    reason_field = "detail"

    unit = models.ForeignKey(
        BudgetUnit, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("单位")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
    )
    action = models.CharField(_("操作"), max_length=20, choices=UnitAction.choices)
    detail = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("单位审核记录")
        verbose_name_plural = _("单位审核记录")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.get_action_display()}"
