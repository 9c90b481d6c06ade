from django.contrib import admin
from oscar.apps.partner.admin import *  # noqa: F403

from core.admin import ChangeRecordAdmin

from .models import BankDetailsChange, Certification


@admin.register(Certification)
class CertificationAdmin(admin.ModelAdmin):
    list_display = ["partner", "status", "certificate_no", "valid_from", "valid_until"]
    list_filter = ["status"]
    search_fields = ["partner__name", "certificate_no"]


@admin.register(BankDetailsChange)
class BankDetailsChangeAdmin(ChangeRecordAdmin):
    list_display = ["partner", "changed_by", "created_at", "before", "after"]
    search_fields = ["partner__name"]
