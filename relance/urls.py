from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from .views import fiches, home, projects, rounds
from .workbook import views as workbook

rounds_patterns = [
    path("", rounds.round_list, name="list"),
    path("new/", rounds.round_create, name="create"),
    path("<str:code>/", rounds.round_detail, name="detail"),
    path("<str:code>/open/", rounds.round_open, name="open"),
    path("<str:code>/close/", rounds.round_close, name="close"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", home.health, name="health"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # Visitors choose their language on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("projects/<str:code>/", projects.project_detail, name="project"),
    path("projects/<str:code>/fiche/", fiches.fiche_edit, name="fiche"),
    path("projects/<str:code>/fiche/approve/", fiches.fiche_approve, name="fiche-approve"),
    path("projects/<str:code>/fiche/return/", fiches.fiche_return, name="fiche-return"),
    path("projects/<str:code>/fiche/flag/", fiches.fiche_flag, name="fiche-flag"),
    path("projects/<str:code>/fiche/unflag/", fiches.fiche_unflag, name="fiche-unflag"),
    path("projects/", include("projects.urls")),
    path("milestones/", include("milestones.urls")),
    path("rounds/", include((rounds_patterns, "rounds"))),
    path("imports/", workbook.import_upload, name="workbook-import"),
    path("imports/<int:pk>/", workbook.import_preview, name="workbook-preview"),
    path("imports/<int:pk>/confirm/", workbook.import_confirm, name="workbook-confirm"),
    path("exports/workbook.xlsx", workbook.export_download, name="workbook-export"),
    path("admin/", admin.site.urls),
]
