from django.contrib import admin

from projects.admin import RoundDataReadOnly
from projects.resources import RoleImportExportMixin

from .models import Milestone, MilestoneStatus
from .resources import MilestoneResource, MilestoneStatusResource


@admin.register(Milestone)
class MilestoneAdmin(RoleImportExportMixin, admin.ModelAdmin):
    resource_classes = [MilestoneResource]
    list_display = ["__str__", "description", "deadline", "rrf_reference"]
    list_filter = ["project__cluster__speerpunt", "project__domain"]
    list_select_related = ["project"]
    search_fields = ["project__code", "description"]
    autocomplete_fields = ["project"]
    date_hierarchy = "deadline"


@admin.register(MilestoneStatus)
class MilestoneStatusAdmin(RoundDataReadOnly, RoleImportExportMixin, admin.ModelAdmin):
    resource_classes = [MilestoneStatusResource]
    list_display = ["milestone", "round", "status", "realised_on", "forecast_date"]
    list_filter = ["round", "status"]
    list_select_related = ["milestone__project", "round"]
    search_fields = ["milestone__project__code", "milestone__description"]
    raw_id_fields = ["milestone"]
