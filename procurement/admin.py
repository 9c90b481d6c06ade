from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ChangeRecordAdmin

from .models import (
    ApprovalRule,
    BudgetUnit,
    BudgetUnitMember,
    OrganisationType,
    PolicyCanteenCase,
    PolicyYearChange,
)
from .services import approval_rules_check


class BudgetUnitMemberInline(admin.TabularInline):
    model = BudgetUnitMember
    extra = 0
    autocomplete_fields = ["user"]


class ApprovalRuleFormSet(forms.BaseInlineFormSet):
    """The rule set's shape as the unit admins' page checks it (levels from 1, amounts not
    decreasing). The admin writes no audit entry and does not count the unit's approvers."""

    def clean(self):
        super().clean()
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data]
        thresholds = {
            row["level"]: row["min_amount"]
            for row in rows
            if not row.get("DELETE") and row.get("level") and row.get("min_amount") is not None
        }
        try:
            approval_rules_check(thresholds=thresholds)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class ApprovalRuleInline(admin.TabularInline):
    model = ApprovalRule
    formset = ApprovalRuleFormSet
    extra = 0


@admin.register(BudgetUnit)
class BudgetUnitAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "unit_type",
        "org_type",
        "region",
        "canteen_status",
        "registration_status",
        "is_active",
    ]
    list_filter = ["kind", "registration_status", "unit_type", "org_type", "canteen_status"]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["supervisor", "canteen_host", "parent"]
    inlines = [BudgetUnitMemberInline, ApprovalRuleInline]


@admin.register(PolicyCanteenCase)
class PolicyCanteenCaseAdmin(admin.ModelAdmin):
    """Each year's minimum ratio and zero-reserve rule per canteen case (policy data)."""

    list_display = ["policy_year", "canteen_status", "min_ratio", "zero_reserve_allowed"]
    list_filter = ["policy_year", "canteen_status"]


@admin.register(PolicyYearChange)
class PolicyYearChangeAdmin(ChangeRecordAdmin):
    list_display = ["policy_year", "changed_by", "created_at", "before", "after"]
    list_filter = ["policy_year"]


@admin.register(OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    """The "八进" organisation types of each policy year (policy data)."""

    list_display = ["policy_year", "sort", "code", "name", "channel", "budget_unit_types"]
    list_filter = ["policy_year", "channel"]
