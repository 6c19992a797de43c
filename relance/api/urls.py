"""/api/…: the open data API, the fiches of the open round, and the API's documentation."""

from django.urls import path

from . import docs, fiche_views, views

app_name = "api"

urlpatterns = [
    path("", docs.ApiRoot.as_view(), name="root"),
    path("projects/", views.ProjectList.as_view(), name="project-list"),
    path("projects/<str:code>/", views.ProjectDetail.as_view(), name="project-detail"),
    path("rounds/", views.RoundList.as_view(), name="round-list"),
    path("rounds/<str:code>/summary/", views.RoundSummary.as_view(), name="round-summary"),
    path("rounds/<str:code>/fiches/", views.RoundFiches.as_view(), name="round-fiches"),
    path(
        "rounds/<str:code>/fiches/<str:project>/",
        fiche_views.FicheEndpoint.as_view(),
        name="fiche",
    ),
    path(
        "rounds/<str:code>/fiches/<str:project>/submit/",
        fiche_views.FicheSubmit.as_view(),
        name="fiche-submit",
    ),
    path("rounds/<str:code>/milestones/", views.RoundMilestones.as_view(), name="round-milestones"),
    path("schema/", docs.Schema.as_view(), name="schema"),
    path("docs/", docs.Docs.as_view(), name="docs"),
]
