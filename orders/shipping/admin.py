from django.contrib import admin
from oscar.apps.shipping.admin import *  # noqa: F403

from .models import SupplierShippingCharge, SupplierShippingRule


@admin.register(SupplierShippingRule)
class SupplierShippingRuleAdmin(admin.ModelAdmin):
    list_display = ("partner", "fee", "free_threshold", "updated_at")
    search_fields = ("partner__name",)
    autocomplete_fields = ("partner",)


@admin.register(SupplierShippingCharge)
class SupplierShippingChargeAdmin(admin.ModelAdmin):
    list_display = ("order", "partner_name", "subtotal", "fee")
    search_fields = ("order__number", "partner_name")
    list_select_related = ("order",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
