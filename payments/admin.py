"""Read-only views of the payment records: they change only through the services."""

from django.contrib import admin

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


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "received_at", "processed_at", "attempts")
    list_filter = ("type",)
    search_fields = ("event_id",)


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("order", "amount", "status", "reason", "created_by", "created_at", "applied_at")
    list_filter = ("status",)
    search_fields = ("order__number", "stripe_refund_id")
    list_select_related = ("order", "created_by")
