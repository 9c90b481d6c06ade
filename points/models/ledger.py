"""The points ledger: append-only entries per household. The household's cached balance is
their running sum, and ``balance_after`` records it after each entry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .places import Household


class EntryKind(models.TextChoices):
    AWARD = "award", _("积分入账")
    REDEMPTION = "redemption", _("兑换")
    REVERSAL = "reversal", _("退兑")
    EXPIRY = "expiry", _("到期清零")


class AppendOnlyRow(models.Model):
    """What every append-only row of the scheme carries: a note, who wrote it and when."""

    reason = models.CharField(_("说明"), max_length=300, blank=True)
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
        abstract = True


class PointsEntry(AppendOnlyRow):
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="entries", verbose_name=_("农户")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    delta = models.IntegerField(_("积分变动"))
    balance_after = models.IntegerField(_("变动后余额"))
    award = models.OneToOneField(
        "points.Award",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entry",
        verbose_name=_("积分记录"),
    )
    redemption = models.ForeignKey(
        "points.Redemption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("兑换单"),
    )
    rule_book = models.ForeignKey(
        "points.RuleBook",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("到期细则"),
    )

    class Meta:
        verbose_name = _("积分台账")
        verbose_name_plural = _("积分台账")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="points_entry_moves"),
            models.CheckConstraint(
                condition=Q(balance_after__gte=0), name="points_entry_balance_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(kind="award") | Q(award__isnull=False),
                name="points_entry_award_has_award",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["redemption", "reversal"]) | Q(redemption__isnull=False),
                name="points_entry_redemption_has_redemption",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reversal") | ~Q(reason=""), name="points_entry_reversal_reason"
            ),
            models.UniqueConstraint(
                fields=["redemption", "kind"],
                condition=Q(redemption__isnull=False),
                name="points_entry_once_per_redemption",
            ),
            models.UniqueConstraint(
                fields=["household", "rule_book"],
                condition=Q(kind="expiry"),
                name="points_entry_expiry_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household.code} · {self.get_kind_display()} · {self.delta:+d}"
