"""Awards (积分记录): recorded by a clerk, reviewed by the village representatives
(村民代表评议), publicly noticed (公示) and then credited; objections during the notice are
recorded and decided. Every step is an ``AwardStep`` row."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from suppliers.storage import private_storage

from .places import Household
from .rules import Rule


class AwardStatus(models.TextChoices):
    PENDING = "pending", _("待评议")
    REJECTED = "rejected", _("评议未通过")
    NOTICE = "notice", _("公示中")
    CREDITED = "credited", _("已入账")
    CANCELLED = "cancelled", _("异议成立已撤销")


#: Awards that count against a rule's cap (everything not turned down).
LIVE_STATUSES = (AwardStatus.PENDING, AwardStatus.NOTICE, AwardStatus.CREDITED)


def award_photo_path(award, filename: str) -> str:
    return f"points/awards/{timezone.now():%Y/%m}/{filename}"


class Award(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="awards", verbose_name=_("农户")
    )
    rule = models.ForeignKey(
        Rule, on_delete=models.PROTECT, related_name="awards", verbose_name=_("评分细则")
    )
    awarded_on = models.DateField(_("事项日期"))
    points = models.SmallIntegerField(_("分值"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    photo = models.FileField(
        _("佐证照片"), upload_to=award_photo_path, storage=private_storage, blank=True
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=AwardStatus.choices, default=AwardStatus.PENDING
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("记分员"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    notice_ends_on = models.DateField(_("公示截止日"), null=True, blank=True)
    credited_points = models.SmallIntegerField(_("实际入账分值"), null=True, blank=True)

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-awarded_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "notice_ends_on"], name="points_award_notice_idx"),
            models.Index(fields=["household", "rule", "awarded_on"], name="points_award_cap_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="points_award_points_not_zero"),
            models.CheckConstraint(
                condition=~Q(status="notice") | Q(notice_ends_on__isnull=False),
                name="points_award_notice_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.rule.code} · {self.points:+d}"


class AwardAction(models.TextChoices):
    RECORD = "record", _("记录")
    REVIEW_PASS = "review_pass", _("评议通过")
    REVIEW_REJECT = "review_reject", _("评议不通过")
    OBJECTION = "objection", _("受理异议")
    OBJECTION_UPHELD = "objection_upheld", _("异议成立")
    OBJECTION_DISMISSED = "objection_dismissed", _("异议不成立")
    NOTICE_END_EARLY = "notice_end_early", _("提前结束公示")
    CREDIT = "credit", _("入账")


class AwardStep(models.Model):
    """One step of an award's way, with who and why. Never updated or deleted."""

    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="steps", verbose_name=_("积分记录")
    )
    action = models.CharField(_("操作"), max_length=20, choices=AwardAction.choices)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("积分记录流程")
        verbose_name_plural = _("积分记录流程")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.award_id} · {self.get_action_display()}"


class ObjectionDecision(models.TextChoices):
    OPEN = "open", _("待处理")
    UPHELD = "upheld", _("异议成立")
    DISMISSED = "dismissed", _("异议不成立")


class Objection(models.Model):
    """An objection (异议) raised against an award during its notice; the award is held
    until it is decided, with a reason."""

    award = models.ForeignKey(
        Award, on_delete=models.PROTECT, related_name="objections", verbose_name=_("积分记录")
    )
    raised_by = models.CharField(_("异议人"), max_length=50)
    content = models.CharField(_("异议内容"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受理人"),
    )
    recorded_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    decision = models.CharField(
        _("处理结果"),
        max_length=10,
        choices=ObjectionDecision.choices,
        default=ObjectionDecision.OPEN,
    )
    reason = models.CharField(_("处理理由"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="open") | ~Q(reason=""), name="points_objection_reasoned"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_id} · {self.raised_by}"
