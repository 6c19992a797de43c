from django.contrib import admin

from projects.admin import PlanAdmin, ReadOnlyAdmin, RoundDataReadOnly

from .models import Milestone, MilestoneStatus, ReminderLog


@admin.register(Milestone)
class MilestoneAdmin(PlanAdmin):
    list_display = [
        "__str__",
        "description",
        "deadline",
        "rrf_reference",
        "rrf_quarter",
        "rrf_instalment",
    ]
    list_filter = ["project__cluster__speerpunt", "project__domain", "project__is_rrf"]
    list_select_related = ["project"]
    search_fields = ["project__code", "description"]
    autocomplete_fields = ["project"]
    date_hierarchy = "deadline"


@admin.register(MilestoneStatus)
class MilestoneStatusAdmin(RoundDataReadOnly, PlanAdmin):
    list_display = ["milestone", "round", "status", "realised_on", "forecast_date"]
    list_filter = ["round", "status"]
    list_select_related = ["milestone__project", "round"]
    search_fields = ["milestone__project__code", "milestone__description"]
    raw_id_fields = ["milestone"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """The reminders sent, as the scan wrote them; the log is what keeps them once-only, so
    nobody edits it here."""

    list_display = ["recipient", "item_kind", "item_id", "stage", "due_on", "sent_on"]
    list_filter = ["item_kind", "stage", "sent_on"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email"]
    date_hierarchy = "sent_on"
