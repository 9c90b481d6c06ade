from django.contrib import admin

from .models import BudgetUnit, BudgetUnitMember


class BudgetUnitMemberInline(admin.TabularInline):
    model = BudgetUnitMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(BudgetUnit)
class BudgetUnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "unit_type",
        "region",
        "canteen_status",
        "registration_status",
        "is_active",
    ]
    list_filter = ["registration_status", "unit_type", "canteen_status", "region"]
    search_fields = ["name", "credit_code"]
    inlines = [BudgetUnitMemberInline]
