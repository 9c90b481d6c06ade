from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import BureauStaff, Region


@admin.register(Region)
class RegionAdmin(TreeAdmin):
    form = movenodeform_factory(Region)
    list_display = ["name", "code", "level"]
    search_fields = ["name", "code"]


@admin.register(BureauStaff)
class BureauStaffAdmin(admin.ModelAdmin):
    list_display = ["user", "bureau_name", "office_kind", "region", "level"]
    list_filter = ["office_kind", "level"]
    list_select_related = ["user", "region"]
