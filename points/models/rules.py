"""The rule book (积分评分细则): per policy year and region, aspects and their rules. The
city's book is the default; a county's book for the same year overrides it."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RuleBook(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="points_rule_books",
        verbose_name=_("适用区域"),
    )
    name = models.CharField(_("名称"), max_length=100)
    notice_days = models.PositiveSmallIntegerField(
        _("公示天数"), default=7, help_text=_("评议通过后公示的天数，公示期满无异议即入账。")
    )
    expires_on = models.DateField(
        _("积分到期日"),
        null=True,
        blank=True,
        help_text=_("本细则下入账、到期日仍未兑换的积分在该日清零；空为不过期。"),
    )
    expired_at = models.DateTimeField(_("到期处理时间"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("积分细则")
        verbose_name_plural = _("积分细则")
        ordering = ["-year", "region__path"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region"], name="points_rulebook_year_region"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)


class Aspect(models.Model):
    """One of the book's aspects (方面), e.g. 孝老敬亲 or 环境卫生."""

    rule_book = models.ForeignKey(
        RuleBook, on_delete=models.CASCADE, related_name="aspects", verbose_name=_("积分细则")
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("积分方面")
        verbose_name_plural = _("积分方面")
        ordering = ["rule_book", "number"]
        constraints = [
            models.UniqueConstraint(fields=["rule_book", "number"], name="points_aspect_number"),
        ]

    def __str__(self) -> str:
        return self.name


class RuleUnit(models.TextChoices):
    PER_TIME = "per_time", _("每次")
    PER_MONTH = "per_month", _("每月")
    ONCE = "once", _("一次性")


class CapPeriod(models.TextChoices):
    MONTH = "month", _("每月")
    YEAR = "year", _("每年")


class Rule(models.Model):
    """One scoring rule (评分细则条目): points for (or, negative, against) a household, per
    time, per month (at most once a month) or once only, with an optional cap on how many
    times a period it may be awarded, and whether a photo must back it."""

    aspect = models.ForeignKey(
        Aspect, on_delete=models.CASCADE, related_name="rules", verbose_name=_("方面")
    )
    code = models.CharField(_("编号"), max_length=10)
    title = models.CharField(_("内容"), max_length=200)
    points = models.SmallIntegerField(_("分值"))
    unit = models.CharField(_("计分单位"), max_length=10, choices=RuleUnit.choices)
    cap_times = models.PositiveSmallIntegerField(
        _("每周期上限次数"), null=True, blank=True, help_text=_("空为不设上限。")
    )
    cap_period = models.CharField(
        _("上限周期"), max_length=10, choices=CapPeriod.choices, default=CapPeriod.YEAR
    )
    evidence_required = models.BooleanField(_("需上传佐证"), default=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("评分细则")
        verbose_name_plural = _("评分细则")
        ordering = ["aspect__number", "code"]
        constraints = [
            models.UniqueConstraint(fields=["aspect", "code"], name="points_rule_code"),
            models.CheckConstraint(condition=~Q(points=0), name="points_rule_points_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}（{self.points:+d}）"
