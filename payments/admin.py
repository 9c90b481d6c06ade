"""Read-only views of the payment records: they change only through the services."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Refund, StripeEvent, StripePayment


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(StripePayment)
class StripePaymentAdmin(ReadOnlyAdmin):
    list_display = ("order", "intent_id", "amount", "status", "last_error", "created_at")
    list_filter = ("status",)
    search_fields = ("order__number", "intent_id")
    list_select_related = ("order",)
    exclude = ("client_secret",)


class StripeEventStateFilter(admin.SimpleListFilter):
    title = _("处理状态")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("failed", _("处理失败")), ("pending", _("待处理")), ("processed", _("已处理"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "processed":
            return queryset.filter(processed_at__isnull=False)
        if value == "failed":
            return queryset.filter(processed_at__isnull=True, attempts__gt=0)
        if value == "pending":
            return queryset.filter(processed_at__isnull=True, attempts=0)
        return queryset


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = (
        "event_id",
        "type",
        "received_at",
        "state",
        "processed_at",
        "attempts",
        "last_error",
    )
    list_filter = (StripeEventStateFilter, "type")
    search_fields = ("event_id",)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("order", "amount", "status", "reason", "created_by", "created_at", "applied_at")
    list_filter = ("status",)
    search_fields = ("order__number", "stripe_refund_id")
    list_select_related = ("order", "created_by")
