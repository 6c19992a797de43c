from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from milestones import views_reminders
from projects import views_tokens
from relance.audit import views as audit
from relance.views import artefacts, reports

from .fiches import my_fiches, review_page, review_views
from .fiches import views as fiches
from .quality import views as quality
from .rrf import views as rrf
from .views import desk, home, lists, projects, rounds, start
from .workbook import views as workbook

rounds_patterns = [
    path("", rounds.round_list, name="list"),
    path("new/", rounds.round_create, name="create"),
    path("<str:code>/", rounds.round_detail, name="detail"),
    path("<str:code>/open/", rounds.round_open, name="open"),
    path("<str:code>/desk/", desk.review_desk, name="desk"),
    path("<str:code>/desk/next/", desk.desk_next, name="desk-next"),
    path("<str:code>/desk/approve/", desk.desk_bulk_approve, name="desk-approve"),
    path("<str:code>/close/", rounds.round_close, name="close"),
    path("<str:code>/compare/", reports.round_compare, name="compare"),
    path("<str:code>/report/", reports.round_report, name="report-page"),
    path("<str:code>/report.pdf", reports.round_report_pdf, name="report"),
    path("<str:code>/rrf.xlsx", rrf.rrf_export, {"file_format": "xlsx"}, name="rrf-xlsx"),
    path("<str:code>/rrf.csv", rrf.rrf_export, {"file_format": "csv"}, name="rrf-csv"),
    path("<str:code>/indicators/<str:note>/", reports.indicator_note_page, name="indicators"),
    path("<str:code>/indicators/<str:note>.pdf", reports.indicator_note_pdf, name="indicators-pdf"),
    path("<str:code>/package.zip", reports.round_package, name="package"),
    path("<str:code>/artefacts/<int:pk>/", artefacts.artefact_progress, name="artefact"),
    path(
        "<str:code>/artefacts/<int:pk>/download/",
        artefacts.artefact_download,
        name="artefact-download",
    ),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", home.health, name="health"),
    path("start/", start.start, name="start"),
    path("beheer/", start.admin_home, name="admin-home"),
    path("mijn-fiches/", my_fiches.my_fiches, name="my-fiches"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    # The throttled password reset and the second factor, before Django's own pages.
    path("accounts/", include("projects.accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    # Visitors choose their language on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("projects/<str:code>/", projects.project_detail, name="project"),
    path(
        "projects/<str:code>/leave-plan/",
        projects.project_leave_plan,
        name="project-leave-plan",
    ),
    path("projects/<str:code>/fiche/", fiches.fiche_edit, name="fiche"),
    path("projects/<str:code>/fiche/review/", review_page.fiche_review, name="fiche-review"),
    path("projects/<str:code>/fiche/approve/", review_views.fiche_approve, name="fiche-approve"),
    path("projects/<str:code>/fiche/return/", review_views.fiche_return, name="fiche-return"),
    path("projects/<str:code>/fiche/flag/", review_views.fiche_flag, name="fiche-flag"),
    path("projects/<str:code>/fiche/unflag/", review_views.fiche_unflag, name="fiche-unflag"),
    path(
        "projects/<str:code>/fiche/suggestion/",
        review_views.suggestion_accept,
        name="fiche-suggestion-accept",
    ),
    path(
        "projects/<str:code>/fiche/suggestion/dismiss/",
        review_views.suggestion_dismiss,
        name="fiche-suggestion-dismiss",
    ),
    path(
        "projects/<str:code>/fiche/confirm/", review_views.fiche_confirm_flag, name="fiche-confirm"
    ),
    path(
        "projects/<str:code>/fiche/actions/<int:pk>/done/",
        review_views.follow_up_done,
        name="follow-up-done",
    ),
    path(
        "projects/<str:code>/fiche/actions/<int:pk>/reopen/",
        review_views.follow_up_reopen,
        name="follow-up-reopen",
    ),
    path("projects/", include("projects.urls")),
    path("milestones/", include(([path("", lists.milestone_list, name="list")], "milestones"))),
    path("account/", views_reminders.account, name="account"),
    path("account/api-token/", views_tokens.api_token, name="account-api-token"),
    path("reminders/", views_reminders.reminder_log, name="reminder-log"),
    path("rounds/", include((rounds_patterns, "rounds"))),
    path("quality/<str:code>/", quality.quality_report, name="quality"),
    path("quality/<str:code>/explain/", quality.quality_explain, name="quality-explain"),
    path("imports/", workbook.import_upload, name="workbook-import"),
    path("imports/<int:pk>/", workbook.import_preview, name="workbook-preview"),
    path("imports/<int:pk>/confirm/", workbook.import_confirm, name="workbook-confirm"),
    path("exports/workbook.xlsx", workbook.export_download, name="workbook-export"),
    path("exports/artefacts/<int:pk>/", artefacts.export_progress, name="export-artefact"),
    path(
        "exports/artefacts/<int:pk>/download/",
        artefacts.export_download,
        name="export-artefact-download",
    ),
    path("audit/", audit.audit_list, name="audit"),
    path("admin/", admin.site.urls),
    # Open data: public, read-only, closed rounds only.
    path("api/", include("relance.api.urls")),
    path("open-data/", include("relance.opendata.urls")),
    # The public dashboard: anyone, closed rounds only.
    path("public/", include("relance.public.urls")),
]
