"""Django admin for the points scheme. Ledger rows, stock moves and award steps are read
only (they are append-only); balances and stock change only through the services."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .exceptions import PointsError
from .models import (
    Aspect,
    Award,
    AwardStep,
    Goods,
    Household,
    Objection,
    PointsEntry,
    Redemption,
    RedemptionLine,
    RestockFunding,
    RestockOrder,
    Rule,
    RuleBook,
    StockMove,
    Supermarket,
    Village,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AspectInline(admin.TabularInline):
    model = Aspect
    extra = 0


@admin.register(RuleBook)
class RuleBookAdmin(admin.ModelAdmin):
    list_display = ["year", "name", "region", "notice_days", "expires_on"]
    list_filter = ["year"]
    inlines = [AspectInline]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "aspect", "points", "unit", "cap_times", "cap_period"]
    list_filter = ["aspect__rule_book", "unit", "evidence_required", "is_active"]
    search_fields = ["title", "code"]


@admin.register(Supermarket)
class SupermarketAdmin(admin.ModelAdmin):
    list_display = ["name", "town", "buyer", "is_active"]
    filter_horizontal = ["managers"]
    # The buyer unit is opened with ``supermarket_buyer_open`` (it makes the managers its
    # purchasers); here it is shown, not chosen.
    readonly_fields = ["buyer"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "town", "supermarket"]
    filter_horizontal = ["clerks"]
    search_fields = ["code", "name"]


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["code", "head_name", "village", "members", "balance", "is_active"]
    list_filter = ["village"]
    search_fields = ["code", "head_name"]
    readonly_fields = ["balance"]


class AwardStepInline(ReadOnlyInline):
    model = AwardStep


class ObjectionInline(ReadOnlyInline):
    model = Objection


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["pk", "household", "rule", "points", "awarded_on", "status", "notice_ends_on"]
    list_filter = ["status", "household__village"]
    search_fields = ["household__code"]
    inlines = [AwardStepInline, ObjectionInline]
    actions = ["end_notice_early"]

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser  # the action needs it; the form stays read only

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    @admin.action(description=gettext_lazy("提前结束公示并入账（记录操作人）"))
    def end_notice_early(self, request, queryset):
        done = 0
        for award in queryset:
            try:
                services.award_end_notice_early(
                    user=request.user, award_id=award.pk, reason=_("管理员在后台提前结束公示")
                )
            except PointsError as error:
                self.message_user(request, f"#{award.pk}：{error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("已提前结束 %(n)s 条公示。") % {"n": done})


@admin.register(PointsEntry)
class PointsEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "household", "kind", "delta", "balance_after"]
    list_filter = ["kind"]
    search_fields = ["household__code"]


@admin.register(Goods)
class GoodsAdmin(admin.ModelAdmin):
    list_display = ["name", "supermarket", "points_price", "unit_value", "stock", "is_active"]
    list_filter = ["supermarket"]
    readonly_fields = ["stock"]


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "goods", "kind", "delta", "redemption", "order_line"]
    list_filter = ["kind", "goods__supermarket"]


class RedemptionLineInline(ReadOnlyInline):
    model = RedemptionLine


@admin.register(Redemption)
class RedemptionAdmin(ReadOnlyAdmin):
    list_display = ["number", "supermarket", "household", "total_points", "status", "created_at"]
    list_filter = ["status", "supermarket"]
    inlines = [RedemptionLineInline]


class RestockFundingInline(ReadOnlyInline):
    model = RestockFunding


@admin.register(RestockOrder)
class RestockOrderAdmin(ReadOnlyAdmin):
    list_display = ["order", "supermarket", "total", "placed_by", "placed_at"]
    list_filter = ["supermarket"]
    inlines = [RestockFundingInline]
