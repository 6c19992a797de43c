from django.contrib import admin

from projects.admin import PlanAdmin, RoundDataReadOnly

from .models import FinanceReport


@admin.register(FinanceReport)
class FinanceReportAdmin(RoundDataReadOnly, PlanAdmin):
    list_display = ["fiche", "budget_eur", "committed_eur", "paid_eur"]
    list_filter = ["fiche__round", "fiche__project__domain"]
    list_select_related = ["fiche__project", "fiche__round"]
    search_fields = ["fiche__project__code"]
    raw_id_fields = ["fiche"]
